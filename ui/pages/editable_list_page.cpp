#include "pages/editable_list_page.h"

#include "document/config_document.h"
#include "document/form_binder.h"
#include "widgets/list_editor.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
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
    scroll->setWidget(m_form);
    m_splitter->addWidget(top);
    m_splitter->addWidget(scroll);
    // Two fifths for the tree, the rest for the form (sizes are proportions until the first layout).
    m_splitter->setSizes({2000, 3000});
    pageLayout()->addWidget(m_splitter, 1);

    connect(m_new, &QPushButton::clicked, this, &EditableListPage::addNew);
    connect(m_duplicate, &QPushButton::clicked, this, &EditableListPage::duplicateCurrent);
    connect(m_delete, &QPushButton::clicked, this, [this] { deleteCurrent(true); });
    connect(view()->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &EditableListPage::onCurrentChanged);
    // While the tree is rebuilt its selection passes through "none" and ModelPage's guess: the form
    // stays on its item, which may be one the tree does not show yet (the text does not validate).
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_resetting = true; });
    connect(model, &QAbstractItemModel::modelReset, this, &EditableListPage::afterModelReset);
    connect(m_binder, &FormBinder::refreshed, this, [this, formTitle, itemMessage] {
        QStringList about;
        const std::string key = m_binder->prefix().toStdString();
        for (const ConfigError& e : m_doc->problems()) {
            if (!key.empty() && e.key == key) {
                about << QString::fromStdString(e.message);
            }
        }
        itemMessage->setText(about.join(QLatin1Char('\n')));
        itemMessage->setVisible(!about.isEmpty());
        const QString name = m_doc->scalar(m_binder->absoluteKey(QStringLiteral("name")));
        formTitle->setText(m_item < 0 ? tr("No %1 selected").arg(m_itemWord)
                                      : tr("%1 %2").arg(m_itemWord.left(1).toUpper() + m_itemWord.mid(1),
                                                        name.isEmpty() ? tr("(no name)") : name));
        updateButtons();
    });
    m_binder->refresh();
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
        const QModelIndex row = proxy()->mapFromSource(proxy()->sourceModel()->index(index, 0));
        if (row.isValid()) {
            view()->setCurrentIndex(row);
        }
    }
}

void EditableListPage::onCurrentChanged(const QModelIndex& current) {
    if (m_resetting || !current.isValid()) {
        return;
    }
    const QModelIndex source = proxy()->mapToSource(current);
    selectItem(source.parent().isValid() ? source.parent().row() : source.row());
    onItemSelected(source);
}

void EditableListPage::onItemSelected(const QModelIndex&) {}

void EditableListPage::afterModelReset() {
    m_resetting = false;
    const int count = itemCount();
    if (m_item >= count || (m_item < 0 && count > 0)) {
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
    copy["name"] = uniqueName(list, name).toStdString();
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

bool EditableListPage::deleteCurrent(bool confirm) {
    if (m_item < 0) {
        return false;
    }
    const int index = m_item;
    const QString name = m_doc->scalar(QStringLiteral("%1[%2].name").arg(m_listKey).arg(index));
    if (confirm) {
        QMessageBox box(QMessageBox::Question, tr("Delete %1").arg(m_itemWord),
                        tr("Delete the %1 <b>%2</b>?").arg(m_itemWord, name.toHtmlEscaped()),
                        QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("confirmDelete"));
        const QString refs = referencesTo(index);
        box.setInformativeText(
            refs.isEmpty() ? tr("Undo brings it back.")
                           : tr("%1 They will show an error until changed. Undo brings it back.").arg(refs));
        QPushButton* yes = box.addButton(tr("Delete"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != yes) {
            return false;
        }
    }
    if (!m_doc->remove(QStringLiteral("%1[%2]").arg(m_listKey).arg(index),
                       tr("Delete %1 %2").arg(m_itemWord, name))) {
        return false;
    }
    m_item = -1; // the list moved up: show whichever item is now at this place
    selectItem(std::min(index, itemCount() - 1));
    if (m_item < 0) {
        m_binder->setPrefix({});
    }
    return true;
}

} // namespace tollgate::ui
