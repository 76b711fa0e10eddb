#include "pages/reports_page.h"

#include "bridge/engine_controller.h"
#include "models/billing_table_model.h"
#include "pages/page_header.h"
#include "reports/quota_bar_delegate.h"
#include "tollgate/config_file.h"

#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {
namespace {

QDate currentUtcMonth() {
    const QDate today = QDateTime::currentDateTimeUtc().date();
    return {today.year(), today.month(), 1};
}

BillingPeriod billingPeriod(QDate month) {
    BillingPeriod p;
    std::string error;
    // The month comes from a QDate, so it is always well formed.
    parseBillingPeriod(month.toString(QStringLiteral("yyyy-MM")).toStdString(), p, error);
    return p;
}

QString monthName(QDate month) {
    return QLocale().toString(month, QStringLiteral("MMMM yyyy"));
}

} // namespace

ReportsPage::ReportsPage(EngineController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_model(new BillingTableModel(this)),
      m_proxy(new QSortFilterProxyModel(this)), m_period(currentUtcMonth()) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makePageHeader(
        tr("Reports"),
        tr("What each consumer owes for a month (UTC): billable requests, refusals (not billed), quota "
           "use, overage and the plan's price. The same figures as <code>tollgated report</code>."),
        this));

    auto* bar = new QHBoxLayout;
    bar->setSpacing(6);
    m_previous = new QPushButton(QStringLiteral("◀"), this);
    m_previous->setObjectName(QStringLiteral("previousMonth"));
    m_previous->setToolTip(tr("Previous month"));
    m_previous->setFixedWidth(m_previous->fontMetrics().horizontalAdvance(QStringLiteral("◀")) + 24);
    m_month = new QDateEdit(m_period, this);
    m_month->setObjectName(QStringLiteral("reportMonth"));
    m_month->setDisplayFormat(QStringLiteral("MMMM yyyy"));
    m_month->setMinimumDate(QDate(1970, 1, 1));
    m_month->setMinimumWidth(m_month->fontMetrics().horizontalAdvance(QStringLiteral("September 2026")) + 48);
    m_next = new QPushButton(QStringLiteral("▶"), this);
    m_next->setObjectName(QStringLiteral("nextMonth"));
    m_next->setToolTip(tr("Next month"));
    m_next->setFixedWidth(m_previous->width());
    auto* thisMonth = new QPushButton(tr("This month"), this);
    bar->addWidget(m_previous);
    bar->addWidget(m_month);
    bar->addWidget(m_next);
    bar->addWidget(thisMonth);
    bar->addSpacing(18);
    auto* planCaption = new QLabel(tr("Plan:"), this);
    m_plan = new QComboBox(this);
    m_plan->setObjectName(QStringLiteral("reportPlan"));
    m_plan->setMinimumContentsLength(12);
    m_plan->addItem(tr("All plans"), QString());
    planCaption->setBuddy(m_plan);
    bar->addWidget(planCaption);
    bar->addWidget(m_plan);
    bar->addStretch(1);

    m_refresh = new QAction(tr("Refresh"), this);
    m_refresh->setObjectName(QStringLiteral("refreshReport"));
    m_refresh->setShortcut(QKeySequence(Qt::Key_F5));
    m_refresh->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_refresh->setToolTip(tr("Read the store again (F5)"));
    addAction(m_refresh);
    auto* refreshButton = new QToolButton(this);
    refreshButton->setDefaultAction(m_refresh);
    bar->addWidget(refreshButton);
    m_export = new QToolButton(this);
    m_export->setObjectName(QStringLiteral("exportReport"));
    m_export->setText(tr("Export"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_export);
    menu->addAction(tr("As CSV…"), this, [this] { chooseExport(Format::Csv); });
    menu->addAction(tr("As JSON…"), this, [this] { chooseExport(Format::Json); });
    m_export->setMenu(menu);
    m_export->setEnabled(false);
    bar->addWidget(m_export);
    layout->addLayout(bar);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("reportMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setVisible(false);
    layout->addWidget(m_message);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(BillingTableModel::SortRole);
    m_proxy->setFilterKeyColumn(BillingTableModel::Plan);
    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("reportTable"));
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setItemDelegate(new RoomyDelegate(m_view));
    m_view->setItemDelegateForColumn(BillingTableModel::QuotaUse, new QuotaBarDelegate(m_view));
    m_view->setAlternatingRowColors(true);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Config order until the user picks a column; a third click on it goes back to config order.
    m_view->header()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->header()->setSortIndicatorClearable(true);
    m_view->setSortingEnabled(true);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->header()->setSectionResizeMode(BillingTableModel::Consumer, QHeaderView::Stretch);
    const int ch = m_view->fontMetrics().horizontalAdvance(QLatin1Char('x'));
    const int widths[] = {0, 14, 12, 10, 38, 11, 16};
    for (int c = BillingTableModel::Plan; c < BillingTableModel::ColumnCount; ++c) {
        m_view->setColumnWidth(c, widths[c] * ch + 16);
    }
    layout->addWidget(m_view, 1);

    m_totals = new QLabel(this);
    m_totals->setObjectName(QStringLiteral("reportTotals"));
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totals->setStyleSheet(QStringLiteral("QLabel { padding: 6px 2px; }"));
    layout->addWidget(m_totals);

    m_live = new QTimer(this);
    m_live->setInterval(5000);

    connect(m_previous, &QPushButton::clicked, this, [this] { setPeriod(m_period.addMonths(-1)); });
    connect(m_next, &QPushButton::clicked, this, [this] { setPeriod(m_period.addMonths(1)); });
    connect(thisMonth, &QPushButton::clicked, this, [this] { setPeriod(currentUtcMonth()); });
    connect(m_month, &QDateEdit::dateChanged, this, [this](QDate d) { setPeriod(d); });
    connect(m_plan, &QComboBox::currentIndexChanged, this, [this] {
        const QString plan = m_plan->currentData().toString();
        m_proxy->setFilterRegularExpression(
            plan.isEmpty()
                ? QRegularExpression()
                : QRegularExpression(QLatin1Char('^') + QRegularExpression::escape(plan) + QLatin1Char('$')));
        updateTotals();
    });
    connect(m_refresh, &QAction::triggered, this, &ReportsPage::refresh);
    connect(m_live, &QTimer::timeout, this, [this] {
        // Only the month being billed changes; an answer still on its way makes this tick redundant.
        if (m_ticket == 0 && m_period == currentUtcMonth()) {
            refresh();
        }
    });
    connect(m_controller, &EngineController::billingReported, this, &ReportsPage::onReported);
    connect(m_controller, &EngineController::stateChanged, this, [this](GatewayState state) {
        if (state == GatewayState::Running || state == GatewayState::Stopped) {
            if (isVisible()) {
                refresh();
            }
        }
        if (state == GatewayState::Running && isVisible()) {
            m_live->start();
        } else if (state != GatewayState::Running) {
            m_live->stop();
        }
    });
    updateTotals();
}

