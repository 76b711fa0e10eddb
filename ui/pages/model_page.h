#pragma once
// A page showing one model in a tree view with a filter field above it: APIs, services, consumers,
// plans and settings are all this shape. Pages add their own widgets below the view.

#include <QWidget>

class QAbstractItemModel;
class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;
class QVBoxLayout;

namespace tollgate::ui {

class ModelPage : public QWidget {
    Q_OBJECT
public:
    ModelPage(const QString& title, const QString& text, QAbstractItemModel* model,
              QWidget* parent = nullptr);

    QTreeView* view() const { return m_view; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QLineEdit* filterField() const { return m_filter; }
    // Column widths in characters (the last column stretches); applied after each reset.
    void setColumnWidths(const QList<int>& chars);

protected:
    QVBoxLayout* pageLayout() const { return m_layout; }

private:
    void fitColumns();
    void rememberSelection();
    void restoreSelection();

    QVBoxLayout* m_layout;
    QLineEdit* m_filter;
    QTreeView* m_view;
    QSortFilterProxyModel* m_proxy;
    QList<int> m_widths;
    QList<int> m_selectedRows; // the current row's path from the root, across a model reset
    int m_scroll = 0;
};

} // namespace tollgate::ui
