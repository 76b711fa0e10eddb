#include "pages/item_form_page.h"

#include "document/config_document.h"
#include "document/form_binder.h"
#include "widgets/confirm_box.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {

ItemFormPage::ItemFormPage(const QString& title, const QString& text, QAbstractItemModel* model,
                           ConfigDocument* doc, const QString& listKey, const QString& noun, QWidget* parent)
    : ModelPage(title, text, model, parent), m_doc(doc), m_listKey(listKey), m_noun(noun) {
    m_binder = new FormBinder(doc, this);

    auto* buttons = new QHBoxLayout;
    buttons->setSpacing(6);
    m_new = new QPushButton(tr("New %1").arg(noun), this);
    m_new->setObjectName(QStringLiteral("newItem"));
    m_duplicate = new QPushButton(tr("Duplicate"), this);
    m_duplicate->setObjectName(QStringLiteral("duplicateItem"));
    m_delete = new QPushButton(tr("Delete…"), this);
    m_delete->setObjectName(QStringLiteral("deleteItem"));
    buttons->addWidget(m_new);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);

    // The table and the form share the height; the form scrolls on its own.
    pageLayout()->removeWidget(view());
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(view());
    m_scroll = new QScrollArea(m_splitter);
    m_scroll->setObjectName(QStringLiteral("itemForm"));
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto* formPage = new QWidget(m_scroll);
    auto* outer = new QHBoxLayout(formPage);
    outer->setContentsMargins(4, 8, 12, 16);
    auto* formColumn = new QWidget(formPage);
    // Fields as wide as a line of text, not as the window: a 1280-pixel-wide name field reads badly.
    formColumn->setMaximumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 110);
    m_form = new QVBoxLayout(formColumn);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setSpacing(6);
    m_empty = new QLabel(tr("Select a %1 above, or create one with “New %1”.").arg(noun), formColumn);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_form->addWidget(m_empty);
    outer->addWidget(formColumn, 1);
    outer->addStretch(0);
    m_scroll->setWidget(formPage);
    m_splitter->addWidget(m_scroll);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    // About eight rows of table; the form, which has more to show, takes the rest.
    const int line = fontMetrics().height();
    m_splitter->setSizes({line * 14, line * 40});
    pageLayout()->addLayout(buttons);
    pageLayout()->addWidget(m_splitter, 1);

    connect(m_new, &QPushButton::clicked, this, &ItemFormPage::addNew);
    connect(m_duplicate, &QPushButton::clicked, this, &ItemFormPage::duplicate);
    connect(m_delete, &QPushButton::clicked, this, &ItemFormPage::askToDelete);
    connect(view()->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        if (!m_resetting && m_doc && m_binder) {
            syncFromView();
        }
    });
    // Connected after ModelPage's own handlers, so the selection it restores is already back.
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, [this] { m_resetting = true; });
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_resetting = false;
        if (m_doc && m_binder) {
            syncFromView(true);
        }
    });
    connect(m_binder, &FormBinder::refreshed, this, [this] {
        const bool has = m_item >= 0;
        m_duplicate->setEnabled(has);
        m_delete->setEnabled(has);
        m_empty->setVisible(!has);
    });
    m_binder->refresh();
}

QFormLayout* ItemFormPage::addSection(const QString& title, const QString& hint) {
    auto* header = new QLabel(title, m_form->parentWidget());
    header->setObjectName(QStringLiteral("sectionTitle"));
    QFont f = header->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.1);
    header->setFont(f);
    if (m_form->count() > 1) {
        m_form->addSpacing(14);
    }
    m_form->addWidget(header);
    if (!hint.isEmpty()) {
        auto* text = new QLabel(hint, m_form->parentWidget());
        text->setWordWrap(true);
        text->setForegroundRole(QPalette::PlaceholderText);
        m_form->addWidget(text);
    }
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setHorizontalSpacing(16);
    form->setVerticalSpacing(10);
    form->setContentsMargins(12, 4, 0, 0);
    m_form->addLayout(form);
    m_sections << form;
    return form;
}

void ItemFormPage::showEvent(QShowEvent* event) {
    ModelPage::showEvent(event);
    if (m_aligned) {
        return;
    }
    m_aligned = true;
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
            QLayoutItem* label = form->itemAt(row, QFormLayout::LabelRole);
            if (label && label->widget()) {
                label->widget()->setMinimumWidth(width);
                if (auto* text = qobject_cast<QLabel*>(label->widget())) {
                    text->setAlignment(Qt::AlignRight | Qt::AlignVCenter); // wider than its text now
                }
            } else if (QLayoutItem* field = form->itemAt(row, QFormLayout::FieldRole)) {
                // A row without a label (a check box) gets an empty one of the same width.
                if (!form->itemAt(row, QFormLayout::SpanningRole)) {
                    auto* spacer = new QLabel(m_form->parentWidget());
                    spacer->setMinimumWidth(width);
                    form->setWidget(row, QFormLayout::LabelRole, spacer);
                }
                Q_UNUSED(field);
            }
        }
    }
}

