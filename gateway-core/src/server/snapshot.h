#pragma once
// One compiled configuration: everything a worker needs to decide and forward a request,
// built once when the config is applied and never changed afterwards. Workers hold it through
// shared_ptr<const Snapshot>; requests in flight keep the snapshot they started with.

#include "http/message.h"
#include "pipeline/pipeline.h"
#include "router/route_table.h"
#include "tollgate/config.h"
#include "upstream/health_table.h"
#include "upstream/tls_client_context.h"

#include <asio/ip/tcp.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tollgate::server {

class TlsServerContext;

struct CompiledTarget {
    bool builtinEcho = false;
    asio::ip::tcp::endpoint endpoint; // resolved at compile time
    std::string key;                  // "host:port", identifies the worker's pool and health state
    std::string hostHeader;           // Host sent upstream
    // https targets: the service's TLS context and the name to verify; nullptr for http.
    std::shared_ptr<const upstream::TlsTarget> tls;
    // Active health (services[].health), nullptr when not probed. Shared with the health table so
    // a reload keeps the state; the snapshot's reference keeps it valid while requests use it.
    std::shared_ptr<const upstream::HealthCell> health;

    // False once active checks took the target out of rotation. One relaxed load: a probe's verdict
    // may reach a worker a request late, which costs nothing a retry would not absorb.
    bool healthy() const { return !health || health->up.load(std::memory_order_relaxed); }
};

struct CompiledService {
    const ServiceConfig* config = nullptr; // points into Snapshot::config
    std::vector<CompiledTarget> targets;
    std::vector<int> weights;
    std::shared_ptr<const upstream::TlsClientContext> tls; // with any https target
    enum class HashOn : uint8_t { ClientIp, Path, Header } hashOn = HashOn::ClientIp;
    std::string hashHeader;
};

// Per-API facts the stages and the forwarder need, computed once.
struct CompiledApi {
    const ApiConfig* config = nullptr; // points into Snapshot::config
    bool authKey = false;              // "key" in auth
    bool authJwt = false;              // "jwt" in auth
    bool authMtls = false;             // "mtls" in auth
    std::string deprecationHeaders;    // "Deprecation: ...\r\nSunset: ...\r\n" when deprecated
};

struct CompiledConsumer {
    const ConsumerConfig* config = nullptr; // points into Snapshot::config
    int planIndex = -1;                     // index into Config::plans
    bool suspended = false;
};

} // namespace tollgate::server
namespace tollgate::stages {
class JwksCache;
} // namespace tollgate::stages
namespace tollgate::limits {
class CounterTable;
class IpLimiter;
} // namespace tollgate::limits
namespace tollgate::server {

// Long-lived services the compiled stages may use (they outlive every snapshot).
struct CompileContext {
    stages::JwksCache* jwks = nullptr; // nullptr: JWKS URLs cannot be fetched (explain, --check)
    bool resolveTargets = true;        // false: skip DNS for upstream targets (explain)
    // Rate-limit and quota counters; nullptr: limits are described, not enforced (explain, --check).
    limits::CounterTable* counters = nullptr;
    limits::IpLimiter* ipLimiter = nullptr;
    // The time of the compile in unix microseconds, on the clock requests are counted with (a changed
    // plan re-expresses buckets relative to it); 0: the system clock.
    int64_t unixMicros = 0;
    // Active health state; nullptr: every target counts as healthy (explain, --check).
    upstream::HealthTable* health = nullptr;
    // false: gateway.tls certificates are not loaded (explain, which serves nothing).
    bool loadTls = true;
    // Where failed upstream TLS handshakes are reported; nullptr: nowhere.
    upstream::TlsProblems* tlsProblems = nullptr;
};

struct Snapshot {
    Config config;
    router::RouteTable routes;
    std::vector<CompiledService> services;
    std::vector<CompiledApi> apis;           // parallel to config.apis
    std::vector<CompiledConsumer> consumers; // parallel to config.consumers
    pipeline::Pipeline pipeline;
    http::ParserLimits parserLimits;
    uint64_t generation = 0;
    // The HTTPS listeners' certificates (nullptr without gateway.tls.listen). Connections hold it
    // themselves, so it outlives this snapshot for as long as one of them is open.
    std::shared_ptr<const TlsServerContext> tls;

    // Compiles `cfg`; returns nullptr with a message when a target cannot be resolved.
    static std::shared_ptr<const Snapshot> compile(const Config& cfg, uint64_t generation, std::string& error,
                                                   const CompileContext& context = {});
    // Index of a route in routes.routes(), for tables indexed by route.
    size_t routeIndex(const router::CompiledRoute* r) const { return size_t(r - routes.routes().data()); }

    bool isTrustedProxy(const asio::ip::address& peer) const;
};

// Whether `addr` lies inside `cidr`.
bool cidrContains(const Cidr& cidr, const asio::ip::address& addr);
// The same for raw bytes (IPv4 in the first 4 bytes when !v6), as kept in RequestContext.
bool cidrContains(const Cidr& cidr, const uint8_t* addr, bool v6);

} // namespace tollgate::server
