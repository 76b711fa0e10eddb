#include "admin/endpoints.h"

#include "admin/utc_time.h"
#include "tollgate/engine.h"

#include <nlohmann/json.hpp>

namespace tollgate::admin {
namespace {

// The consumer's quota after an operator action, or the refusal that applies before it.
std::optional<AdminResponse> refusalFor(const Engine& engine, const std::string& consumer) {
    const auto usage = engine.usage(consumer);
    if (!usage) {
        return errorResponse(404, "consumer.unknown", "no consumer named \"" + consumer + "\"");
    }
    if (!usage->quota) {
        return errorResponse(409, "quota.none",
                             "consumer \"" + consumer + "\" has no quota (plan " + usage->plan + ")");
    }
    return std::nullopt;
}

AdminResponse quotaAnswer(const Engine& engine, const std::string& consumer) {
    nlohmann::ordered_json body{{"consumer", consumer}};
    if (const auto usage = engine.usage(consumer); usage && usage->quota) {
        const QuotaUsage& q = *usage->quota;
        body["quota"] = {{"per", q.per},
                         {"limit", q.quota + q.bonus},
                         {"plan_quota", q.quota},
                         {"bonus", q.bonus},
                         {"used", q.used},
                         {"remaining", q.remaining},
                         {"resets_at", formatRfc3339(q.periodEnd)}};
    }
    return jsonResponse(200, body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

} // namespace

AdminResponse resetQuota(Engine& engine, const std::string& consumer) {
    if (auto refusal = refusalFor(engine, consumer)) {
        return *refusal;
    }
    std::string error;
    if (!engine.resetQuota(consumer, error)) {
        // Only a reload between the check and the call gets here.
        return errorResponse(409, "quota.none", error);
    }
    return quotaAnswer(engine, consumer);
}

AdminResponse topUpQuota(Engine& engine, const std::string& consumer, const AdminRequest& request) {
    const nlohmann::ordered_json body = nlohmann::ordered_json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return errorResponse(400, "request.bad_json", "expected a JSON object such as {\"requests\": 1000}");
    }
    const auto it = body.find("requests");
    if (it == body.end() || !it->is_number_unsigned() || it->get<uint64_t>() == 0) {
        return errorResponse(400, "request.bad_parameter", "requests: expected a positive integer");
    }
    if (auto refusal = refusalFor(engine, consumer)) {
        return *refusal;
    }
    std::string error;
    if (!engine.topUpQuota(consumer, it->get<uint64_t>(), error)) {
        return errorResponse(409, "quota.none", error);
    }
    return quotaAnswer(engine, consumer);
}

} // namespace tollgate::admin
