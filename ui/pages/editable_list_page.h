#pragma once
// A page that edits one list of the config ("services", "consumers"): the model's tree on top, the
// selected item's form under it, and New / Duplicate / Delete buttons, every change one undoable
// edit of the ConfigDocument; Delete asks first. Subclasses build the form on formLayout() (or in
// sections from addSection()) with binder(), whose prefix follows the selection ("services[1]").
//
// The tree shows the newest valid config; the form reads the document itself, so it keeps the item
// the user is on while the text does not validate. Use from the UI thread only.

#include "pages/model_page.h"

#include <QPointer>

#include <yaml-cpp/yaml.h>

class QFormLayout;
class QLabel;
class QPushButton;
class QShowEvent;
class QSplitter;
class QVBoxLayout;

namespace tollgate::ui {

class ConfigDocument;
class FormBinder;

class EditableListPage : public ModelPage {
    Q_OBJECT
public:
    // `listKey`: the config's list ("services"), whose items are the model's top-level rows, in
    // order; `itemWord`: what an item is called ("service"), in buttons and undo steps.
    EditableListPage(const QString& title, const QString& text, QAbstractItemModel* model,
                     ConfigDocument* doc, const QString& listKey, const QString& itemWord,
                     QWidget* parent = nullptr);

    ConfigDocument* document() const;
    FormBinder* binder() const;
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
    // Asks first, without blocking (the question names what refers to the item); deletes on "Delete".
    void deleteCurrent();

protected:
    // The column the form is built in (inside a scroll area under the tree).
    QVBoxLayout* formLayout() const { return m_formLayout; }
    QWidget* formWidget() const { return m_form; }
    // A titled section in a column as wide as a line of text, its labels lined up with every other
    // section's; its rows go into the returned layout.
    QFormLayout* addSection(const QString& title, const QString& hint = {});
    // Where the tree sits: subclasses may put more under it (the path tester).
    QVBoxLayout* treeColumn() const { return m_treeColumn; }
    QSplitter* splitter() const { return m_splitter; }
    // Off: the form stays empty until the user picks an item, rather than opening on the first.
    void setOpensOnFirstItem(bool on) { m_opensOnFirst = on; }
    // Copies are named NAME<suffix> (NAME<suffix>-N when taken) rather than NAME-N.
    void setCopySuffix(const QString& suffix) { m_copySuffix = suffix; }
    // The items' names, in order ("" for an item without one).
    QStringList itemNames() const;
    // The item "New" appends, given the list as it is.
    virtual YAML::Node newItem(const YAML::Node& list) const = 0;
    // A copy of `item` that keeps the config valid (a unique name; subclasses change more).
    virtual YAML::Node duplicateItem(const YAML::Node& item, const YAML::Node& list) const;
    // What else names the item at `index` (said in the delete question), "" when nothing.
    virtual QString referencesTo(int index) const;
    // The tree row that shows item `index` changed to `current` (a child row when the user picked one).
    virtual void onItemSelected(const QModelIndex& current);

    void showEvent(QShowEvent* event) override;

private:
    void onCurrentChanged(const QModelIndex& current);
    void afterModelReset();
    void updateButtons();
    void alignSectionLabels();

    // The window's document and this page's children die before the page's own handlers stop:
    // a model reset during teardown must not reach them.
    QPointer<ConfigDocument> m_doc;
    QPointer<FormBinder> m_binder;
    QString m_listKey;
    QString m_itemWord;
    int m_item = -1;
    bool m_resetting = false; // the model is being rebuilt: its transient selections mean nothing
    bool m_opensOnFirst = true;
    QString m_copySuffix;
    QSplitter* m_splitter;
    QVBoxLayout* m_treeColumn;
    QWidget* m_form;
    QVBoxLayout* m_formLayout;
    QVBoxLayout* m_sectionColumn = nullptr;
    QList<QFormLayout*> m_sections;
    bool m_aligned = false;
    QLabel* m_itemMessage;
    QPushButton* m_new;
    QPushButton* m_duplicate;
    QPushButton* m_delete;
};

} // namespace tollgate::ui
