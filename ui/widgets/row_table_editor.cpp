#include "widgets/row_table_editor.h"

#include "document/form_binder.h"
#include "document/key_path.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {
namespace {

void markInvalid(QWidget* editor, const QString& message) {
    if (editor->property("invalid").toBool() == !message.isEmpty()) {
        return;
    }
    editor->setProperty("invalid", !message.isEmpty());
    editor->setToolTip(message);
    editor->style()->unpolish(editor);
    editor->style()->polish(editor);
}

} // namespace

RowTableEditor::RowTableEditor(FormBinder* binder, const QString& listKey, QList<Column> columns,
                               const QString& noun, std::function<YAML::Node(const YAML::Node&)> newItem,
                               QWidget* parent)
    : QWidget(parent), m_binder(binder), m_listKey(listKey), m_columns(std::move(columns)), m_noun(noun),
      m_newItem(std::move(newItem)) {
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);
    m_table = new QTableWidget(0, int(m_columns.size()), this);
    QStringList titles;
    for (const Column& c : std::as_const(m_columns)) {
        titles << c.title;
    }
    m_table->setHorizontalHeaderLabels(titles);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    column->addWidget(m_table);

    auto* buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("Add %1").arg(noun), this);
    m_remove = new QPushButton(tr("Remove"), this);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    column->addLayout(buttons);
    m_message = binder->messageFor(listKey);
    m_message->setParent(this);
    column->addWidget(m_message);

    connect(m_add, &QPushButton::clicked, this, &RowTableEditor::addRow);
    connect(m_remove, &QPushButton::clicked, this, &RowTableEditor::removeRow);
    connect(binder, &FormBinder::refreshed, this, &RowTableEditor::reload);
    reload();
}

QString RowTableEditor::itemKey(int row, int column) const {
    QString key = QStringLiteral("%1[%2]").arg(m_listKey).arg(row);
    if (!m_columns[column].key.isEmpty()) {
        key += QLatin1Char('.') + m_columns[column].key;
    }
    return m_binder->absoluteKey(key);
}

QLineEdit* RowTableEditor::lineAt(int row, int column) const {
    return qobject_cast<QLineEdit*>(m_table->cellWidget(row, column));
}

QComboBox* RowTableEditor::comboAt(int row, int column) const {
    return qobject_cast<QComboBox*>(m_table->cellWidget(row, column));
}

QWidget* RowTableEditor::makeCell(int row, int column) {
    const Column& c = m_columns[column];
    if (!c.choices.isEmpty()) {
        auto* combo = new QComboBox(m_table);
        combo->addItems(c.choices);
        connect(combo, &QComboBox::textActivated, this,
                [this, row, column](const QString& text) { write(row, column, text); });
        return combo;
    }
    auto* edit = new QLineEdit(m_table);
    edit->setPlaceholderText(c.placeholder);
    edit->setFrame(false);
    connect(edit, &QLineEdit::textEdited, this,
            [this, row, column](const QString& text) { write(row, column, text); });
    return edit;
}

void RowTableEditor::reload() {
    const bool enabled = !m_binder->prefix().isEmpty();
    const YAML::Node list =
        enabled ? m_binder->document()->node(m_binder->absoluteKey(m_listKey)) : YAML::Node();
    const int rows = list.IsDefined() && list.IsSequence() ? int(list.size()) : 0;
    m_loading = true;
    if (m_table->rowCount() != rows) {
        m_table->setRowCount(rows);
        for (int r = 0; r < rows; ++r) {
            for (int c = 0; c < m_columns.size(); ++c) {
                if (!m_table->cellWidget(r, c)) {
                    m_table->setCellWidget(r, c, makeCell(r, c));
                }
            }
        }
    }
    ConfigDocument* doc = m_binder->document();
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < m_columns.size(); ++c) {
            const QString key = itemKey(r, c);
            const QString value = doc->scalar(key);
            if (QLineEdit* edit = lineAt(r, c)) {
                if (edit->text().trimmed() != value) { // keep the cursor while the user types
                    edit->setText(value);
                }
                markInvalid(edit, doc->problemAt(key));
            } else if (QComboBox* combo = comboAt(r, c)) {
                combo->setCurrentIndex(combo->findText(value));
                markInvalid(combo, doc->problemAt(key));
            }
        }
    }
    m_loading = false;
    m_table->setEnabled(enabled);
    m_add->setEnabled(enabled);
    m_remove->setEnabled(enabled && rows > 0);
    fitHeight();
}

void RowTableEditor::fitHeight() {
    // Show every row (up to six) without a scroll bar of its own: the form around it scrolls.
    const int rowHeight =
        std::max(m_table->verticalHeader()->defaultSectionSize(), m_table->fontMetrics().height() + 14);
    m_table->verticalHeader()->setDefaultSectionSize(rowHeight);
    const int shown = std::clamp(m_table->rowCount(), 1, 6);
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() + shown * rowHeight +
                            2 * m_table->frameWidth() + 2);
}

void RowTableEditor::write(int row, int column, const QString& text) {
    if (m_loading || row < 0 || m_binder->prefix().isEmpty()) {
        return;
    }
    const QString key = itemKey(row, column);
    const auto path = parseKeyPath(key.toStdString());
    if (!path) {
        return;
    }
    const YAML::Node value(text.trimmed().toStdString());
    m_binder->document()->edit(
        tr("Change %1").arg(m_noun), [&](YAML::Node& root) { return setNode(root, *path, value); }, key);
}

void RowTableEditor::addRow() {
    if (m_binder->prefix().isEmpty()) {
        return;
    }
    ConfigDocument* doc = m_binder->document();
    const QString listKey = m_binder->absoluteKey(m_listKey);
    const int row = doc->append(listKey, m_newItem(doc->node(listKey)), tr("Add %1").arg(m_noun));
    if (row >= 0) {
        m_table->setCurrentCell(row, 0);
        if (QWidget* cell = m_table->cellWidget(row, 0)) {
            cell->setFocus();
        }
    }
}

void RowTableEditor::removeRow() {
    const int row = m_table->currentRow() >= 0 ? m_table->currentRow() : m_table->rowCount() - 1;
    if (row < 0 || m_binder->prefix().isEmpty()) {
        return;
    }
    const auto listPath = parseKeyPath(m_binder->absoluteKey(m_listKey).toStdString());
    if (!listPath) {
        return;
    }
    m_binder->document()->edit(tr("Remove %1").arg(m_noun), [&](YAML::Node& root) {
        KeyPath itemPath = *listPath;
        itemPath.emplace_back(size_t(row));
        if (!removeNode(root, itemPath)) {
            return false;
        }
        // An empty list means the same as none: leave no `key: []` behind.
        if (findNode(root, *listPath).size() == 0) {
            removeNode(root, *listPath);
        }
        return true;
    });
}

} // namespace tollgate::ui
