#include "bridge/engine_worker.h"

#include "bridge/free_port.h"

#include <QRegularExpression>
#include <QTimer>

#include <algorithm>

namespace tollgate::ui {

EngineWorker::EngineWorker(std::chrono::milliseconds pollInterval) : m_pollInterval(pollInterval) {}

EngineWorker::~EngineWorker() {
    if (m_engine && m_engine->running()) {
        m_engine->stop(std::chrono::milliseconds(0));
    }
}

void EngineWorker::start(std::shared_ptr<const Config> config) {
    if (!m_pollTimer) {
        // Created here, not in the constructor, so the timer lives on the worker thread.
        m_pollTimer = new QTimer(this);
        m_pollTimer->setInterval(m_pollInterval);
        connect(m_pollTimer, &QTimer::timeout, this, &EngineWorker::poll);
    }
    // The engine keeps its store (quota counters) for its lifetime: another workspace, another engine.
    if (!m_engine || m_enginePath != config->sourcePath) {
        m_engine = std::make_unique<Engine>();
        m_enginePath = config->sourcePath;
        m_engine->setHeaderCapture(m_trafficFeed);
    }
    std::string error;
    if (!m_engine->start(*config, error)) {
        const QString message = QString::fromStdString(error);
        // The engine words it "cannot listen on HOST:PORT: Address already in use".
        static const QRegularExpression busy(QStringLiteral("cannot listen on (.+):(\\d+): .*in use"),
                                             QRegularExpression::CaseInsensitiveOption);
        const QRegularExpressionMatch m = busy.match(message);
        if (m.hasMatch()) {
            const QString host = m.captured(1);
            const auto port = static_cast<quint16>(m.captured(2).toUInt());
            emit started(false, message, host + QLatin1Char(':') + QString::number(port),
                         findFreePort(host, port));
        } else {
            emit started(false, message, {}, 0);
        }
        return;
    }
    emit started(true, {}, {}, 0);
    // A new engine numbers its records from 1 again.
    m_trafficCursor = std::min(m_trafficCursor, m_engine->lastRecordSeq());
    poll();
    m_pollTimer->start();
}

void EngineWorker::stop(std::chrono::milliseconds grace) {
    if (m_pollTimer) {
        m_pollTimer->stop();
    }
    quint64 cut = 0;
    if (m_engine && m_engine->running()) {
        cut = m_engine->stop(grace);
    }
    emit stopped(cut);
}

void EngineWorker::restart(std::shared_ptr<const Config> config, std::chrono::milliseconds grace) {
    stop(grace);
    start(std::move(config));
}

void EngineWorker::apply(std::shared_ptr<const Config> config) {
    if (!m_engine || !m_engine->running()) {
        emit applied(false, tr("the gateway is not running"));
        return;
    }
    std::string error;
    const bool ok = m_engine->apply(*config, error);
    emit applied(ok, QString::fromStdString(error));
}

void EngineWorker::explain(quint64 ticket, std::shared_ptr<const Config> config, ExplainQuery query) {
    emit explained(ticket, tollgate::explain(*config, query));
}

void EngineWorker::matchRoute(quint64 ticket, std::shared_ptr<const Config> config, QString method,
                              QString path) {
    emit routeMatched(ticket, tollgate::matchRoute(*config, method.toStdString(), path.toStdString()));
}

void EngineWorker::poll() {
    if (m_engine && m_engine->running()) {
        emit statusPolled(m_engine->status());
        drainTraffic();
    }
}

void EngineWorker::setTrafficFeed(bool on, size_t backlog) {
    m_trafficFeed = on;
    if (m_engine) {
        m_engine->setHeaderCapture(on);
    }
    if (on && m_engine) {
        const uint64_t last = m_engine->lastRecordSeq();
        m_trafficCursor = last > backlog ? last - backlog : 0;
        drainTraffic();
    }
}

void EngineWorker::queryUsage(quint64 ticket, UsageQuery query) {
    UsageHistory history;
    std::string error;
    const bool ok = m_engine && m_engine->running() && m_engine->queryUsage(query, history, error);
    if (!ok && error.empty()) {
        error = tr("the gateway is not running").toStdString();
    }
    emit usageQueried(ticket, ok, history, QString::fromStdString(error));
}

void EngineWorker::consumerUsage(quint64 ticket, std::vector<std::string> consumers) {
    std::vector<ConsumerUsage> out;
    if (m_engine && m_engine->running()) {
        for (const std::string& name : consumers) {
            if (auto u = m_engine->usage(name)) {
                out.push_back(std::move(*u));
            }
        }
    }
    emit consumerUsageRead(ticket, out);
}

void EngineWorker::billingSource(quint64 ticket, std::shared_ptr<const Config> config, BillingPeriod period) {
    BillingReportResult source;
    source.period = period;
    // While running, bill what the gateway runs (the workspace may hold unapplied edits).
    if (m_engine && m_engine->running()) {
        source.running = true;
        source.config = m_engine->config();
        source.storePath = QString::fromStdString(m_engine->storePath());
    } else if (config) {
        source.config = std::move(config);
        const std::string& store = source.config->gateway.store;
        source.storePath = QString::fromStdString(store.empty() ? defaultStorePath() : store);
    }
    emit billingSourceFound(ticket, source);
}

void EngineWorker::exchanges(quint64 ticket, std::vector<uint64_t> seqs) {
    std::vector<CapturedExchange> found;
    if (m_engine) {
        for (uint64_t seq : seqs) {
            if (auto x = m_engine->capturedExchange(seq)) {
                found.push_back(std::move(*x));
            }
        }
    }
    emit exchangesRead(ticket, found);
}

void EngineWorker::drainTraffic() {
    if (!m_trafficFeed || !m_engine) {
        return;
    }
    // The engine's window holds 10,000 records; a poll every 200 ms keeps up with 50,000 requests/s.
    // Records go to the UI thread as they are: turning them into rows there costs less than here,
    // because the pages keep only what they show.
    const uint64_t newest = m_engine->lastRecordSeq();
    auto records = m_batches->take(
        size_t(std::min<uint64_t>(newest > m_trafficCursor ? newest - m_trafficCursor : 0, 10'000)));
    while (m_engine->recordsSince(m_trafficCursor, *records, 4096) == 4096) {
    }
    if (!records->empty()) {
        emit trafficPolled(std::move(records));
    }
}

} // namespace tollgate::ui
