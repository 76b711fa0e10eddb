// explain(): one request through the snapshot's own pipeline, in explain mode.
#include "tollgate/explain.h"

#include "http/message.h"
#include "http/path_normalizer.h"
#include "server/snapshot.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>
#include <memory>

namespace tollgate {
namespace {

ExplainResult unusable(const char* reason, std::string summary) {
    ExplainResult r;
    r.reason = reason;
    r.summary = std::move(summary);
    return r;
}

// "detail" of a chain line "stage: reason: detail" (or "stage: detail").
std::string detailOf(const std::string& line, std::string_view reason) {
    std::string_view rest = line;
    const size_t colon = rest.find(": ");
    if (colon != std::string_view::npos && rest.substr(0, colon).find(' ') == std::string_view::npos) {
        rest.remove_prefix(colon + 2);
    }
    if (!reason.empty() && rest.size() > reason.size() + 2 && rest.substr(0, reason.size()) == reason &&
        rest.substr(reason.size(), 2) == ": ") {
        rest.remove_prefix(reason.size() + 2);
    }
    return std::string(rest);
}

// The route stage decides silently; tell its part from the outcome.
void addRouteStep(const server::Snapshot& snap, const pipeline::RequestContext& ctx,
                  const pipeline::Decision& d, std::string_view method, std::vector<std::string>& chain) {
    for (const std::string& line : chain) {
        if (line.rfind("route:", 0) == 0) {
            return; // the route stage explained itself
        }
    }
    std::string line;
    const std::string request = std::string(method) + " " + ctx.path;
    if (ctx.route != nullptr) {
        const ApiConfig& api = snap.config.apis[ctx.route->apiIndex];
        line = "route: " + request + " is " + api.name + "/" + api.routes[ctx.route->routeIndex].name + " (" +
               (api.version.empty() ? "" : api.version + ", ") + "pattern " + ctx.route->pattern + ")";
    } else if (d.respond && std::strcmp(d.reason, "route.none") == 0) {
        line = "route: route.none: no route matches " + request;
        if (ctx.head != nullptr && !ctx.head->host.empty()) {
            line += " on host " + std::string(ctx.head->host);
        }
    } else if (d.respond && std::strcmp(d.reason, "route.method") == 0) {
        line = "route: route.method: " + ctx.path + " does not accept " + std::string(method) +
               " (Allow: " + std::string(d.allow) + ")";
    } else {
        return; // refused before routing
    }
    size_t at = 0;
    while (at < chain.size() && chain[at].rfind("ip_rules:", 0) == 0) {
        ++at;
    }
    chain.insert(chain.begin() + static_cast<std::ptrdiff_t>(at), std::move(line));
}

} // namespace

ExplainResult explain(const Config& config, const ExplainQuery& q) {
    std::string error;
    server::CompileContext context;
    context.resolveTargets = false;
    context.loadTls = false;
    const std::shared_ptr<const server::Snapshot> snap = server::Snapshot::compile(config, 0, error, context);
    if (!snap) {
        return unusable("explain.config", "the configuration does not compile: " + error);
    }

    std::string token = q.method;
    for (char& c : token) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string::npos) {
        return unusable("explain.bad_method", "not an HTTP method: \"" + q.method + "\"");
    }

    pipeline::RequestContext ctx;
    ctx.clientIp = q.clientIp;
    ctx.clientV6 = q.clientIp.find(':') != std::string::npos;
    if (inet_pton(ctx.clientV6 ? AF_INET6 : AF_INET, q.clientIp.c_str(), ctx.clientAddr) != 1) {
        return unusable("explain.bad_client_ip", "not an IP address: \"" + q.clientIp + "\"");
    }

    if (!q.consumer.empty()) {
        std::string known;
        for (size_t i = 0; i < snap->consumers.size(); ++i) {
            const std::string& name = snap->consumers[i].config->name;
            if (name == q.consumer) {
                ctx.consumer = &snap->consumers[i];
                ctx.consumerIndex = static_cast<int>(i);
                break;
            }
            known += (known.empty() ? "" : ", ") + name;
        }
        if (ctx.consumer == nullptr) {
            return unusable("explain.unknown_consumer",
                            "no consumer named \"" + q.consumer + "\" (consumers: " +
                                (snap->consumers.empty() ? std::string("none") : known) + ")");
        }
    }

    ExplainResult result;
    std::string_view query;
    const http::PathError pathError = http::normalizePath(q.path, ctx.path, query);
    if (pathError != http::PathError::None) {
        result.status = 400;
        result.reason = http::pathErrorReason(pathError);
        result.chain.push_back("path: " + result.reason + ": \"" + q.path +
                               "\" is refused before any rule applies (no canonical form)");
        result.summary = "400 " + result.reason + ": \"" + q.path + "\" has no canonical form";
        return result;
    }

    // A stub head: what the stages read from a real one (method, target, Host).
    auto head = std::make_unique<http::RequestHead>();
    head->method = token;
    head->methodId = http::methodFromToken(token);
    head->target = q.path;
    head->host = q.host;
    ctx.head = head.get();
    ctx.snapshot = snap.get();
    ctx.method = head->methodId;
    ctx.query = std::string(query);
    ctx.start = pipeline::Clock::now();
    ctx.explainChain = &result.chain;

    const pipeline::Decision d = snap->pipeline.run(ctx);
    addRouteStep(*snap, ctx, d, token, result.chain);

    std::string last = result.chain.empty() ? std::string() : result.chain.back();
    if (!d.respond) {
        // An allowed request is summed up by the rule that allowed it; the limit stages only describe
        // how much more may follow (their lines stay in the chain).
        for (auto it = result.chain.rbegin(); it != result.chain.rend(); ++it) {
            if (it->rfind("rate limits:", 0) != 0 && it->rfind("quota:", 0) != 0) {
                last = *it;
                break;
            }
        }
    }
    if (d.respond) {
        result.status = d.status;
        result.reason = d.reason;
        result.summary =
            std::to_string(d.status) + " " + result.reason + ": " + detailOf(last, result.reason);
    } else {
        result.status = 200;
        result.summary = "200 allowed: " + detailOf(last, {});
    }
    return result;
}

} // namespace tollgate
