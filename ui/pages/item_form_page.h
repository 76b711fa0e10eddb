#pragma once
// A list page that edits what it shows: the table on top, the selected item's form below (sections
// of QFormLayout in a scroll area, bound with a FormBinder to "<list>[<row>]"), and New, Duplicate and
// Delete buttons. Every change is an undoable document edit; Delete asks first. Consumers and plans
// are this shape. UI thread only.

#include "pages/model_page.h"

#include "document/form_binder.h"

#include <QPointer>

#include <yaml-cpp/yaml.h>

class QFormLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QShowEvent;
class QSplitter;
class QVBoxLayout;

namespace tollgate::ui {

class ItemFormPage : public ModelPage {
    Q_OBJECT
public:
    // `listKey` is the document's list ("consumers"); the model's rows are its items, in order.
    // `noun` names buttons and undo steps ("consumer").
    ItemFormPage(const QString& title, const QString& text, QAbstractItemModel* model, ConfigDocument* doc,
                 const QString& listKey, const QString& noun, QWidget* parent = nullptr);

    ConfigDocument* document() const { return m_doc.data(); }
    FormBinder* binder() const { return m_binder.data(); }
    // The edited item's index in the list, -1 when none.
    int currentItem() const { return m_item; }
    void selectItem(int index);
    QPushButton* newButton() const { return m_new; }
    QPushButton* duplicateButton() const { return m_duplicate; }
    QPushButton* deleteButton() const { return m_delete; }
    QScrollArea* formArea() const { return m_scroll; }

protected:
    // A titled section of the form; its rows go into the returned layout.
    QFormLayout* addSection(const QString& title, const QString& hint = {});
    // A unique name in the list: `base` when free, else "base-2", "base-3"…
    QString uniqueName(const QString& base) const;
    QStringList names() const;
    // The item "New" appends, and a duplicate of `item` ready to append (a unique name at least).
    virtual YAML::Node newItem() const = 0;
    virtual YAML::Node duplicateOf(const YAML::Node& item) const;
    // The question Delete asks about `name`.
    virtual QString deleteQuestion(const QString& name) const;

    void showEvent(QShowEvent* event) override;

private:
    void syncFromView(bool afterReset = false);
    void addNew();
    void duplicate();
    void askToDelete();

    // The window's document and this page's children die before the page's own handlers stop:
    // a model reset during teardown must not reach them.
    QPointer<ConfigDocument> m_doc;
    QString m_listKey;
    QString m_noun;
    QPointer<FormBinder> m_binder;
    QSplitter* m_splitter;
    QScrollArea* m_scroll;
    QVBoxLayout* m_form;
    QLabel* m_empty;
    QList<QFormLayout*> m_sections;
    bool m_aligned = false;
    QPushButton* m_new;
    QPushButton* m_duplicate;
    QPushButton* m_delete;
    int m_item = -1;
    bool m_resetting = false; // the model is being rebuilt: its transient selections mean nothing
};

} // namespace tollgate::ui
