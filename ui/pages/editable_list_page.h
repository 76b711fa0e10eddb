#pragma once
// A page that edits one list of the config ("services", "apis"): the model's tree on top, the
// selected item's form under it, and New / Duplicate / Delete buttons, every change one undoable
// edit of the ConfigDocument. Subclasses build the form on formLayout() with binder(), whose prefix
// follows the selection ("services[1]").
//
// The tree shows the newest valid config; the form reads the document itself, so it keeps the item
// the user is on while the text does not validate. Use from the UI thread only.

#include "pages/model_page.h"

#include <yaml-cpp/yaml.h>

class QLabel;
class QPushButton;
class QSplitter;
class QVBoxLayout;

namespace tollgate::ui {

class ConfigDocument;
class FormBinder;

class EditableListPage : public ModelPage {
    Q_OBJECT
public:
    // `listKey`: the config's list ("services"); `itemWord`: what an item is called ("service").
    EditableListPage(const QString& title, const QString& text, QAbstractItemModel* model,
                     ConfigDocument* doc, const QString& listKey, const QString& itemWord,
                     QWidget* parent = nullptr);

    ConfigDocument* document() const { return m_doc; }
    FormBinder* binder() const { return m_binder; }
    // The index of the item the form shows, -1 when none.
    int currentItem() const { return m_item; }
    void selectItem(int index);
    int itemCount() const;

    // What the loader says about the item as a whole, under the form's title.
    QLabel* itemMessage() const { return m_itemMessage; }
    QPushButton* newButton() const { return m_new; }
    QPushButton* duplicateButton() const { return m_duplicate; }
    QPushButton* deleteButton() const { return m_delete; }

    // The buttons' actions. Each is one undoable edit and selects what it made.
    int addNew();
    int duplicateCurrent();
    // Asks first (the question names what refers to the item) unless `confirm` is false.
    bool deleteCurrent(bool confirm = true);

protected:
    // The column the form is built in (inside a scroll area under the tree).
    QVBoxLayout* formLayout() const { return m_formLayout; }
    QWidget* formWidget() const { return m_form; }
    // Where the tree sits: subclasses may put more under it (the path tester).
    QVBoxLayout* treeColumn() const { return m_treeColumn; }
    QSplitter* splitter() const { return m_splitter; }
    // The item "New" appends, given the list as it is.
    virtual YAML::Node newItem(const YAML::Node& list) const = 0;
    // A copy of `item` that keeps the config valid (a unique name; subclasses change more).
    virtual YAML::Node duplicateItem(const YAML::Node& item, const YAML::Node& list) const;
    // What else names the item at `index` (said in the delete question), "" when nothing.
    virtual QString referencesTo(int index) const;
    // The tree row that shows item `index` changed to `current` (a child row when the user picked one).
    virtual void onItemSelected(const QModelIndex& current);

private:
    void onCurrentChanged(const QModelIndex& current);
    void afterModelReset();
    void updateButtons();

    ConfigDocument* m_doc;
    FormBinder* m_binder;
    QString m_listKey;
    QString m_itemWord;
    int m_item = -1;
    bool m_resetting = false;
    QSplitter* m_splitter;
    QVBoxLayout* m_treeColumn;
    QWidget* m_form;
    QVBoxLayout* m_formLayout;
    QLabel* m_itemMessage;
    QPushButton* m_new;
    QPushButton* m_duplicate;
    QPushButton* m_delete;
};

} // namespace tollgate::ui
