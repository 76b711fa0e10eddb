#pragma once
// The engine's controlling thread: everything that may block (binding, compiling, draining) runs
// here, and the results go back to the UI thread as queued signals. Only EngineController uses it.

#include "bridge/engine_types.h"
#include "bridge/record_batch_pool.h"

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>
#include <vector>

class QTimer;

namespace tollgate::ui {

class EngineWorker : public QObject {
    Q_OBJECT
public:
    explicit EngineWorker(std::chrono::milliseconds pollInterval);
    ~EngineWorker() override; // on the worker thread: stops the engine at once

    // Slots in spirit; called through QMetaObject::invokeMethod on the worker thread.
    void start(std::shared_ptr<const Config> config);
    void stop(std::chrono::milliseconds grace);
    void restart(std::shared_ptr<const Config> config, std::chrono::milliseconds grace);
    void apply(std::shared_ptr<const Config> config);
    void explain(quint64 ticket, std::shared_ptr<const Config> config, ExplainQuery query);
    void matchRoute(quint64 ticket, std::shared_ptr<const Config> config, QString method, QString path);
    // While on, each poll also drains the engine's new request records into trafficPolled(); turning
    // it on first sends the most recent `backlog` records the engine still holds. Header capture
    // follows the feed: the engine keeps heads only while a console looks at its traffic.
    void setTrafficFeed(bool on, size_t backlog);
    void queryUsage(quint64 ticket, UsageQuery query);
    void consumerUsage(quint64 ticket, std::vector<std::string> consumers);
    // Which config and store a billing report reads: the running gateway's, else `config` and the store
    // it names. Cheap; the report itself is computed by the controller's own thread.
    void billingSource(quint64 ticket, std::shared_ptr<const Config> config, BillingPeriod period);
    // The captured heads of these records (those still kept) into exchangesRead().
    void exchanges(quint64 ticket, std::vector<uint64_t> seqs);

signals:
    // `busyAddress` is "HOST:PORT" when the failure was a listener already in use, with a free
    // port on that host to offer (0 when none was found).
    void started(bool ok, const QString& error, const QString& busyAddress, quint16 freePort);
    void stopped(quint64 cutShort);
    void statusPolled(const tollgate::EngineStatus& status);
    void trafficPolled(const tollgate::ui::RecordBatch& records);
    void usageQueried(quint64 ticket, bool ok, const tollgate::UsageHistory& history, const QString& error);
    void consumerUsageRead(quint64 ticket, const std::vector<tollgate::ConsumerUsage>& usage);
    void billingSourceFound(quint64 ticket, const tollgate::ui::BillingReportResult& source);
    void exchangesRead(quint64 ticket, const std::vector<tollgate::CapturedExchange>& found);
    void applied(bool ok, const QString& message);
    void explained(quint64 ticket, const tollgate::ExplainResult& result);
    void routeMatched(quint64 ticket, const tollgate::RouteMatchResult& result);

private:
    void poll();
    void drainTraffic();

    std::unique_ptr<Engine> m_engine; // created on this thread, which then controls it
    std::string m_enginePath;         // the workspace the engine (and its store) belongs to
    QTimer* m_pollTimer = nullptr;
    std::chrono::milliseconds m_pollInterval;
    bool m_trafficFeed = false;
    uint64_t m_trafficCursor = 0;
    std::shared_ptr<RecordBatchPool> m_batches = RecordBatchPool::create();
};

} // namespace tollgate::ui
