#include "admin/endpoints.h"

#include "admin/utc_time.h"
#include "tollgate/engine.h"

#include <nlohmann/json.hpp>

namespace tollgate::admin {
namespace {

constexpr int64_t kDefaultRangeSeconds = 86'400;

nlohmann::ordered_json byStatus(const std::array<uint64_t, 6>& classes) {
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (size_t i = 1; i < classes.size(); ++i) {
        j[std::to_string(i) + "xx"] = classes[i];
    }
    // Requests whose client left before an answer: no status to count them under.
    j["none"] = classes[0];
    return j;
}

nlohmann::ordered_json latency(const LatencyHistogram& h) {
    return {{"p50", h.quantileMicros(0.50) / 1000.0},
            {"p95", h.quantileMicros(0.95) / 1000.0},
            {"p99", h.quantileMicros(0.99) / 1000.0}};
}

std::string_view granularityName(Granularity g) {
    switch (g) {
    case Granularity::Minute:
        return "minute";
    case Granularity::Hour:
        return "hour";
    case Granularity::Day:
        return "day";
    case Granularity::Auto:
        break;
    }
    return "auto";
}

AdminResponse badParameter(std::string_view name, std::string_view expected) {
    AdminResponse r =
        errorResponse(400, "request.bad_parameter", std::string(name) + ": " + std::string(expected));
    return r;
}

} // namespace

AdminResponse getUsage(const Engine& engine, const AdminRequest& request, int64_t nowUnix) {
    const std::string* consumer = request.param("consumer");
    if (consumer == nullptr || consumer->empty()) {
        return badParameter("consumer", "required, the consumer's name");
    }
    UsageQuery query;
    query.consumer = *consumer;
    query.toUnix = nowUnix;
    if (const std::string* to = request.param("to")) {
        const auto v = parseInstant(*to);
        if (!v) {
            return badParameter("to", "expected unix seconds or RFC 3339 UTC such as 2026-12-01T00:00:00Z");
        }
        query.toUnix = *v;
    }
    query.fromUnix = query.toUnix - kDefaultRangeSeconds;
    if (const std::string* from = request.param("from")) {
        const auto v = parseInstant(*from);
        if (!v) {
            return badParameter("from", "expected unix seconds or RFC 3339 UTC such as 2026-12-01T00:00:00Z");
        }
        query.fromUnix = *v;
    }
    if (query.fromUnix >= query.toUnix) {
        return badParameter("from", "must be before to");
    }
    if (const std::string* g = request.param("granularity")) {
        if (*g == "minute") {
            query.granularity = Granularity::Minute;
        } else if (*g == "hour") {
            query.granularity = Granularity::Hour;
        } else if (*g == "day") {
            query.granularity = Granularity::Day;
        } else if (*g != "auto") {
            return badParameter("granularity", "expected minute, hour, day or auto");
        }
    }
    const auto live = engine.usage(*consumer);
    if (!live) {
        return errorResponse(404, "consumer.unknown", "no consumer named \"" + *consumer + "\"");
    }
    UsageHistory history;
    std::string error;
    if (!engine.queryUsage(query, history, error)) {
        return errorResponse(500, "usage.unavailable", error);
    }
    const UsageQuery& answered = history.query;
    nlohmann::ordered_json series = nlohmann::ordered_json::array();
    for (const UsagePoint& p : history.series) {
        series.push_back({{"start", formatRfc3339(p.start)},
                          {"requests", p.totals.requests},
                          {"by_status", byStatus(p.totals.byStatusClass)},
                          {"bytes_in", p.totals.bytesIn},
                          {"bytes_out", p.totals.bytesOut},
                          {"latency_ms", latency(p.totals.latency)}});
    }
    nlohmann::ordered_json quota = nullptr;
    if (live->quota) {
        const QuotaUsage& q = *live->quota;
        quota = {{"per", q.per},
                 {"limit", q.quota + q.bonus},
                 {"plan_quota", q.quota},
                 {"bonus", q.bonus},
                 {"used", q.used},
                 {"remaining", q.remaining},
                 {"overage", q.overage},
                 {"on_exceeded", q.block ? "block" : "allow_and_bill"},
                 {"resets_at", formatRfc3339(q.periodEnd)}};
    }
    nlohmann::ordered_json rateLimits = nlohmann::ordered_json::array();
    for (const RateLimitUsage& l : live->rateLimits) {
        rateLimits.push_back({{"per", l.per},
                              {"limit", l.limit},
                              {"remaining", l.remaining},
                              {"reset_seconds", l.resetSeconds}});
    }
    const nlohmann::ordered_json body{{"consumer", *consumer},
                                      {"plan", live->plan},
                                      {"from", formatRfc3339(answered.fromUnix)},
                                      {"to", formatRfc3339(answered.toUnix)},
                                      {"granularity", granularityName(answered.granularity)},
                                      {"requests", history.totals.requests},
                                      {"by_status", byStatus(history.totals.byStatusClass)},
                                      {"bytes_in", history.totals.bytesIn},
                                      {"bytes_out", history.totals.bytesOut},
                                      {"latency_ms", latency(history.totals.latency)},
                                      {"quota", quota},
                                      {"rate_limits", rateLimits},
                                      {"series", series}};
    return jsonResponse(200, body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

} // namespace tollgate::admin
