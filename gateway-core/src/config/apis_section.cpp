// The `apis:` section: lifecycle, base path, authentication and routes with their patterns.
#include "config/sections.h"
#include "config/text_util.h"
#include "config/value_parsers.h"

#include <algorithm>

namespace tollgate::config {
namespace {

constexpr std::string_view kMethods[] = {"GET",     "HEAD",  "POST",  "PUT",    "DELETE",
                                         "OPTIONS", "PATCH", "TRACE", "CONNECT"};

// Why `pattern` is not a valid route path, or "" when it is. Base paths allow no parameters.
std::string patternProblem(std::string_view pattern, bool isBasePath) {
    if (pattern.empty() || pattern.front() != '/') {
        return "must start with '/'";
    }
    if (pattern.find("//") != std::string_view::npos) {
        return "must not contain \"//\"";
    }
    for (char c : pattern) {
        if (c == '%' || c == '?' || c == '#') {
            return std::string("must not contain '") + c +
                   "' (patterns match the decoded path, without query)";
        }
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
            return "must not contain spaces or control characters";
        }
    }
    std::vector<std::string_view> params;
    size_t start = 1;
    while (start <= pattern.size()) {
        const size_t end = std::min(pattern.find('/', start), pattern.size());
        const std::string_view segment = pattern.substr(start, end - start);
        const bool last = end >= pattern.size() || (end + 1 == pattern.size());
        if (segment == "." || segment == "..") {
            return "must not contain \".\" or \"..\" segments";
        }
        if (segment.find('*') != std::string_view::npos) {
            if (isBasePath) {
                return "must not contain '*'";
            }
            if (segment != "*" || !last) {
                return "'*' is only allowed as the whole last segment, like /files/*";
            }
        }
        if (segment.find_first_of("{}") != std::string_view::npos) {
            if (isBasePath) {
                return "must not contain parameters";
            }
            if (segment.size() < 3 || segment.front() != '{' || segment.back() != '}' ||
                !isIdentifier(segment.substr(1, segment.size() - 2))) {
                return "a parameter is a whole segment {name}, name being letters, digits and '_', got \"" +
                       std::string(segment) + "\"";
            }
            const std::string_view name = segment.substr(1, segment.size() - 2);
            if (std::find(params.begin(), params.end(), name) != params.end()) {
                return "parameter {" + std::string(name) + "} appears twice";
            }
            params.push_back(name);
        }
        start = end + 1;
    }
    return {};
}

void checkPattern(Reader& reader, const MapView& view, std::string_view key, const std::string& value,
                  bool isBasePath) {
    const std::string problem = patternProblem(value, isBasePath);
    if (!problem.empty()) {
        reader.error(reader.markAt(view.keyPath(key)), view.keyPath(key),
                     problem + ", got \"" + value + "\"");
    }
}

// Host names are compared case-insensitively; they are stored lower case.
void parseHosts(Reader& reader, const MapView& view, std::vector<std::string>& out) {
    std::vector<std::string> hosts;
    if (!view.getStringList("hosts", hosts)) {
        return;
    }
    for (size_t i = 0; i < hosts.size(); ++i) {
        const std::string path = indexPath(view.keyPath("hosts"), i);
        if (!isHostPattern(hosts[i])) {
            reader.error(reader.markAt(path), path,
                         "invalid host \"" + hosts[i] + "\" (a host name, optionally \"*.\" in front)");
            continue;
        }
        out.push_back(toLower(hosts[i]));
    }
}

void parseRoute(Reader& reader, const YAML::Node& node, const std::string& path, ApiConfig& api) {
    const MapView view(reader, node, path, {"name", "methods", "path", "hosts"});
    RouteConfig route;
    route.mark = view.mark();
    if (view.isMap()) {
        view.getString("name", route.name, true);
        if (view.getStringList("methods", route.methods)) {
            normaliseMethods(reader, view.keyPath("methods"), route.methods);
        }
        if (view.getString("path", route.path, true)) {
            checkPattern(reader, view, "path", route.path, false);
        }
        parseHosts(reader, view, route.hosts);
    }
    api.routes.push_back(std::move(route));
}

void parseApi(Reader& reader, const YAML::Node& node, const std::string& path, ApiConfig& api) {
    const MapView view(reader, node, path,
                       {"name", "version", "lifecycle", "sunset", "base_path", "service", "strip_base_path",
                        "auth", "public", "key_in_query", "hosts", "openapi", "limits_per_ip", "routes"});
    api.mark = view.mark();
    if (!view.isMap()) {
        return;
    }
    view.getString("name", api.name, true);
    view.getString("version", api.version);
    view.getEnum<Lifecycle>("lifecycle", "lifecycle",
                            {{"draft", Lifecycle::Draft},
                             {"published", Lifecycle::Published},
                             {"deprecated", Lifecycle::Deprecated},
                             {"retired", Lifecycle::Retired}},
                            api.lifecycle);
    if (view.getString("sunset", api.sunset) && !isValidDate(api.sunset)) {
        reader.error(reader.markAt(view.keyPath("sunset")), view.keyPath("sunset"),
                     "invalid date \"" + api.sunset + "\" (a real date written YYYY-MM-DD)");
        api.sunset.clear();
    }
    if (view.getString("base_path", api.basePath)) {
        checkPattern(reader, view, "base_path", api.basePath, true);
    }
    view.getString("service", api.service, true);
    view.getBool("strip_base_path", api.stripBasePath);
    if (view.getStringList("auth", api.auth)) {
        for (size_t i = 0; i < api.auth.size(); ++i) {
            const std::string& type = api.auth[i];
            if (type != "key" && type != "jwt" && type != "mtls") {
                const std::string p = indexPath(view.keyPath("auth"), i);
                reader.error(reader.markAt(p), p,
                             unknownValueMessage("credential type", type, {"key", "jwt", "mtls"}));
            }
        }
    }
    view.getBool("public", api.isPublic);
    view.getBool("key_in_query", api.keyInQuery);
    parseHosts(reader, view, api.hosts);
    view.getPath("openapi", api.openapi);
    parseRateLimits(view, "limits_per_ip", api.limitsPerIp);
    view.forEach("routes", [&](const YAML::Node& element, const std::string& routePath) {
        parseRoute(reader, element, routePath, api);
    });
    if (!api.isPublic && api.auth.empty() && !view.has("auth")) {
        reader.warning(
            view.mark(), path,
            "no credential type accepted, so no caller can pass: set auth (key, jwt, mtls) or public: true");
    }
}

} // namespace

bool normaliseMethods(Reader& reader, const std::string& path, std::vector<std::string>& methods) {
    bool ok = true;
    std::vector<std::string> out;
    for (size_t i = 0; i < methods.size(); ++i) {
        const std::string upper = toUpper(methods[i]);
        if (std::find(std::begin(kMethods), std::end(kMethods), upper) == std::end(kMethods)) {
            const std::string p = indexPath(path, i);
            reader.error(
                reader.markAt(p), p,
                unknownValueMessage("method", methods[i], {std::begin(kMethods), std::end(kMethods)}));
            ok = false;
            continue;
        }
        // A repeated method changes nothing; keep the list canonical.
        if (std::find(out.begin(), out.end(), upper) == out.end()) {
            out.push_back(upper);
        }
    }
    methods = std::move(out);
    return ok;
}

void parseApis(Reader& reader, const MapView& top, std::vector<ApiConfig>& out) {
    top.forEach("apis", [&](const YAML::Node& element, const std::string& path) {
        ApiConfig api;
        parseApi(reader, element, path, api);
        out.push_back(std::move(api));
    });
}

} // namespace tollgate::config
