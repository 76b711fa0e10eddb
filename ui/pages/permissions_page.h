#pragma once
// The Permissions page: the access rules as a matrix of routes x plans or consumers, edited with a
// click on a method chip or a block of selected cells at once (Grant, Deny, Clear). The matrix keeps
// its expanded APIs, selection and filters across every document change.

#include "models/permission_matrix_model.h"

#include <QSet>
#include <QWidget>

class QAbstractButton;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTreeView;

namespace tollgate::ui {

class ConfigDocument;
class PermissionChipDelegate;

class PermissionsPage : public QWidget {
    Q_OBJECT
public:
    explicit PermissionsPage(ConfigDocument* document, QWidget* parent = nullptr);

    PermissionMatrixModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTreeView* view() const { return m_view; }
    QLineEdit* rowFilter() const { return m_rowFilter; }
    QLineEdit* columnFilter() const { return m_columnFilter; }
    QAbstractButton* plansButton() const;
    QAbstractButton* consumersButton() const;
    QPushButton* grantButton() const { return m_grant; }
    QPushButton* denyButton() const { return m_deny; }
    QPushButton* clearButton() const { return m_clear; }

    void showSubjects(PermissionMatrixModel::Subjects kind);
    // The view index of a route cell, and where chip `chip` of a view index is drawn (viewport
    // coordinates; empty when it is not shown).
    QModelIndex cell(int api, int route, const QString& subject) const;
    QRect chipRect(const QModelIndex& viewIndex, int chip) const;
    // Grant, deny or clear the selected cells: one undo step.
    bool applyToSelection(PermissionMatrixModel::Action action);

private:
    void onChipClicked(const QModelIndex& viewIndex, int chip);
    void rememberState();
    void restoreState();
    void applyExpansion();
    void applyColumnFilter();
    void fitColumns();
    void updateButtons();
    void showMenu(const QPoint& pos);

    ConfigDocument* m_document;
    PermissionMatrixModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTreeView* m_view;
    PermissionChipDelegate* m_delegate;
    QLineEdit* m_rowFilter;
    QLineEdit* m_columnFilter;
    QPushButton* m_plans;
    QPushButton* m_consumers;
    QPushButton* m_grant;
    QPushButton* m_deny;
    QPushButton* m_clear;
    QLabel* m_note;
    QSet<QString> m_collapsed;                 // API row keys the user folded
    QList<QPair<QString, QString>> m_selected; // (row key, subject) across a reset
};

} // namespace tollgate::ui
