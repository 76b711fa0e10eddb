#include "pages/editable_list_page.h"

#include "document/config_document.h"
#include "document/form_binder.h"
#include "widgets/confirm_box.h"
#include "widgets/form_section.h"
#include "widgets/list_editor.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {

EditableListPage::EditableListPage(const QString& title, const QString& text, QAbstractItemModel* model,
                                   ConfigDocument* doc, const QString& listKey, const QString& itemWord,
                                   QWidget* parent)
    : ModelPage(title, text, model, parent), m_doc(doc), m_binder(new FormBinder(doc, this)),
      m_listKey(listKey), m_itemWord(itemWord) {
    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    m_new = new QPushButton(QIcon(QStringLiteral(":/icons/%1.svg").arg(listKey)), tr("New %1").arg(itemWord),
                            this);
    m_new->setObjectName(QStringLiteral("new"));
    m_duplicate = new QPushButton(tr("Duplicate"), this);
    m_duplicate->setObjectName(QStringLiteral("duplicate"));
    m_delete = new QPushButton(tr("Delete…"), this);
    m_delete->setObjectName(QStringLiteral("delete"));
    buttons->addWidget(m_new);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    pageLayout()->insertLayout(1, buttons);

    // The tree and the form share the page's height; the user may move the line between them.
    pageLayout()->removeWidget(view());
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    auto* top = new QWidget(m_splitter);
    m_treeColumn = new QVBoxLayout(top);
    m_treeColumn->setContentsMargins(0, 0, 0, 0);
    m_treeColumn->addWidget(view(), 1);
    auto* scroll = new QScrollArea(m_splitter);
    scroll->setObjectName(QStringLiteral("formScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new QWidget(scroll);
    m_form->setObjectName(QStringLiteral("form"));
    m_formLayout = new QVBoxLayout(m_form);
    m_formLayout->setContentsMargins(4, 4, 12, 12);
    auto* formTitle = new QLabel(m_form);
    formTitle->setObjectName(QStringLiteral("formTitle"));
    QFont f = formTitle->font();
    f.setPointSizeF(f.pointSizeF() * 1.25);
    f.setBold(true);
    formTitle->setFont(f);
    m_formLayout->addWidget(formTitle);
    // What the loader says about the item as a whole (no credential type accepted, say).
    auto* itemMessage = m_itemMessage = new QLabel(m_form);
    itemMessage->setObjectName(QStringLiteral("fieldMessage"));
    itemMessage->setWordWrap(true);
    itemMessage->setVisible(false);
    m_formLayout->addWidget(itemMessage);
    auto* empty = new QLabel(tr("Select a %1 above, or create one with “New %1”.").arg(itemWord), m_form);
    empty->setForegroundRole(QPalette::PlaceholderText);
    m_formLayout->addWidget(empty);
    scroll->setWidget(m_form);
    m_splitter->addWidget(top);
    m_splitter->addWidget(scroll);
    // Two fifths for the tree, the rest for the form (sizes are proportions until the first layout).
    m_splitter->setSizes({2000, 3000});
    pageLayout()->addWidget(m_splitter, 1);

    // Ctrl+N and Ctrl+D anywhere on the page; Delete on the tree only, where it cannot mean a
    // character of a field or a row of a table in the form.
    auto keyFor = [](QPushButton* button, const QKeySequence& key, QWidget* on, Qt::ShortcutContext context) {
        auto* shortcut = new QShortcut(key, on);
        shortcut->setContext(context);
        connect(shortcut, &QShortcut::activated, button, &QPushButton::click); // nothing when disabled
        button->setToolTip(key.toString(QKeySequence::NativeText));
    };
    keyFor(m_new, QKeySequence::New, this, Qt::WidgetWithChildrenShortcut);
    keyFor(m_duplicate, QKeySequence(Qt::CTRL | Qt::Key_D), this, Qt::WidgetWithChildrenShortcut);
    keyFor(m_delete, QKeySequence::Delete, view(), Qt::WidgetShortcut);
    connect(m_new, &QPushButton::clicked, this, &EditableListPage::addNew);
    connect(m_duplicate, &QPushButton::clicked, this, &EditableListPage::duplicateCurrent);
    connect(m_delete, &QPushButton::clicked, this, &EditableListPage::deleteCurrent);
    connect(view()->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &EditableListPage::onCurrentChanged);
    // While the tree is rebuilt its selection passes through "none" and ModelPage's guess: the form
    // stays on its item, which may be one the tree does not show yet (the text does not validate).
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_resetting = true; });
    connect(model, &QAbstractItemModel::modelReset, this, &EditableListPage::afterModelReset);
    connect(m_binder, &FormBinder::refreshed, this, [this, formTitle, itemMessage, empty] {
        QStringList about;
        const std::string key = m_binder->prefix().toStdString();
        for (const ConfigError& e : m_doc->problems()) {
            if (!key.empty() && e.key == key) {
                about << QString::fromStdString(e.message);
            }
        }
        itemMessage->setText(about.join(QLatin1Char('\n')));
        itemMessage->setVisible(!about.isEmpty());
        empty->setVisible(m_item < 0);
        const QString name = m_doc->scalar(m_binder->absoluteKey(QStringLiteral("name")));
        formTitle->setText(m_item < 0 ? tr("No %1 selected").arg(m_itemWord)
                                      : tr("%1 %2").arg(m_itemWord.left(1).toUpper() + m_itemWord.mid(1),
                                                        name.isEmpty() ? tr("(no name)") : name));
        updateButtons();
    });
    m_binder->refresh();
}

