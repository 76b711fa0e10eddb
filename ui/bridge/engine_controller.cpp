#include "bridge/engine_controller.h"

#include "bridge/engine_worker.h"

#include <algorithm>
#include <filesystem>

namespace tollgate::ui {

EngineController::EngineController(QObject* parent, std::chrono::milliseconds pollInterval)
    : QObject(parent) {
    qRegisterMetaType<tollgate::EngineStatus>();
    qRegisterMetaType<tollgate::ExplainResult>();
    qRegisterMetaType<tollgate::RouteMatchResult>();
    qRegisterMetaType<tollgate::ui::GatewayState>();
    qRegisterMetaType<tollgate::ui::RecordBatch>();
    qRegisterMetaType<tollgate::UsageHistory>();
    qRegisterMetaType<std::vector<tollgate::ConsumerUsage>>();
    qRegisterMetaType<tollgate::ui::BillingReportResult>();
    qRegisterMetaType<std::vector<tollgate::CapturedExchange>>();

    m_thread.setObjectName(QStringLiteral("tollgate-engine"));
    m_worker = new EngineWorker(pollInterval);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &EngineWorker::started, this, &EngineController::onStarted);
    connect(m_worker, &EngineWorker::stopped, this, &EngineController::onStopped);
    connect(m_worker, &EngineWorker::statusPolled, this, [this](const EngineStatus& s) {
        // A poll queued just before a stop must not bring back a stale "running" view.
        if (m_state == GatewayState::Running) {
            m_status = s;
            emit statusUpdated(m_status);
        }
    });
    connect(m_worker, &EngineWorker::applied, this, &EngineController::applied);
    connect(m_worker, &EngineWorker::explained, this, &EngineController::explained);
    connect(m_worker, &EngineWorker::routeMatched, this, &EngineController::routeMatched);
    connect(m_worker, &EngineWorker::trafficPolled, this, &EngineController::trafficArrived);
    connect(m_worker, &EngineWorker::usageQueried, this, &EngineController::usageQueried);
    connect(m_worker, &EngineWorker::consumerUsageRead, this, &EngineController::consumerUsageRead);
    connect(m_worker, &EngineWorker::billingSourceFound, this, &EngineController::computeBillingReport);
    m_reports.setMaxThreadCount(1);
    connect(m_worker, &EngineWorker::exchangesRead, this, &EngineController::exchangesRead);
    m_thread.start();
}

EngineController::~EngineController() {
    m_reports.waitForDone();
    m_thread.quit();
    m_thread.wait();
}

void EngineController::setConfig(std::shared_ptr<const Config> config) {
    m_config = std::move(config);
}

std::chrono::milliseconds EngineController::grace() const {
    // The console's user is waiting on the button: drain briefly even if the config allows longer.
    const auto configured = m_config ? m_config->gateway.drainTimeout : std::chrono::milliseconds(0);
    return std::min(configured, std::chrono::milliseconds(2000));
}

void EngineController::setTrafficFeed(bool on, size_t backlog) {
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, on, backlog] { w->setTrafficFeed(on, backlog); }, Qt::QueuedConnection);
}

quint64 EngineController::queryUsage(const UsageQuery& query) {
    const quint64 ticket = m_nextTicket++;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, ticket, query] { w->queryUsage(ticket, query); }, Qt::QueuedConnection);
    return ticket;
}

quint64 EngineController::consumerUsage(const std::vector<std::string>& consumers) {
    const quint64 ticket = m_nextTicket++;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, ticket, consumers] { w->consumerUsage(ticket, consumers); },
        Qt::QueuedConnection);
    return ticket;
}

quint64 EngineController::billingReport(const BillingPeriod& period) {
    const quint64 ticket = m_nextTicket++;
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, ticket, config = m_config, period] { w->billingSource(ticket, config, period); },
        Qt::QueuedConnection);
    return ticket;
}

void EngineController::computeBillingReport(quint64 ticket, BillingReportResult source) {
    m_reports.start([this, ticket, r = std::move(source)]() mutable {
        std::error_code ec;
        const std::string storePath = r.storePath.toStdString();
        if (!r.config) {
            r.error = tr("no valid configuration to price the consumers with");
        } else if (storePath.empty() || !std::filesystem::exists(storePath, ec)) {
            r.storeMissing = true;
            r.error = tr("no store at %1 yet").arg(r.storePath);
        } else {
            std::string error;
            r.ok = tollgate::billingReport(*r.config, storePath, r.period, r.rows, error);
            r.error = QString::fromStdString(error);
        }
        // Queued to this object: dropped with it if the window closes meanwhile (the destructor
        // waits for this task first).
        QMetaObject::invokeMethod(
            this, [this, ticket, r] { emit billingReported(ticket, r); }, Qt::QueuedConnection);
    });
}

quint64 EngineController::exchanges(const std::vector<uint64_t>& seqs) {
    const quint64 ticket = m_nextTicket++;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, ticket, seqs] { w->exchanges(ticket, seqs); }, Qt::QueuedConnection);
    return ticket;
}

void EngineController::start() {
    if (!m_config || (m_state != GatewayState::Stopped && m_state != GatewayState::Failed)) {
        return;
    }
    setState(GatewayState::Starting);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, c = m_config] { w->start(c); }, Qt::QueuedConnection);
}

void EngineController::stop() {
    if (m_state != GatewayState::Running && m_state != GatewayState::Starting) {
        return;
    }
    setState(GatewayState::Stopping);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, g = grace()] { w->stop(g); }, Qt::QueuedConnection);
}

void EngineController::restart() {
    if (!m_config || m_state == GatewayState::Starting || m_state == GatewayState::Stopping) {
        return;
    }
    if (m_state != GatewayState::Running) {
        start();
        return;
    }
    m_restarting = true;
    setState(GatewayState::Stopping);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, c = m_config, g = grace()] { w->restart(c, g); }, Qt::QueuedConnection);
}

void EngineController::apply() {
    if (!m_config) {
        return;
    }
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, c = m_config] { w->apply(c); }, Qt::QueuedConnection);
}

quint64 EngineController::explain(const ExplainQuery& query) {
    const quint64 ticket = m_nextTicket++;
    if (m_config) {
        QMetaObject::invokeMethod(
            m_worker, [w = m_worker, c = m_config, query, ticket] { w->explain(ticket, c, query); },
            Qt::QueuedConnection);
    }
    return ticket;
}

quint64 EngineController::matchRoute(const QString& method, const QString& path) {
    const quint64 ticket = m_nextTicket++;
    if (m_config) {
        QMetaObject::invokeMethod(
            m_worker,
            [w = m_worker, c = m_config, method, path, ticket] { w->matchRoute(ticket, c, method, path); },
            Qt::QueuedConnection);
    }
    return ticket;
}

void EngineController::onStarted(bool ok, const QString& error, const QString& busyAddress,
                                 quint16 freePort) {
    m_restarting = false;
    if (!ok) {
        m_lastError = error;
        setState(GatewayState::Failed, error);
        if (!busyAddress.isEmpty()) {
            emit addressInUse(busyAddress, freePort);
        }
        return;
    }
    m_lastError.clear();
    setState(GatewayState::Running);
}

void EngineController::onStopped() {
    m_status = EngineStatus{};
    if (m_restarting) {
        setState(GatewayState::Starting); // the worker starts again right after
        return;
    }
    setState(GatewayState::Stopped);
}

void EngineController::setState(GatewayState state, const QString& message) {
    if (state == m_state && message.isEmpty()) {
        return;
    }
    m_state = state;
    emit stateChanged(state, message);
}

} // namespace tollgate::ui
