#include "dialogs/new_key_dialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace tollgate::ui {

NewKeyDialog::NewKeyDialog(const QString& key, const QString& credentialId, const QString& consumer,
                           QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("newKeyDialog"));
    setWindowTitle(tr("New API key"));
    setAttribute(Qt::WA_DeleteOnClose); // the clear key lives no longer than the dialog
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(20, 18, 20, 14);
    column->setSpacing(12);

    auto* intro = new QLabel(tr("<b>%1</b> can now call with this key (credential <b>%2</b>), once the "
                                "edited configuration is applied:")
                                 .arg(consumer.toHtmlEscaped(), credentialId.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    column->addWidget(intro);

    auto* row = new QHBoxLayout;
    m_key = new QLabel(key, this);
    m_key->setObjectName(QStringLiteral("newKey"));
    m_key->setTextFormat(Qt::PlainText);
    m_key->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_key->setFrameShape(QFrame::StyledPanel);
    m_key->setContentsMargins(8, 6, 8, 6);
    m_key->setStyleSheet(QStringLiteral("QLabel { background: white; }"));
    row->addWidget(m_key, 1);
    m_copy = new QPushButton(QIcon(QStringLiteral(":/icons/copy.svg")), tr("Copy"), this);
    m_copy->setObjectName(QStringLiteral("copyKey"));
    row->addWidget(m_copy);
    column->addLayout(row);

    auto* warning = new QLabel(
        tr("<b>This key is shown only now.</b> It is not stored anywhere: the configuration keeps only its "
           "SHA-256 hash, so it cannot be shown again. Copy it and hand it to the consumer; if it is lost, "
           "issue a new key and revoke this one."),
        this);
    warning->setObjectName(QStringLiteral("newKeyWarning"));
    warning->setWordWrap(true);
    warning->setStyleSheet(QStringLiteral(
        "QLabel { background: #fff8e1; border: 1px solid #f0c36d; border-radius: 4px; padding: 8px; }"));
    column->addWidget(warning);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    column->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_key->text());
        m_copy->setText(tr("Copied"));
    });
    setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 72);
}

QString NewKeyDialog::key() const {
    return m_key->text();
}

} // namespace tollgate::ui
