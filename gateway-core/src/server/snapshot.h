#pragma once
// One compiled configuration: everything a worker needs to decide and forward a request,
// built once when the config is applied and never changed afterwards. Workers hold it through
// shared_ptr<const Snapshot>; requests in flight keep the snapshot they started with.

#include "http/message.h"
#include "pipeline/pipeline.h"
#include "router/route_table.h"
#include "tollgate/config.h"

#include <asio/ip/tcp.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tollgate::server {

struct CompiledTarget {
    bool builtinEcho = false;
    asio::ip::tcp::endpoint endpoint; // resolved at compile time
    std::string key;                  // "host:port", identifies the worker's pool and health state
    std::string hostHeader;           // Host sent upstream
};

struct CompiledService {
    const ServiceConfig* config = nullptr; // points into Snapshot::config
    std::vector<CompiledTarget> targets;
    std::vector<int> weights;
    enum class HashOn : uint8_t { ClientIp, Path, Header } hashOn = HashOn::ClientIp;
    std::string hashHeader;
};

struct Snapshot {
    Config config;
    router::RouteTable routes;
    std::vector<CompiledService> services;
    pipeline::Pipeline pipeline;
    http::ParserLimits parserLimits;
    uint64_t generation = 0;

    // Compiles `cfg`; returns nullptr with a message when a target cannot be resolved.
    static std::shared_ptr<const Snapshot> compile(const Config& cfg, uint64_t generation,
                                                   std::string& error);

    bool isTrustedProxy(const asio::ip::address& peer) const;
};

// Whether `addr` lies inside `cidr`.
bool cidrContains(const Cidr& cidr, const asio::ip::address& addr);

} // namespace tollgate::server
