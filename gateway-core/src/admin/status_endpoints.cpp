#include "admin/endpoints.h"

#include "admin/utc_time.h"
#include "tollgate/engine.h"

#include <nlohmann/json.hpp>

namespace tollgate::admin {

AdminResponse getStatus(const Engine& engine) {
    const EngineStatus s = engine.status();
    nlohmann::ordered_json listeners = nlohmann::ordered_json::array();
    for (const BoundListener& l : s.listeners) {
        listeners.push_back(l.url());
    }
    nlohmann::ordered_json health = nlohmann::ordered_json::array();
    for (const TargetHealth& t : s.health) {
        health.push_back({
            {"service", t.service},
            {"target", t.target},
            {"healthy", t.healthy},
            {"consecutive_failures", t.consecutiveFailures},
            {"consecutive_successes", t.consecutiveSuccesses},
            {"last_error", t.lastError},
            {"last_change", formatRfc3339(t.lastChangeUnix)},
            {"last_latency_ms", t.lastLatencyMicros < 0
                                    ? nlohmann::ordered_json(nullptr)
                                    : nlohmann::ordered_json(t.lastLatencyMicros / 1000.0)},
        });
    }
    const MetricsSnapshot& m = s.metrics;
    const nlohmann::ordered_json body{
        {"version", s.version},
        {"started_at", formatRfc3339(s.startedUnix)},
        {"uptime_seconds", s.uptimeSeconds},
        {"listeners", listeners},
        {"config_path", s.configPath},
        {"config_digest", s.configDigest},
        {"workers", s.workers},
        {"open_connections", m.connectionsOpen},
        {"requests", m.requests},
        {"store_path", s.storePath},
        {"store_error", s.storeError},
        {"access_log_path", s.accessLogPath},
        {"access_log_error", s.accessLogError},
        {"records_dropped", m.recordsDropped},
        {"header_captures_dropped", m.headerCapturesDropped},
        {"health", health},
    };
    return jsonResponse(200, body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

AdminResponse getMetrics(const Engine& engine) {
    AdminResponse r;
    r.contentType = "text/plain; version=0.0.4; charset=utf-8";
    r.body = engine.prometheusText();
    return r;
}

} // namespace tollgate::admin