void ReportsPage::setPeriod(QDate month) {
    if (!month.isValid()) {
        return;
    }
    const QDate first(month.year(), month.month(), 1);
    if (first != m_month->date()) {
        const QSignalBlocker quiet(m_month);
        m_month->setDate(first);
    }
    if (first == m_period && m_result.period.year == first.year() && m_result.period.month == first.month()) {
        return;
    }
    m_period = first;
    refresh();
}

void ReportsPage::refresh() {
    m_ticket = m_controller->billingReport(billingPeriod(m_period));
}

void ReportsPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
    if (m_controller->state() == GatewayState::Running) {
        m_live->start();
    }
}

void ReportsPage::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    m_live->stop();
}

void ReportsPage::onReported(quint64 ticket, const BillingReportResult& result) {
    if (ticket != m_ticket) {
        return;
    }
    m_ticket = 0;
    m_result = result;
    m_model->setRows(result.ok ? result.rows : std::vector<BillingRow>{});
    fillPlans();
    updateTotals();
    m_export->setEnabled(result.ok);

    const QString month = monthName(m_period);
    if (result.storeMissing) {
        showMessage(tr("Nothing has been recorded yet: the store %1 does not exist. Start the gateway and "
                       "send it some traffic; the report fills in as requests are counted.")
                        .arg(result.storePath),
                    false);
    } else if (!result.ok) {
        showMessage(tr("The report for %1 cannot be read: %2").arg(month, result.error), true);
    } else {
        QStringList lines;
        const BillingTotals all = billingTotals(result.rows);
        if (result.rows.empty()) {
            lines << tr("The configuration has no consumers to bill.");
        } else if (all.requests == 0 && all.refused == 0) {
            lines << tr("No traffic recorded for %1: each consumer owes its plan's monthly price only.")
                         .arg(month);
        }
        if (!result.running) {
            lines << tr("The gateway is not running: these are the figures recorded up to its last stop.");
        }
        showMessage(lines.join(QLatin1Char(' ')), false);
    }
    emit reportShown();
}

