#include "server/snapshot.h"

#include "server/pipeline_builder.h"
#include "server/tls_context.h"

#include <asio/io_context.hpp>

#include <cstring>

namespace tollgate::server {

bool cidrContains(const Cidr& cidr, const uint8_t* addr, bool v6) {
    if (cidr.v6 != v6) {
        return false;
    }
    const size_t len = v6 ? 16 : 4;
    int bits = cidr.prefix;
    for (size_t i = 0; i < len && bits > 0; ++i, bits -= 8) {
        const uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
        if ((addr[i] & mask) != (cidr.addr[i] & mask)) {
            return false;
        }
    }
    return true;
}

bool cidrContains(const Cidr& cidr, const asio::ip::address& addr) {
    uint8_t bytes[16] = {};
    if (addr.is_v4()) {
        const auto b = addr.to_v4().to_bytes();
        std::memcpy(bytes, b.data(), 4);
        return cidrContains(cidr, bytes, false);
    }
    const auto v6 = addr.to_v6();
    if (v6.is_v4_mapped()) {
        const auto b = asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes();
        std::memcpy(bytes, b.data(), 4);
        return cidrContains(cidr, bytes, false);
    }
    const auto b = v6.to_bytes();
    std::memcpy(bytes, b.data(), 16);
    return cidrContains(cidr, bytes, true);
}

bool Snapshot::isTrustedProxy(const asio::ip::address& peer) const {
    for (const Cidr& c : config.gateway.trustedProxies) {
        if (cidrContains(c, peer)) {
            return true;
        }
    }
    return false;
}

namespace {

// RFC 6761 6.3: "localhost" and names under it are the loopback address, whatever the system's
// resolver would say (a minimal system may have no /etc/hosts entry for it; curl decides the same).
bool isLocalhostName(std::string_view host) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    auto endsWith = [&](std::string_view suffix) {
        if (host.size() < suffix.size()) {
            return false;
        }
        for (size_t i = 0; i < suffix.size(); ++i) {
            if (lower(host[host.size() - suffix.size() + i]) != suffix[i]) {
                return false;
            }
        }
        return true;
    };
    return host.size() == 9 ? endsWith("localhost") : endsWith(".localhost");
}

void compileAccess(Snapshot& snap) {
    for (const ApiConfig& api : snap.config.apis) {
        CompiledApi ca;
        ca.config = &api;
        for (const std::string& a : api.auth) {
            ca.authKey |= a == "key";
            ca.authJwt |= a == "jwt";
            ca.authMtls |= a == "mtls";
        }
        if (api.lifecycle == Lifecycle::Deprecated) {
            ca.deprecationHeaders = deprecationHeaders(api.sunset);
        }
        snap.apis.push_back(std::move(ca));
    }
    for (const ConsumerConfig& c : snap.config.consumers) {
        CompiledConsumer cc;
        cc.config = &c;
        cc.suspended = c.status == ConsumerConfig::Status::Suspended;
        for (size_t i = 0; i < snap.config.plans.size(); ++i) {
            if (snap.config.plans[i].name == c.plan) {
                cc.planIndex = static_cast<int>(i);
            }
        }
        snap.consumers.push_back(std::move(cc));
    }
}

// The service's TLS context is made with its first https target and shared by the others.
bool compileTls(const ServiceConfig& svc, const TargetConfig& t, const CompileContext& context,
                CompiledService& cs, CompiledTarget& ct, std::string& error) {
    if (!cs.tls) {
        cs.tls = upstream::TlsClientContext::create(svc.tls, context.tlsProblems, error);
        if (!cs.tls) {
            error = "services." + svc.name + ".tls: " + error;
            return false;
        }
    }
    auto tls = std::make_shared<upstream::TlsTarget>();
    tls->context = cs.tls;
    tls->serverName = t.host;
    asio::error_code ec;
    asio::ip::make_address(t.host, ec);
    tls->ipLiteral = !ec;
    tls->label = svc.name + " " + t.url;
    ct.tls = std::move(tls);
    return true;
}

// Pooled connections and cached sessions of an https target are only shared by targets with the
// same host name and verification settings: a connection verified for one name, or not verified at
// all, must never carry a request meant for another.
std::string tlsKeyPrefix(const ServiceConfig& svc, const CompiledTarget& ct) {
    if (!ct.tls) {
        return {};
    }
    return "https:" + std::string(svc.tls.verify ? "verify:" : "noverify:") + svc.tls.ca + ":" +
           ct.tls->serverName + "@";
}

} // namespace

