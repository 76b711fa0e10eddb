#pragma once
// An editable table bound to a YAML list of a ConfigDocument ("targets", "routes", "ip_rules.deny",
// "rate_limits"): one row per item, one column per field, add / remove / move buttons, each change
// one undoable edit. Items are maps (a column per key) or scalars (one column with an empty key). A
// Flag column is a check box telling whether a list field of the item holds a value (a route's
// methods); a Choice column a combo box of the values the loader accepts (a rate limit's unit).
// The loader's message about an item shows in that cell's tooltip and under the table.
//
// The list key is relative to the FormBinder's prefix; the table follows the binder (empty prefix =
// disabled, re-read after every document change). Use from the UI thread only.

#include <yaml-cpp/yaml.h>

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <utility>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;

namespace tollgate::ui {

class FormBinder;

struct ListColumn {
    enum class Kind {
        Text,   // the item's `key` as text; an empty cell removes the key (the loader's default)
        Flag,   // checked when the list at `key` holds `flag`
        File,   // text, plus a "Choose…" button for the current row
        Choice, // one of `choices`, picked in a combo box always shown in the cell
    };
    ListColumn(QString title, QString key, Kind kind = Kind::Text, QString flag = {}, int widthChars = 0)
        : title(std::move(title)), key(std::move(key)), kind(kind), flag(std::move(flag)),
          widthChars(widthChars) {}
    static ListColumn choice(QString title, QString key, QStringList choices) {
        ListColumn c(std::move(title), std::move(key), Kind::Choice);
        c.choices = std::move(choices);
        return c;
    }

    QString title;
    QString key; // the field of each item; "" when the items are scalars
    Kind kind;
    QString flag;
    int widthChars; // 0: stretch
    QStringList choices;
};

class ListEditor : public QWidget {
    Q_OBJECT
public:
    // `newItem` makes the item "Add" appends, given the list as it is (for a unique name).
    using NewItem = std::function<YAML::Node(const YAML::Node& list)>;
    ListEditor(FormBinder* binder, const QString& listKey, QList<ListColumn> columns, NewItem newItem,
               const QString& itemWord, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    QPushButton* addButton() const { return m_add; }
    QPushButton* removeButton() const { return m_remove; }
    QPushButton* upButton() const { return m_up; }
    QPushButton* downButton() const { return m_down; }
    // The loader's message about the list, under the table (hidden when there is none).
    QLabel* message() const { return m_message; }
    // The combo box of a Choice cell, null for other columns.
    QComboBox* comboAt(int row, int column) const;
    // Items keep their order in the file; show the move buttons when that order means something.
    void setReorderable(bool on);
    // A grey line under the table (what an empty list means, say).
    void setHint(const QString& text);
    // Removing the last item removes the list's key too, where an empty list means the same as none.
    void setDropsEmptyList(bool on) { m_dropsEmpty = on; }
    // The absolute key of row `row` ("services[0].targets[1]").
    QString itemKey(int row) const;

    void addItem();
    void removeCurrent();
    void moveCurrent(int by);

private:
    void reload();
    void onItemChanged(QTableWidgetItem* item);
    void reloadChoice(int row, int column, const YAML::Node& value, const QString& problem);
    void writeChoice(int row, int column, const QString& text);
    void chooseFile(int column);
    void fitHeight();
    void updateButtons();
    QString cellKey(int row, int column) const;

    FormBinder* m_binder;
    QString m_listKey;
    QList<ListColumn> m_columns;
    NewItem m_newItem;
    QString m_itemWord;
    QTableWidget* m_table;
    QPushButton* m_add;
    QPushButton* m_remove;
    QPushButton* m_up;
    QPushButton* m_down;
    QList<QPushButton*> m_fileButtons;
    QLabel* m_hint;
    QLabel* m_message;
    bool m_loading = false;
    bool m_dropsEmpty = false;
};

// `item[key]` when `item` is a map holding `key`, else an undefined node: yaml-cpp throws on asking the
// type of a missing key's node.
YAML::Node childOf(const YAML::Node& item, const std::string& key);

// "base-N" with the smallest N >= 2 that no item of `list` has as its `key`, or `base` itself when
// free and `preferBare`.
QString uniqueName(const YAML::Node& list, const QString& base, const QString& key = QStringLiteral("name"),
                   bool preferBare = false);

} // namespace tollgate::ui
