#pragma once
// The "why?" function: what the gateway would answer to one request, and which rules decided it.
// It runs the same compiled pipeline as the traffic (IP rules, route, lifecycle, authentication,
// authorization), with the consumer taken as given instead of checking credentials.
// Thread safety: a pure function of its arguments; callable from any thread.

#include "tollgate/config.h"

#include <string>
#include <vector>

namespace tollgate {

struct ExplainQuery {
    std::string consumer; // "" = anonymous
    std::string method;   // any case: "get", "POST"
    std::string path;     // may include ?query
    std::string host;     // optional: Host header, for APIs and routes bound to hosts
    std::string clientIp = "127.0.0.1";
};

struct ExplainResult {
    // The answer: 200 means "would be forwarded upstream"; 0 means the query itself is unusable
    // (unknown consumer, bad method or client address, config that does not compile), see reason.
    int status = 0;
    std::string reason; // reason code, "" when allowed ("deny.no_grant", "explain.unknown_consumer")
    std::vector<std::string> chain; // one line per rule applied, in pipeline order
    // "403 deny.no_grant: plan free grants orders/{list,get}; POST /orders/v1/ is orders/create",
    // "200 allowed: consumer acme, plan free grants ...; GET is granted by plan free".
    std::string summary;
};

// Precondition: `config` was validated (as loadConfigFile/loadConfigText return it).
ExplainResult explain(const Config& config, const ExplainQuery& q);

// Which route answers a method and path, ignoring access rules (the console's path tester).
struct RouteMatchResult {
    enum class Kind { Found, NoRoute, MethodNotAllowed, BadPath } kind = Kind::NoRoute;
    int apiIndex = -1;   // Found: index into Config::apis
    int routeIndex = -1; // Found: index into ApiConfig::routes
    std::string pattern; // Found: base_path + path, "/orders/v1/{id}"
    std::string path;    // the canonical path that was matched
    std::string allow;   // MethodNotAllowed: the methods the path accepts, "GET, HEAD"
    std::string reason;  // BadPath: "path.encoded_slash"...
};

// Precondition: `config` was validated. A pure function; callable from any thread.
RouteMatchResult matchRoute(const Config& config, const std::string& method, const std::string& path,
                            const std::string& host = {});

} // namespace tollgate
