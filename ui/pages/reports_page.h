#pragma once
// Reports: a month's billing, one row per consumer (requests, refusals, quota use, overage, price),
// from the running gateway's store through the EngineController (computed on a thread of its own, never
// the UI's), with totals, a plan filter and exports that write the core's CSV and JSON byte for byte.

#include "bridge/engine_types.h"

#include <QDate>
#include <QWidget>

class QAction;
class QComboBox;
class QDateEdit;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTimer;
class QToolButton;
class QTreeView;

namespace tollgate::ui {

class BillingTableModel;
class EngineController;

class ReportsPage : public QWidget {
    Q_OBJECT
public:
    enum class Format { Csv, Json };

    ReportsPage(EngineController* controller, QWidget* parent = nullptr);

    // The first day of the month shown (a UTC calendar month).
    QDate period() const { return m_period; }
    void setPeriod(QDate month);
    // Asks the controller for the shown month again; the answer arrives as reportShown().
    void refresh();

    // The rows the plan filter lets through, in config order, as billingCsv / billingJson write them,
    // replacing `path` atomically.
    bool exportTo(const QString& path, Format format, QString* error = nullptr) const;

    BillingTableModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    QTreeView* view() const { return m_view; }
    QComboBox* planFilter() const { return m_plan; }
    QDateEdit* monthEdit() const { return m_month; }
    QPushButton* previousButton() const { return m_previous; }
    QPushButton* nextButton() const { return m_next; }
    QAction* refreshAction() const { return m_refresh; }
    QLabel* messageLabel() const { return m_message; }
    QLabel* totalsLabel() const { return m_totals; }
    const BillingReportResult& lastResult() const { return m_result; }

signals:
    // A report (or the reason there is none) is on screen for period().
    void reportShown();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void onReported(quint64 ticket, const BillingReportResult& result);
    void showMessage(const QString& text, bool problem);
    void fillPlans();
    void updateTotals();
    void chooseExport(Format format);

    EngineController* m_controller;
    BillingTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QDate m_period;
    quint64 m_ticket = 0; // the newest request; older answers are dropped
    BillingReportResult m_result;
    QPushButton* m_previous;
    QPushButton* m_next;
    QDateEdit* m_month;
    QComboBox* m_plan;
    QAction* m_refresh;
    QToolButton* m_export;
    QLabel* m_message;
    QTreeView* m_view;
    QLabel* m_totals;
    QTimer* m_live; // re-reads the current month while the page is visible and the gateway runs
};

} // namespace tollgate::ui
