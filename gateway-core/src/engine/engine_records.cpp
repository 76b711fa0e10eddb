// What the engine tells about the traffic it carried: status, Prometheus text, recent records.
#include "engine/engine_impl.h"

#include <charconv>

namespace tollgate {
namespace {

void metric(std::string& out, const char* name, const char* type, const char* help, uint64_t value) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
    out += name;
    out += ' ';
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
    out += '\n';
}

} // namespace

EngineStatus Engine::status() const {
    EngineStatus s;
    s.version = TOLLGATE_VERSION;
    if (!m_impl->running) {
        return s;
    }
    s.startedUnix =
        std::chrono::duration_cast<std::chrono::seconds>(m_impl->startedAt.time_since_epoch()).count();
    s.uptimeSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - m_impl->startedSteady).count();
    s.listeners = m_impl->listeners;
    const auto cfg = config();
    s.configDigest = cfg->digest;
    s.configPath = cfg->sourcePath;
    s.workers = static_cast<int>(m_impl->workers.size());
    s.metrics = metrics();
    s.storePath = storePath();
    s.storeError = m_impl->persister ? m_impl->persister->lastError() : std::string();
    if (s.storeError.empty() && m_impl->writer) {
        s.storeError = m_impl->writer->status().lastError;
    }
    s.health = health();
    const upstream::TlsProblems::Report tls = m_impl->tlsProblems.report();
    s.upstreamTlsFailures = tls.failures;
    s.upstreamTlsError = tls.last;
    if (m_impl->recorder) {
        s.accessLogPath = m_impl->recorder->accessLog().path();
        s.accessLogError = m_impl->recorder->accessLog().error();
    }
    return s;
}

std::string Engine::prometheusText() const {
    std::string out;
    if (!m_impl->running) {
        return out;
    }
    out.reserve(16 * 1024);
    const MetricsSnapshot m = metrics();
    metric(out, "tollgate_up", "gauge", "1 while the gateway runs.", 1);
    metric(
        out, "tollgate_uptime_seconds", "gauge", "Seconds since the gateway started.",
        static_cast<uint64_t>(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - m_impl->startedSteady).count()));
    metric(out, "tollgate_connections_open", "gauge", "Client connections open now.", m.connectionsOpen);
    metric(out, "tollgate_connections_accepted_total", "counter", "Client connections accepted.",
           m.connectionsAccepted);
    metric(out, "tollgate_received_bytes_total", "counter", "Request bytes read from clients.", m.bytesIn);
    metric(out, "tollgate_sent_bytes_total", "counter", "Response bytes written to clients.", m.bytesOut);
    metric(out, "tollgate_local_responses_total", "counter",
           "Answers the gateway gave itself (refusals and errors).", m.localResponses);
    metric(out, "tollgate_upstream_retries_total", "counter", "Requests retried on another target.",
           m.upstreamRetries);
    metric(out, "tollgate_upstream_timeouts_total", "counter", "Upstream exchanges that timed out.",
           m.upstreamTimeouts);
    metric(out, "tollgate_upstream_connects_total", "counter", "Upstream connections opened.",
           m.upstreamConnects);
    metric(out, "tollgate_target_ejections_total", "counter",
           "Times a target was taken out of rotation after consecutive failures.", m.targetEjections);
    metric(out, "tollgate_records_dropped_total", "counter",
           "Request records overwritten before the recorder read them (not in aggregates or logs).",
           m.recordsDropped);
    metric(out, "tollgate_header_captures_dropped_total", "counter",
           "Exchanges whose headers were not captured for want of a free slot (capture on).",
           m.headerCapturesDropped);
    if (m_impl->writer) {
        metric(out, "tollgate_store_write_failures_total", "counter",
               "Failed writes of consumption aggregates to the store (each retried).",
               m_impl->writer->status().failures);
    }
    if (m_impl->recorder) {
        metric(out, "tollgate_access_log_lost_total", "counter",
               "Access log lines that could not be written.", m_impl->recorder->accessLog().recordsLost());
        out += m_impl->recorder->prometheusText();
    }
    appendHealthMetrics(out, health());
    return out;
}

size_t Engine::recordsSince(uint64_t& cursor, std::vector<RequestRecord>& out, size_t max) const {
    return m_impl->recorder ? m_impl->recorder->window().since(cursor, out, max) : 0;
}

uint64_t Engine::lastRecordSeq() const {
    return m_impl->recorder ? m_impl->recorder->window().lastSeq() : 0;
}

bool Engine::waitForRecords(uint64_t cursor, std::chrono::milliseconds timeout) const {
    return m_impl->recorder && m_impl->recorder->window().wait(cursor, timeout);
}

void Engine::setHeaderCapture(bool on) {
    if (!m_impl->headerCapture.exchange(on, std::memory_order_relaxed) || on) {
        return;
    }
    if (m_impl->recorder) {
        m_impl->recorder->captures().clear(); // kept only while someone looks
    }
}

bool Engine::headerCapture() const {
    return m_impl->headerCapture.load(std::memory_order_relaxed);
}

std::optional<CapturedExchange> Engine::capturedExchange(uint64_t seq) const {
    return m_impl->recorder ? m_impl->recorder->captures().get(seq) : std::nullopt;
}

void Engine::reopenAccessLog() {
    if (m_impl->recorder) {
        m_impl->recorder->reopenAccessLog();
    }
}

} // namespace tollgate
