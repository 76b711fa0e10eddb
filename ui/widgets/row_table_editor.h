#pragma once
// Edits a YAML list under the form's item as a table with an editor in every cell: rate limits (a
// map per row: requests, per) or a list of scalars (CIDRs). Every change is one undoable document
// edit (typing in one cell merges into one step); the loader's message about the list shows under
// the table and marks the cells it is about. Use from the UI thread only.

#include <QList>
#include <QStringList>
#include <QWidget>

#include <functional>

#include <yaml-cpp/yaml.h>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace tollgate::ui {

class FormBinder;

class RowTableEditor : public QWidget {
    Q_OBJECT
public:
    struct Column {
        QString key;         // the map key of the row's item; "" when the items are scalars
        QString title;       // header text
        QStringList choices; // non-empty: a combo box of these values, else a text field
        QString placeholder; // grey text in an empty field
    };
    // `listKey` is relative to the binder's prefix ("rate_limits"). `newItem` gets the current list
    // (possibly undefined) and returns the row "Add" appends. `noun` names undo steps ("rate limit").
    RowTableEditor(FormBinder* binder, const QString& listKey, QList<Column> columns, const QString& noun,
                   std::function<YAML::Node(const YAML::Node& list)> newItem, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }
    QLabel* message() const { return m_message; }
    QLineEdit* lineAt(int row, int column) const;
    QComboBox* comboAt(int row, int column) const;

private:
    void reload();
    QWidget* makeCell(int row, int column);
    void write(int row, int column, const QString& text);
    void addRow();
    void removeRow();
    QString itemKey(int row, int column) const; // absolute key of a cell's value
    void fitHeight();

    FormBinder* m_binder;
    QString m_listKey;
    QList<Column> m_columns;
    QString m_noun;
    std::function<YAML::Node(const YAML::Node&)> m_newItem;
    QTableWidget* m_table;
    QPushButton* m_add;
    QPushButton* m_remove;
    QLabel* m_message;
    bool m_loading = false;
};

} // namespace tollgate::ui