ConfigDocument* EditableListPage::document() const {
    return m_doc.data();
}

FormBinder* EditableListPage::binder() const {
    return m_binder.data();
}

int EditableListPage::itemCount() const {
    const YAML::Node list = m_doc->node(m_listKey);
    return list.IsSequence() ? int(list.size()) : 0;
}

void EditableListPage::selectItem(int index) {
    if (index >= itemCount()) {
        index = itemCount() - 1;
    }
    if (index != m_item) {
        m_item = index;
        m_binder->setPrefix(index < 0 ? QString() : QStringLiteral("%1[%2]").arg(m_listKey).arg(index));
    }
    // Show it in the tree too, unless the tree already shows it (or one of its children).
    const QModelIndex current = proxy()->mapToSource(view()->currentIndex());
    const int shown = !current.isValid()           ? -1
                      : current.parent().isValid() ? current.parent().row()
                                                   : current.row();
    if (index >= 0 && shown != index) {
        const QModelIndex source = proxy()->sourceModel()->index(index, 0);
        if (source.isValid() && !proxy()->mapFromSource(source).isValid()) {
            filterField()->clear(); // the filter hides it
        }
        const QModelIndex row = proxy()->mapFromSource(source);
        if (row.isValid()) {
            view()->setCurrentIndex(row);
            view()->scrollTo(row);
        }
    }
}

void EditableListPage::onCurrentChanged(const QModelIndex& current) {
    if (m_resetting || !current.isValid() || !m_doc || !m_binder) {
        return;
    }
    const QModelIndex source = proxy()->mapToSource(current);
    selectItem(source.parent().isValid() ? source.parent().row() : source.row());
    onItemSelected(source);
}

void EditableListPage::onItemSelected(const QModelIndex&) {}

void EditableListPage::afterModelReset() {
    m_resetting = false;
    if (!m_doc || !m_binder) {
        return;
    }
    const int count = itemCount();
    if (m_item >= count || (m_item < 0 && count > 0 && m_opensOnFirst)) {
        selectItem(m_item < 0 ? 0 : count - 1);
    } else if (m_item >= 0) {
        selectItem(m_item);
    }
    updateButtons();
}

void EditableListPage::updateButtons() {
    const bool open = m_doc->root().IsDefined();
    m_new->setEnabled(open);
    m_duplicate->setEnabled(open && m_item >= 0);
    m_delete->setEnabled(open && m_item >= 0);
}

int EditableListPage::addNew() {
    const int index = m_doc->append(m_listKey, newItem(m_doc->node(m_listKey)), tr("New %1").arg(m_itemWord));
    if (index >= 0) {
        selectItem(index);
    }
    return index;
}

YAML::Node EditableListPage::duplicateItem(const YAML::Node& item, const YAML::Node& list) const {
    YAML::Node copy = YAML::Clone(item);
    const YAML::Node named = childOf(item, "name");
    const QString name = named.IsScalar() ? QString::fromStdString(named.Scalar()) : m_itemWord;
    copy["name"] =
        (m_copySuffix.isEmpty() ? uniqueName(list, name)
                                : uniqueName(list, name + m_copySuffix, QStringLiteral("name"), true))
            .toStdString();
    return copy;
}