void ReportsPage::showMessage(const QString& text, bool problem) {
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    m_message->setStyleSheet(problem ? QStringLiteral("QLabel { color: #c53030; padding: 4px 0; }")
                                     : QStringLiteral("QLabel { color: #4a5568; padding: 4px 0; }"));
}

void ReportsPage::fillPlans() {
    const QString current = m_plan->currentData().toString();
    QStringList plans;
    for (const BillingRow& r : m_model->rows()) {
        const QString p = QString::fromStdString(r.plan);
        if (!plans.contains(p)) {
            plans << p;
        }
    }
    {
        const QSignalBlocker quiet(m_plan);
        while (m_plan->count() > 1) {
            m_plan->removeItem(1);
        }
        for (const QString& p : std::as_const(plans)) {
            m_plan->addItem(p, p);
        }
        // A plan no longer in the report keeps its filter (an empty table says so) until changed.
        if (!current.isEmpty() && m_plan->findData(current) < 0) {
            m_plan->addItem(current, current);
        }
        m_plan->setCurrentIndex(std::max(0, m_plan->findData(current)));
    }
}

void ReportsPage::updateTotals() {
    if (!m_result.ok) {
        m_totals->clear();
        return;
    }
    const BillingTotals t = billingTotals(m_model->rowsOfPlan(m_plan->currentData().toString()));
    const QLocale l;
    m_totals->setText(tr("<b>Total</b> for %1 consumers: <b>%2</b> requests · %3 refused · <b>%4</b> over "
                         "quota · <b>%5</b>")
                          .arg(t.consumers)
                          .arg(l.toString(static_cast<qulonglong>(t.requests)),
                               l.toString(static_cast<qulonglong>(t.refused)),
                               l.toString(static_cast<qulonglong>(t.overage)), formatPriceTotals(t.price)));
}

bool ReportsPage::exportTo(const QString& path, Format format, QString* error) const {
    if (!m_result.ok) {
        if (error) {
            *error = tr("there is no report to export");
        }
        return false;
    }
    const std::vector<BillingRow> rows = m_model->rowsOfPlan(m_plan->currentData().toString());
    const std::string text = format == Format::Csv ? billingCsv(rows) : billingJson(m_result.period, rows);
    std::string why;
    if (!replaceFileAtomically(path.toStdString(), text, why)) {
        if (error) {
            *error = QString::fromStdString(why);
        }
        return false;
    }
    return true;
}

void ReportsPage::chooseExport(Format format) {
    const bool csv = format == Format::Csv;
    const QString name = QStringLiteral("tollgate-report-%1.%2")
                             .arg(m_period.toString(QStringLiteral("yyyy-MM")),
                                  csv ? QStringLiteral("csv") : QStringLiteral("json"));
    const QString path =
        QFileDialog::getSaveFileName(this, csv ? tr("Export as CSV") : tr("Export as JSON"), name,
                                     csv ? tr("CSV files (*.csv)") : tr("JSON files (*.json)"));
    QString error;
    if (!path.isEmpty() && !exportTo(path, format, &error)) {
        showMessage(tr("Export failed: %1").arg(error), true);
    }
}

} // namespace tollgate::ui
