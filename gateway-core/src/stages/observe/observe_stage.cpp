#include "stages/observe/observe_stage.h"

#include "server/snapshot.h"
#include "server/telemetry.h"

#include <algorithm>
#include <cstring>

namespace tollgate::stages {
namespace {

template <size_t N> void copyField(char (&dst)[N], std::string_view src) {
    const size_t n = std::min(src.size(), N - 1);
    if (n > 0) { // an empty view may carry a null pointer, which memcpy must not see even for 0 bytes
        std::memcpy(dst, src.data(), n);
    }
    dst[n] = '\0';
}

uint32_t micros(pipeline::Clock::duration d) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    return us < 0 ? 0 : static_cast<uint32_t>(std::min<int64_t>(us, UINT32_MAX));
}

// Every field, since the ring's slot still holds an older record.
void fillRecord(RequestRecord& r, const pipeline::RequestContext& ctx, uint32_t totalMicros) {
    r.seq = 0;
    r.unixMicros = ctx.unixMicros;
    r.totalMicros = totalMicros;
    r.upstreamMicros = ctx.upstreamEnd > ctx.upstreamStart ? micros(ctx.upstreamEnd - ctx.upstreamStart) : 0;
    r.bytesIn = ctx.bytesIn;
    r.bytesOut = ctx.bytesOut;
    r.status = static_cast<uint16_t>(ctx.status);
    r.method = static_cast<uint8_t>(ctx.method);
    r.worker = static_cast<uint8_t>(ctx.worker);
    r.targetIndex = static_cast<int16_t>(ctx.targetIndex);
    copyField(r.reason, ctx.reason);
    const Config& config = ctx.snapshot->config;
    std::string_view api, version, route, target, consumer, plan;
    if (ctx.route) {
        const ApiConfig& a = config.apis[ctx.route->apiIndex];
        api = a.name;
        version = a.version;
        route = a.routes[ctx.route->routeIndex].name;
        const int service = ctx.route->serviceIndex;
        if (service >= 0 && ctx.targetIndex >= 0 &&
            static_cast<size_t>(ctx.targetIndex) < config.services[service].targets.size()) {
            target = config.services[service].targets[ctx.targetIndex].url;
        }
    }
    if (ctx.consumer) {
        consumer = ctx.consumer->config->name;
        if (ctx.consumer->planIndex >= 0) {
            plan = config.plans[ctx.consumer->planIndex].name;
        }
    }
    copyField(r.api, api);
    copyField(r.apiVersion, version);
    copyField(r.route, route);
    copyField(r.target, target);
    copyField(r.consumer, consumer);
    copyField(r.plan, plan);
    copyField(r.path, ctx.path);
    copyField(r.clientIp, ctx.clientIp);
}

} // namespace

void ObserveStage::onLog(pipeline::RequestContext& ctx) const {
    server::WorkerTelemetry& t = *ctx.telemetry;
    t.counters.requests.add();
    t.counters.statusClass[std::clamp(ctx.status / 100, 0, 5)].add();
    t.counters.bytesIn.add(ctx.bytesIn);
    t.counters.bytesOut.add(ctx.bytesOut);

    const uint32_t totalMicros = micros(pipeline::Clock::now() - ctx.start);
    uint16_t captureSlot = 0;
    uint32_t captureId = 0;
    if (ctx.capture) {
        captureId = t.capture.publish(*ctx.capture, captureSlot); // before the record that names it
        ctx.capture = nullptr;
    }
    t.ring.pushWith([&](RequestRecord& r) {
        fillRecord(r, ctx, totalMicros);
        r.captureSlot = captureSlot;
        r.captureId = captureId;
    });
}

} // namespace tollgate::stages