int EditableListPage::duplicateCurrent() {
    if (m_item < 0) {
        return -1;
    }
    const YAML::Node item = m_doc->node(QStringLiteral("%1[%2]").arg(m_listKey).arg(m_item));
    if (!item.IsMap()) {
        return -1;
    }
    const int index = m_doc->append(m_listKey, duplicateItem(item, m_doc->node(m_listKey)),
                                    tr("Duplicate %1").arg(m_itemWord));
    if (index >= 0) {
        selectItem(index);
    }
    return index;
}

QString EditableListPage::referencesTo(int) const {
    return {};
}

void EditableListPage::deleteCurrent() {
    if (m_item < 0) {
        return;
    }
    const int index = m_item;
    const QString key = QStringLiteral("%1[%2]").arg(m_listKey).arg(index);
    const QString name = m_doc->scalar(key + QStringLiteral(".name"));
    const QString refs = referencesTo(index);
    askToConfirm(
        this, tr("Delete %1").arg(m_itemWord), tr("Delete the %1 “%2”?").arg(m_itemWord, name), tr("Delete"),
        [this, index, key, name] {
            // The list may have changed while the question was open: delete by name, not by position.
            if (!m_doc || m_doc->scalar(key + QStringLiteral(".name")) != name ||
                !m_doc->remove(key, tr("Delete %1 %2").arg(m_itemWord, name))) {
                return;
            }
            m_item = -1; // the list moved up: show whichever item is now at this place
            selectItem(std::min(index, itemCount() - 1));
            if (m_item < 0) {
                m_binder->setPrefix({});
            }
        },
        refs.isEmpty() ? tr("Undo brings it back.")
                       : tr("%1 They will show an error until changed. Undo brings it back.").arg(refs));
}

QStringList EditableListPage::itemNames() const {
    QStringList out;
    for (int i = 0; i < itemCount(); ++i) {
        out << m_doc->scalar(QStringLiteral("%1[%2].name").arg(m_listKey).arg(i));
    }
    return out;
}

QFormLayout* EditableListPage::addSection(const QString& title, const QString& hint) {
    if (!m_sectionColumn) {
        // Fields as wide as a line of text, not as the window: a 1280-pixel-wide name field reads badly.
        auto* column = new QWidget(m_form);
        column->setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 110);
        m_sectionColumn = new QVBoxLayout(column);
        m_sectionColumn->setContentsMargins(0, 0, 0, 0);
        m_sectionColumn->setSpacing(4);
        auto* row = new QHBoxLayout;
        row->addWidget(column, 1);
        row->addStretch(0);
        m_formLayout->addLayout(row);
        m_formLayout->addStretch(1);
    }
    QFormLayout* form = addFormSection(m_sectionColumn, title, m_form);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow); // the column is narrow enough
    if (!hint.isEmpty()) {
        auto* text = new QLabel(hint, m_form);
        text->setWordWrap(true);
        text->setForegroundRole(QPalette::PlaceholderText);
        form->addRow(text);
    }
    m_sections << form;
    return form;
}

void EditableListPage::showEvent(QShowEvent* event) {
    ModelPage::showEvent(event);
    if (!m_aligned) {
        m_aligned = true;
        alignSectionLabels();
    }
}

void EditableListPage::alignSectionLabels() {
    // One label column for all sections, so the fields line up down the whole form.
    int width = 0;
    for (QFormLayout* form : std::as_const(m_sections)) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem* label = form->itemAt(row, QFormLayout::LabelRole); label && label->widget()) {
                width = std::max(width, label->widget()->sizeHint().width());
            }
        }
    }
    for (QFormLayout* form : std::as_const(m_sections)) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem* label = form->itemAt(row, QFormLayout::LabelRole); label && label->widget()) {
                label->widget()->setMinimumWidth(width);
                if (auto* text = qobject_cast<QLabel*>(label->widget())) {
                    text->setAlignment(Qt::AlignRight | Qt::AlignVCenter); // wider than its text now
                }
            } else if (!form->itemAt(row, QFormLayout::SpanningRole)) {
                // A row without a label (a check box) gets an empty one of the same width.
                auto* spacer = new QLabel(m_form);
                spacer->setMinimumWidth(width);
                form->setWidget(row, QFormLayout::LabelRole, spacer);
            }
        }
    }
}

} // namespace tollgate::ui
