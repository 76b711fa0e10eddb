// What the engine tells about its active health checks: the table, the changes, the metrics.
#include "engine/engine_impl.h"
#include "recording/prometheus_format.h"

#include <charconv>
#include <string_view>

namespace tollgate {
namespace {

void appendSeries(std::string& out, const char* name, const TargetHealth& t, const char* result,
                  uint64_t value) {
    out += name;
    out += '{';
    recording::appendPromLabel(out, "service", t.service, true);
    recording::appendPromLabel(out, "target", t.target);
    if (result != nullptr) {
        recording::appendPromLabel(out, "result", result);
    }
    out += "} ";
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, value).ptr);
    out += '\n';
}

} // namespace

void appendHealthMetrics(std::string& out, const std::vector<TargetHealth>& targets) {
    if (targets.empty()) {
        return;
    }
    out += "# HELP tollgate_upstream_target_up 1 while active health checks keep the target in rotation.\n"
           "# TYPE tollgate_upstream_target_up gauge\n";
    for (const TargetHealth& t : targets) {
        appendSeries(out, "tollgate_upstream_target_up", t, nullptr, t.healthy ? 1 : 0);
    }
    out += "# HELP tollgate_health_checks_total Active health probes, by outcome.\n"
           "# TYPE tollgate_health_checks_total counter\n";
    for (const TargetHealth& t : targets) {
        appendSeries(out, "tollgate_health_checks_total", t, "success", t.checksSucceeded);
        appendSeries(out, "tollgate_health_checks_total", t, "failure", t.checksFailed);
    }
}

std::vector<TargetHealth> Engine::health() const {
    return m_impl->health->table().list();
}

size_t Engine::healthEventsSince(uint64_t& cursor, std::vector<HealthEvent>& out) const {
    return m_impl->health->table().eventsSince(cursor, out);
}

} // namespace tollgate
