#include "server/pipeline_builder.h"

#include "stages/authn_jwt/jwt_auth_stage.h"
#include "stages/authn_key/key_auth_stage.h"
#include "stages/authn_mtls/mtls_auth_stage.h"
#include "stages/authz/authz_stage.h"
#include "stages/ip_filter/ip_filter_stage.h"
#include "stages/lifecycle/lifecycle_stage.h"
#include "stages/observe/observe_stage.h"
#include "stages/quota/quota_stage.h"
#include "stages/rate_limit/rate_limit_stage.h"
#include "stages/route/route_stage.h"

#include <ctime>

namespace tollgate::server {

namespace {

template <typename StagePtr> bool add(Snapshot& snap, StagePtr stage) {
    if (!stage) {
        return false;
    }
    snap.pipeline.add(std::move(stage));
    return true;
}

} // namespace

bool buildPipeline(Snapshot& snap, const CompileContext& context, std::string& error) {
    // The order is the decision table of docs/config.md: who may connect, what is asked for, whether
    // it exists, who asks, whether they may, how much; observe always runs last, whatever happened.
    return add(snap, stages::IpFilterStage::create(snap, error)) &&
           add(snap, std::make_unique<stages::RouteStage>(snap.routes)) &&
           add(snap, stages::LifecycleStage::create(snap, error)) &&
           add(snap, stages::KeyAuthStage::create(snap, error)) &&
           add(snap, stages::JwtAuthStage::create(snap, context.jwks, error)) &&
           add(snap, stages::MtlsAuthStage::create(snap, error)) &&
           add(snap, stages::AuthzStage::create(snap, error)) &&
           add(snap, stages::RateLimitStage::create(snap, context.counters, context.ipLimiter,
                                                    context.unixMicros, error)) &&
           add(snap, stages::QuotaStage::create(snap, context.counters, error)) &&
           add(snap, std::make_unique<stages::ObserveStage>());
}

std::string deprecationHeaders(const std::string& sunset) {
    std::string out = "Deprecation: true\r\n";
    std::tm tm{};
    if (sunset.size() == 10 &&
        std::sscanf(sunset.c_str(), "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        const time_t t = timegm(&tm);
        std::tm norm{};
        gmtime_r(&t, &norm);
        char buf[64];
        std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &norm);
        out += "Sunset: ";
        out += buf;
        out += "\r\n";
    }
    return out;
}

} // namespace tollgate::server