std::shared_ptr<const Snapshot> Snapshot::compile(const Config& cfg, uint64_t generation, std::string& error,
                                                  const CompileContext& context) {
    auto snap = std::make_shared<Snapshot>();
    snap->config = cfg;
    snap->generation = generation;
    snap->parserLimits.maxUriBytes = cfg.gateway.limits.maxUriBytes;
    snap->parserLimits.maxHeaderBytes = cfg.gateway.limits.maxHeaderBytes;
    snap->parserLimits.maxHeaderCount =
        std::min<uint64_t>(cfg.gateway.limits.maxHeaderCount, http::kMaxHeaders);

    asio::io_context resolverContext;
    asio::ip::tcp::resolver resolver(resolverContext);
    for (const ServiceConfig& svc : snap->config.services) {
        CompiledService cs;
        cs.config = &svc;
        if (svc.hashOn == "path") {
            cs.hashOn = CompiledService::HashOn::Path;
        } else if (svc.hashOn.rfind("header:", 0) == 0) {
            cs.hashOn = CompiledService::HashOn::Header;
            cs.hashHeader = svc.hashOn.substr(7);
        }
        for (const TargetConfig& t : svc.targets) {
            CompiledTarget ct;
            cs.weights.push_back(std::max(1, t.weight));
            if (context.health && svc.health && t.scheme != "builtin") {
                ct.health = context.health->cell(svc.name, t.url);
            }
            if (t.scheme == "builtin") {
                ct.builtinEcho = true;
                ct.key = "builtin:" + t.host;
                cs.targets.push_back(std::move(ct));
                continue;
            }
            if (t.scheme == "https" && !compileTls(svc, t, context, cs, ct, error)) {
                return nullptr;
            }
            ct.hostHeader = t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host;
            const bool defaultPort =
                (t.scheme == "http" && t.port == 80) || (t.scheme == "https" && t.port == 443);
            if (!defaultPort) {
                ct.hostHeader += ":" + std::to_string(t.port);
            }
            if (!context.resolveTargets) {
                ct.key = tlsKeyPrefix(svc, ct) + t.host + ":" + std::to_string(t.port);
                cs.targets.push_back(std::move(ct));
                continue;
            }
            if (isLocalhostName(t.host)) {
                ct.endpoint = asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), t.port);
            } else {
                asio::error_code ec;
                auto results = resolver.resolve(t.host, std::to_string(t.port), ec);
                if (ec || results.empty()) {
                    error = "services." + svc.name + ": cannot resolve target " + t.url + ": " + ec.message();
                    return nullptr;
                }
                ct.endpoint = results.begin()->endpoint();
            }
            ct.key = tlsKeyPrefix(svc, ct) + ct.endpoint.address().to_string() + ":" +
                     std::to_string(ct.endpoint.port());
            cs.targets.push_back(std::move(ct));
        }
        snap->services.push_back(std::move(cs));
    }
    if (context.loadTls && !cfg.gateway.tls.listen.empty()) {
        snap->tls = TlsServerContext::create(cfg.gateway.tls, error);
        if (!snap->tls) {
            error = "gateway.tls: " + error;
            return nullptr;
        }
    }
    compileAccess(*snap);
    snap->routes = router::RouteTable::build(snap->config);
    if (!buildPipeline(*snap, context, error)) {
        return nullptr;
    }
    return snap;
}

} // namespace tollgate::server
