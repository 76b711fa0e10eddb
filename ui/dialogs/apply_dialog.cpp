#include "dialogs/apply_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QVBoxLayout>

namespace tollgate::ui {

ApplyDialog::ApplyDialog(const std::vector<DiffLine>& lines, const QString& target, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Apply changes"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(
        lines.empty() ? tr("The running gateway already has this configuration.")
                      : tr("These changes (%1 lines) go live on <b>%2</b> at once; connections stay open.")
                            .arg(diffSummary(lines), target.toHtmlEscaped()),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("applyDiff"));
    m_view->setReadOnly(true);
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    QTextCursor cursor(m_view->document());
    for (const DiffLine& line : lines) {
        QTextCharFormat format;
        QString prefix = QStringLiteral("  ");
        switch (line.kind) {
        case DiffLine::Kind::Added:
            format.setBackground(QColor(0xE6, 0xF4, 0xEA));
            format.setForeground(QColor(0x1E, 0x6B, 0x34));
            prefix = QStringLiteral("+ ");
            break;
        case DiffLine::Kind::Removed:
            format.setBackground(QColor(0xFD, 0xEC, 0xEC));
            format.setForeground(QColor(0x9B, 0x22, 0x22));
            prefix = QStringLiteral("- ");
            break;
        case DiffLine::Kind::Gap:
            format.setForeground(QColor(0x71, 0x80, 0x96));
            break;
        case DiffLine::Kind::Same:
            break;
        }
        cursor.insertText(prefix + line.text, format);
        cursor.insertBlock();
    }
    m_view->moveCursor(QTextCursor::Start);
    layout->addWidget(m_view, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* apply = buttons->addButton(tr("Apply"), QDialogButtonBox::AcceptRole);
    apply->setObjectName(QStringLiteral("applyButton"));
    apply->setDefault(true);
    apply->setEnabled(!lines.empty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 520);
}

QString ApplyDialog::diffText() const {
    return m_view->toPlainText();
}

} // namespace tollgate::ui
