#pragma once
// Dashboard: who consumes what, live. Requests per second stacked by status class, latency
// percentiles, error and refusal rates, top consumers and routes, and a quota gauge per consumer.
// Live (5 min at 1 s) comes from the request feed; 1 h to 30 d from the store. Charts redraw once per
// tick (1 s live, on arrival for history), whatever the request rate.

#include "bridge/engine_types.h"
#include "dashboard/dashboard_series.h"

#include <QWidget>

#include <array>
#include <memory>

class QComboBox;
class QGridLayout;
class QLabel;
class QProgressBar;
class QTimer;

class QAbstractAxis;
class QChart;
class QChartView;
class QLineSeries;

namespace tollgate {
struct Config;
}

namespace tollgate::ui {

class EngineController;

class DashboardPage : public QWidget {
    Q_OBJECT
public:
    enum class Range { Live, Hour, Day, Week, Month };

    DashboardPage(EngineController* controller, QWidget* parent = nullptr);

    // Fills the filter choices and the gauges' consumers.
    void setConfig(std::shared_ptr<const Config> config);
    void setRange(Range range);
    Range range() const { return m_range; }
    // What the charts show now (for tests and the summary line).
    const DashboardData& shown() const { return m_data; }
    QChart* chart(int index) const; // 0 rps, 1 latency, 2 errors, 3 top consumers, 4 top routes
    int gaugeCount() const;
    // Redraws now instead of at the next tick.
    void refresh();

private:
    void showEvent(QShowEvent* event) override;
    void onTraffic(const RecordBatch& records);
    void onHistory(quint64 ticket, bool ok, const UsageHistory& history, const QString& error);
    void onUsage(quint64 ticket, const std::vector<ConsumerUsage>& usage);
    void makeSeries();
    void askUsage(); // the quota gauges' numbers
    // `ranks`: the top consumers and routes too. The live tick redraws them every 6 s only: they sum
    // 5 minutes, and relabelling bars is a third of a redraw.
    void draw(bool ranks = true);
    void filterChanged();
    DashboardFilter filter() const;

    EngineController* m_controller;
    std::shared_ptr<const Config> m_config;
    Range m_range = Range::Live;
    LiveSeries m_live;
    DashboardData m_data;
    QComboBox* m_rangeBox;
    QComboBox* m_api;
    QComboBox* m_plan;
    QComboBox* m_consumer;
    QLabel* m_summary;
    QList<QChartView*> m_views;
    std::array<std::pair<QLineSeries*, QLineSeries*>, 4> m_rpsBands{}; // lower, upper per status class
    std::array<QLineSeries*, 3> m_latencyLines{};                      // p50, p95, p99
    // Per time chart, the x axis of the live range ("-5 min" .. "now": it never moves, so QtCharts
    // does not lay its labels out every second) and the date axis of the history ranges. The one not
    // in use belongs to the page.
    std::array<QAbstractAxis*, 3> m_liveAxes{};
    std::array<QAbstractAxis*, 3> m_dateAxes{};
    void useAxes(bool live);
    QLineSeries* m_errorLine = nullptr;
    QLineSeries* m_refusalLine = nullptr;
    QGridLayout* m_gauges;
    struct GaugeRow {
        QLabel* name;
        QProgressBar* bar;
        QLabel* detail;
    };
    std::vector<GaugeRow> m_gaugeRows;
    QLabel* m_noGauges = nullptr;
    QWidget* m_gaugeBox;
    QTimer* m_tick;
    quint64 m_historyTicket = 0;
    quint64 m_usageTicket = 0;
    int m_tickCount = 0;
    size_t m_recordsSinceTick = 0;
};

} // namespace tollgate::ui
