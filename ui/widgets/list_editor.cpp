#include "widgets/list_editor.h"

#include "document/form_binder.h"
#include "document/key_path.h"
#include "pages/roomy_delegate.h"
#include "widgets/file_field.h"

#include <QColor>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {
namespace {

QString upper(const std::string& s) {
    return QString::fromStdString(s).toUpper();
}

bool holds(const YAML::Node& list, const QString& flag) {
    if (!list.IsSequence()) {
        return false;
    }
    for (const YAML::Node& n : list) {
        if (n.IsScalar() && upper(n.Scalar()) == flag.toUpper()) {
            return true;
        }
    }
    return false;
}

} // namespace

YAML::Node childOf(const YAML::Node& item, const std::string& key) {
    if (!item.IsMap()) {
        return YAML::Node(YAML::NodeType::Undefined);
    }
    const YAML::Node value = item[key];
    return value.IsDefined() ? value : YAML::Node(YAML::NodeType::Undefined);
}

QString uniqueName(const YAML::Node& list, const QString& base, const QString& key, bool preferBare) {
    auto taken = [&](const QString& name) {
        if (!list.IsSequence()) {
            return false;
        }
        for (const YAML::Node& item : list) {
            const YAML::Node n = key.isEmpty() ? item : childOf(item, key.toStdString());
            if (n.IsScalar() && QString::fromStdString(n.Scalar()) == name) {
                return true;
            }
        }
        return false;
    };
    if (preferBare && !taken(base)) {
        return base;
    }
    for (int n = 2;; ++n) {
        const QString name = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!taken(name)) {
            return name;
        }
    }
}