void ItemFormPage::syncFromView(bool afterReset) {
    const QModelIndex current = proxy()->mapToSource(view()->currentIndex());
    int item = current.isValid() ? current.row() : -1;
    const YAML::Node list = m_doc->node(m_listKey);
    const int count = list.IsDefined() && list.IsSequence() ? int(list.size()) : 0;
    if (item < 0 && afterReset && m_item >= 0 && m_item < count) {
        return; // an item that does not validate yet is not in the table, and is still being edited
    }
    if (item >= count) {
        item = -1;
    }
    if (item == m_item) {
        return;
    }
    m_item = item;
    m_binder->setPrefix(item < 0 ? QString() : QStringLiteral("%1[%2]").arg(m_listKey).arg(item));
}

void ItemFormPage::selectItem(int index) {
    QModelIndex source = proxy()->sourceModel()->index(index, 0);
    if (source.isValid() && !proxy()->mapFromSource(source).isValid()) {
        filterField()->clear(); // the filter hides it
    }
    const QModelIndex shown = proxy()->mapFromSource(source);
    if (shown.isValid()) {
        view()->setCurrentIndex(shown);
        view()->scrollTo(shown);
    }
    // The table shows the newest valid config: an item that does not validate yet is not in it,
    // and is still the one to edit.
    const YAML::Node list = m_doc->node(m_listKey);
    const int count = list.IsDefined() && list.IsSequence() ? int(list.size()) : 0;
    if (index >= 0 && index < count && index != m_item) {
        m_item = index;
        m_binder->setPrefix(QStringLiteral("%1[%2]").arg(m_listKey).arg(index));
    }
}

QStringList ItemFormPage::names() const {
    QStringList out;
    const YAML::Node list = m_doc->node(m_listKey);
    if (list.IsDefined() && list.IsSequence()) {
        for (size_t i = 0; i < list.size(); ++i) {
            out << m_doc->scalar(QStringLiteral("%1[%2].name").arg(m_listKey).arg(i));
        }
    }
    return out;
}

QString ItemFormPage::uniqueName(const QString& base) const {
    const QStringList taken = names();
    if (!taken.contains(base)) {
        return base;
    }
    for (int n = 2;; ++n) {
        const QString name = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!taken.contains(name)) {
            return name;
        }
    }
}

YAML::Node ItemFormPage::duplicateOf(const YAML::Node& item) const {
    YAML::Node copy = YAML::Clone(item);
    copy["name"] = uniqueName(m_doc->scalar(QStringLiteral("%1[%2].name").arg(m_listKey).arg(m_item)) +
                              QStringLiteral("-copy"))
                       .toStdString();
    return copy;
}

QString ItemFormPage::deleteQuestion(const QString& name) const {
    return tr("Delete the %1 “%2”? Undo brings it back.").arg(m_noun, name);
}

void ItemFormPage::addNew() {
    const int index = m_doc->append(m_listKey, newItem(), tr("New %1").arg(m_noun));
    if (index >= 0) {
        selectItem(index);
    }
}

void ItemFormPage::duplicate() {
    if (m_item < 0) {
        return;
    }
    const YAML::Node item = m_doc->node(QStringLiteral("%1[%2]").arg(m_listKey).arg(m_item));
    const int index = m_doc->append(m_listKey, duplicateOf(item), tr("Duplicate %1").arg(m_noun));
    if (index >= 0) {
        selectItem(index);
    }
}

void ItemFormPage::askToDelete() {
    if (m_item < 0) {
        return;
    }
    const QString key = QStringLiteral("%1[%2]").arg(m_listKey).arg(m_item);
    const QString name = m_doc->scalar(key + QStringLiteral(".name"));
    askToConfirm(this, tr("Delete %1").arg(m_noun), deleteQuestion(name), tr("Delete"), [this, key, name] {
        // The list may have changed while the question was open: delete by name, not by position.
        if (m_doc->scalar(key + QStringLiteral(".name")) == name) {
            m_doc->remove(key, tr("Delete %1 %2").arg(m_noun, name));
        }
    });
}

} // namespace tollgate::ui
