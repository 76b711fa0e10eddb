#pragma once
// The console's only door to the engine. It owns a tollgate::Engine on a worker thread, so the UI
// thread never waits on it: commands return at once and their outcome arrives as signals; while the
// gateway runs, a status snapshot arrives five times a second. Use from the UI thread only.

#include "bridge/engine_types.h"
#include "bridge/gateway_state.h"

#include <QObject>
#include <QString>
#include <QThread>
#include <QThreadPool>

#include <chrono>
#include <memory>

namespace tollgate::ui {

class EngineWorker;

class EngineController : public QObject {
    Q_OBJECT
public:
    explicit EngineController(QObject* parent = nullptr,
                              std::chrono::milliseconds pollInterval = std::chrono::milliseconds(200));
    ~EngineController() override; // stops the gateway without grace and joins the worker thread

    // The config that start(), restart(), apply(), explain() and matchRoute() use from now on.
    void setConfig(std::shared_ptr<const Config> config);
    std::shared_ptr<const Config> config() const { return m_config; }

    GatewayState state() const { return m_state; }
    QString lastError() const { return m_lastError; }
    // The latest snapshot (listeners, uptime, counters); empty while not running.
    const EngineStatus& status() const { return m_status; }

    // Each is ignored when it makes no sense in the current state (start while running...).
    void start();
    void stop();
    void restart();
    void apply();
    // Answers arrive as explained()/routeMatched() with the returned ticket.
    quint64 explain(const ExplainQuery& query);
    quint64 matchRoute(const QString& method, const QString& path);
    // While on, new request records arrive as trafficArrived() batches (one per poll, off the UI
    // thread's work); turning it on first sends the last `backlog` records the engine holds.
    void setTrafficFeed(bool on, size_t backlog = 10'000);
    // History from the store and live counters; answers arrive as usageQueried()/consumerUsageRead().
    quint64 queryUsage(const UsageQuery& query);
    quint64 consumerUsage(const std::vector<std::string>& consumers);
    // The month's billing report (tollgate/report.h) from the running gateway's store and config, or,
    // while stopped, from the store the current config names; the answer is billingReported(). It is
    // read on a thread of its own: a large store takes a tenth of a second, which the engine's
    // controlling thread (start, stop, status polls) should not wait for.
    quint64 billingReport(const BillingPeriod& period);
    // Request and response heads of recent records (kept while the traffic feed is on, for the last
    // 1,024 requests); the ones still kept arrive as exchangesRead().
    quint64 exchanges(const std::vector<uint64_t>& seqs);

signals:
    void stateChanged(tollgate::ui::GatewayState state, const QString& message);
    void statusUpdated(const tollgate::EngineStatus& status);
    // A listener's address is taken by another program; `freePort` (0: none found) is one to offer.
    void addressInUse(const QString& address, quint16 freePort);
    void applied(bool ok, const QString& message);
    void explained(quint64 ticket, const tollgate::ExplainResult& result);
    void routeMatched(quint64 ticket, const tollgate::RouteMatchResult& result);
    void trafficArrived(const tollgate::ui::RecordBatch& records);
    void usageQueried(quint64 ticket, bool ok, const tollgate::UsageHistory& history, const QString& error);
    void consumerUsageRead(quint64 ticket, const std::vector<tollgate::ConsumerUsage>& usage);
    void billingReported(quint64 ticket, const tollgate::ui::BillingReportResult& result);
    void exchangesRead(quint64 ticket, const std::vector<tollgate::CapturedExchange>& found);

private:
    void setState(GatewayState state, const QString& message = {});
    void onStarted(bool ok, const QString& error, const QString& busyAddress, quint16 freePort);
    void onStopped();
    std::chrono::milliseconds grace() const;

    void computeBillingReport(quint64 ticket, BillingReportResult source);

    QThread m_thread;
    QThreadPool m_reports; // one thread, reading stores for billing reports; joined first on destruction
    EngineWorker* m_worker = nullptr; // lives on m_thread, deleted there when it finishes
    std::shared_ptr<const Config> m_config;
    GatewayState m_state = GatewayState::Stopped;
    QString m_lastError;
    EngineStatus m_status;
    quint64 m_nextTicket = 1;
    bool m_restarting = false; // between the worker's stopped() and started() of a restart
};

} // namespace tollgate::ui