ListEditor::ListEditor(FormBinder* binder, const QString& listKey, QList<ListColumn> columns, NewItem newItem,
                       const QString& itemWord, QWidget* parent)
    : QWidget(parent), m_binder(binder), m_listKey(listKey), m_columns(std::move(columns)),
      m_newItem(std::move(newItem)), m_itemWord(itemWord) {
    setObjectName(listKey);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(4);

    m_table = new QTableWidget(0, int(m_columns.size()), this);
    m_table->setItemDelegate(new RoomyDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    QStringList titles;
    const int ch = fontMetrics().horizontalAdvance(QLatin1Char('x'));
    for (int c = 0; c < m_columns.size(); ++c) {
        titles << m_columns[c].title;
    }
    m_table->setHorizontalHeaderLabels(titles);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    for (int c = 0; c < m_columns.size(); ++c) {
        const ListColumn& col = m_columns[c];
        if (col.kind == ListColumn::Kind::Choice) {
            // A combo box needs more height than a line of text.
            m_table->verticalHeader()->setDefaultSectionSize(std::max(
                m_table->verticalHeader()->defaultSectionSize(), m_table->fontMetrics().height() + 14));
        }
        if (col.kind == ListColumn::Kind::Flag) {
            // Wide enough for its title (a method name) and the check box, whatever the font.
            m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
        } else if (col.widthChars > 0) {
            m_table->setColumnWidth(c, col.widthChars * ch);
        } else {
            m_table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::Stretch);
        }
    }
    column->addWidget(m_table);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    m_add = new QPushButton(tr("Add %1").arg(itemWord), this);
    m_remove = new QPushButton(tr("Remove"), this);
    m_up = new QPushButton(tr("Move up"), this);
    m_down = new QPushButton(tr("Move down"), this);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addWidget(m_up);
    buttons->addWidget(m_down);
    for (int c = 0; c < m_columns.size(); ++c) {
        if (m_columns[c].kind == ListColumn::Kind::File) {
            auto* choose = new QPushButton(tr("Choose %1…").arg(m_columns[c].title.toLower()), this);
            connect(choose, &QPushButton::clicked, this, [this, c] { chooseFile(c); });
            buttons->addWidget(choose);
            m_fileButtons << choose;
        }
    }
    buttons->addStretch(1);
    column->addLayout(buttons);
    setReorderable(false);

    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_hint->setEnabled(false); // the palette's disabled text: a quiet note
    m_hint->setVisible(false);
    column->addWidget(m_hint);
    m_message = m_binder->messageFor(listKey);
    m_message->setParent(this);
    column->addWidget(m_message);

    connect(m_add, &QPushButton::clicked, this, &ListEditor::addItem);
    connect(m_remove, &QPushButton::clicked, this, &ListEditor::removeCurrent);
    connect(m_up, &QPushButton::clicked, this, [this] { moveCurrent(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveCurrent(1); });
    connect(m_table, &QTableWidget::itemChanged, this, &ListEditor::onItemChanged);
    connect(m_table, &QTableWidget::currentCellChanged, this, &ListEditor::updateButtons);
    connect(m_binder, &FormBinder::refreshed, this, &ListEditor::reload);
    reload();
}

void ListEditor::updateButtons() {
    const int row = m_table->currentRow();
    const bool on = !m_binder->prefix().isEmpty() && row >= 0;
    m_remove->setEnabled(on);
    m_up->setEnabled(on && row > 0);
    m_down->setEnabled(on && row + 1 < m_table->rowCount());
    for (QPushButton* b : std::as_const(m_fileButtons)) {
        b->setEnabled(on);
    }
}

void ListEditor::setReorderable(bool on) {
    m_up->setVisible(on);
    m_down->setVisible(on);
}

void ListEditor::setHint(const QString& text) {
    m_hint->setText(text);
    m_hint->setVisible(!text.isEmpty());
}

QString ListEditor::itemKey(int row) const {
    return QStringLiteral("%1[%2]").arg(m_binder->absoluteKey(m_listKey)).arg(row);
}

QComboBox* ListEditor::comboAt(int row, int column) const {
    return qobject_cast<QComboBox*>(m_table->cellWidget(row, column));
}

QString ListEditor::cellKey(int row, int column) const {
    const QString& key = m_columns[column].key;
    return key.isEmpty() ? itemKey(row) : itemKey(row) + QLatin1Char('.') + key;
}

void ListEditor::reload() {
    m_loading = true;
    ConfigDocument* doc = m_binder->document();
    const bool enabled = !m_binder->prefix().isEmpty();
    const YAML::Node list = enabled ? doc->node(m_binder->absoluteKey(m_listKey)) : YAML::Node();
    const int rows = list.IsSequence() ? int(list.size()) : 0;
    const int current = m_table->currentRow();
    m_table->setRowCount(rows);
    for (int r = 0; r < rows; ++r) {
        const YAML::Node item = list[size_t(r)];
        for (int c = 0; c < m_columns.size(); ++c) {
            const ListColumn& col = m_columns[c];
            const YAML::Node value = col.key.isEmpty() ? item : childOf(item, col.key.toStdString());
            if (col.kind == ListColumn::Kind::Choice) {
                reloadChoice(r, c, value, doc->problemAt(cellKey(r, c)));
                continue;
            }
            QTableWidgetItem* cell = m_table->item(r, c);
            if (!cell) {
                cell = new QTableWidgetItem;
                if (col.kind == ListColumn::Kind::Flag) {
                    cell->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                }
                m_table->setItem(r, c, cell);
            }
            if (col.kind == ListColumn::Kind::Flag) {
                const Qt::CheckState state = holds(value, col.flag) ? Qt::Checked : Qt::Unchecked;
                // Unchecked needs saying too: a cell without a check state shows no box.
                if (!cell->data(Qt::CheckStateRole).isValid() || cell->checkState() != state) {
                    cell->setCheckState(state);
                }
            } else {
                const QString text = value.IsDefined() && value.IsScalar()
                                         ? QString::fromStdString(value.Scalar())
                                         : QString();
                if (cell->text() != text) {
                    cell->setText(text);
                }
            }
            const QString problem =
                col.kind == ListColumn::Kind::Flag ? QString() : doc->problemAt(cellKey(r, c));
            cell->setToolTip(problem);
            cell->setData(Qt::ForegroundRole,
                          problem.isEmpty() ? QVariant() : QVariant(QColor(0xc5, 0x30, 0x30)));
        }
    }
    if (current >= rows && rows > 0) {
        m_table->setCurrentCell(rows - 1, 0);
    }
    m_table->setEnabled(enabled);
    m_add->setEnabled(enabled);
    updateButtons();
    fitHeight();
    m_loading = false;
}

void ListEditor::reloadChoice(int row, int column, const YAML::Node& value, const QString& problem) {
    auto* combo = comboAt(row, column);
    if (!combo) {
        combo = new QComboBox(m_table);
        combo->addItems(m_columns[column].choices);
        connect(combo, &QComboBox::textActivated, this,
                [this, row, column](const QString& text) { writeChoice(row, column, text); });
        m_table->setCellWidget(row, column, combo);
    }
    combo->setCurrentIndex(value.IsScalar() ? combo->findText(QString::fromStdString(value.Scalar())) : -1);
    // Marked as FormBinder marks its editors: the style sheet's red frame, the message as tooltip.
    if (combo->property("invalid").toBool() != !problem.isEmpty()) {
        combo->setProperty("invalid", !problem.isEmpty());
        combo->style()->unpolish(combo);
        combo->style()->polish(combo);
    }
    combo->setToolTip(problem);
}

void ListEditor::writeChoice(int row, int column, const QString& text) {
    if (m_loading || m_binder->prefix().isEmpty()) {
        return;
    }
    m_table->setCurrentCell(row, column);
    m_binder->document()->setValue(cellKey(row, column), text,
                                   tr("Change %1 %2").arg(m_itemWord, m_columns[column].title.toLower()));
}

void ListEditor::fitHeight() {
    // Tall enough for its rows (a few at least, a scroll bar past eight) in any font and scale.
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    const int rows = std::clamp(m_table->rowCount(), 2, 8);
    const int height =
        m_table->horizontalHeader()->sizeHint().height() + rows * rowHeight + 2 * m_table->frameWidth() +
        (m_table->horizontalScrollBar()->isVisible() ? m_table->horizontalScrollBar()->height() : 0);
    m_table->setMinimumHeight(height);
    m_table->setMaximumHeight(height);
}

void ListEditor::onItemChanged(QTableWidgetItem* cell) {
    if (m_loading || m_binder->prefix().isEmpty()) {
        return;
    }
    const int row = cell->row();
    const int c = cell->column();
    const ListColumn& col = m_columns[c];
    ConfigDocument* doc = m_binder->document();
    if (col.kind == ListColumn::Kind::Flag) {
        const bool on = cell->checkState() == Qt::Checked;
        const auto path = parseKeyPath(cellKey(row, c).toStdString());
        if (!path) {
            return;
        }
        doc->edit(on ? tr("Add %1").arg(col.flag) : tr("Remove %1").arg(col.flag), [&](YAML::Node& root) {
            const YAML::Node old = findNode(root, *path);
            YAML::Node list(YAML::NodeType::Sequence);
            list.SetStyle(YAML::EmitterStyle::Flow);
            if (old.IsSequence()) {
                for (const YAML::Node& n : old) {
                    if (!(n.IsScalar() && upper(n.Scalar()) == col.flag.toUpper())) {
                        list.push_back(YAML::Clone(n));
                    }
                }
            }
            if (on) {
                list.push_back(col.flag.toStdString());
            }
            return setNode(root, *path, list);
        });
        return;
    }
    const QString text = cell->text().trimmed();
    const QString label = tr("Change %1 %2").arg(m_itemWord, col.title.toLower());
    if (col.key.isEmpty()) {
        // An emptied scalar item stays (the loader says what is wrong) rather than vanishing.
        doc->setNode(cellKey(row, c), YAML::Node(text.toStdString()), label);
    } else {
        doc->setValue(cellKey(row, c), text, label);
    }
}

void ListEditor::addItem() {
    if (m_binder->prefix().isEmpty()) {
        return;
    }
    ConfigDocument* doc = m_binder->document();
    const QString listKey = m_binder->absoluteKey(m_listKey);
    const int row = doc->append(listKey, m_newItem(doc->node(listKey)), tr("Add %1").arg(m_itemWord));
    if (row >= 0) {
        m_table->setCurrentCell(row, 0);
        m_table->scrollToItem(m_table->item(row, 0));
    }
}

void ListEditor::removeCurrent() {
    const int row = m_table->currentRow();
    if (row < 0 || m_binder->prefix().isEmpty()) {
        return;
    }
    const QString label = tr("Remove %1").arg(m_itemWord);
    if (!m_dropsEmpty || m_table->rowCount() > 1) {
        m_binder->document()->remove(itemKey(row), label);
        return;
    }
    m_binder->document()->remove(m_binder->absoluteKey(m_listKey), label);
}

void ListEditor::moveCurrent(int by) {
    const int row = m_table->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_table->rowCount() || m_binder->prefix().isEmpty()) {
        return;
    }
    const auto path = parseKeyPath(m_binder->absoluteKey(m_listKey).toStdString());
    if (!path) {
        return;
    }
    const bool moved = m_binder->document()->edit(tr("Move %1").arg(m_itemWord), [&](YAML::Node& root) {
        const YAML::Node old = findNode(root, *path);
        if (!old.IsSequence() || size_t(std::max(row, to)) >= old.size()) {
            return false;
        }
        YAML::Node list(YAML::NodeType::Sequence);
        list.SetStyle(old.Style());
        for (size_t i = 0; i < old.size(); ++i) {
            const size_t from = i == size_t(row) ? size_t(to) : i == size_t(to) ? size_t(row) : i;
            list.push_back(YAML::Clone(old[from]));
        }
        return setNode(root, *path, list);
    });
    if (moved) {
        m_table->setCurrentCell(to, m_table->currentColumn());
    }
}

void ListEditor::chooseFile(int column) {
    const int row = m_table->currentRow();
    if (row < 0) {
        return;
    }
    ConfigDocument* doc = m_binder->document();
    const QString chosen = QFileDialog::getOpenFileName(
        this, tr("Choose %1").arg(m_columns[column].title.toLower()), QFileInfo(doc->path()).absolutePath());
    if (!chosen.isEmpty()) {
        doc->setValue(cellKey(row, column), pathForConfig(doc, chosen),
                      tr("Choose %1").arg(m_columns[column].title.toLower()));
    }
}

} // namespace tollgate::ui
