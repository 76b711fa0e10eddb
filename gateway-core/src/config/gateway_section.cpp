// The `gateway:` and `ip_rules:` sections: listeners, TLS, limits, files and cluster settings.
#include "config/sections.h"
#include "config/text_util.h"
#include "config/value_parsers.h"

#include <charconv>
#include <fstream>

namespace tollgate::config {
namespace {

void parseListenList(const MapView& view, std::string_view key, std::vector<ListenAddress>& out) {
    Reader& reader = view.reader();
    view.forEach(key, [&](const YAML::Node& element, const std::string& path) {
        if (!element.IsScalar()) {
            reader.error(element, path, "expected \"host:port\", got " + typeName(element));
            return;
        }
        std::string why;
        auto address = parseListenAddress(element.Scalar(), why);
        if (!address) {
            reader.error(element, path,
                         "invalid listen address \"" + element.Scalar() + "\": " + why +
                             " (host:port or [v6]:port)");
            return;
        }
        reader.recordMark(path, Reader::markOf(element));
        out.push_back(std::move(*address));
    });
}

void parseTls(Reader& reader, const YAML::Node& node, TlsListenConfig& out) {
    const MapView tls(reader, node, "gateway.tls", {"listen", "certificates", "client_auth"});
    parseListenList(tls, "listen", out.listen);
    using ClientAuth = TlsListenConfig::ClientAuth;
    tls.getEnum<ClientAuth>("client_auth", "client_auth mode",
                            {{"none", ClientAuth::None}, {"request", ClientAuth::Request}}, out.clientAuth);
    if (!out.listen.empty()) {
        tls.require("certificates");
    }
    tls.forEach("certificates", [&](const YAML::Node& element, const std::string& path) {
        const MapView cert(reader, element, path, {"cert", "key"});
        TlsCertificate c;
        if (cert.getPath("cert", c.cert, true)) {
            checkReadable(reader, reader.markAt(cert.keyPath("cert")), cert.keyPath("cert"), c.cert);
        }
        if (cert.getPath("key", c.key, true)) {
            checkReadable(reader, reader.markAt(cert.keyPath("key")), cert.keyPath("key"), c.key);
        }
        checkTlsPair(reader, path, c);
        out.certificates.push_back(std::move(c));
    });
}

void parseLimits(Reader& reader, const YAML::Node& node, Limits& out) {
    const MapView limits(reader, node, "gateway.limits",
                         {"max_uri_bytes", "max_header_bytes", "max_header_count", "max_body_bytes",
                          "header_timeout", "body_timeout", "idle_timeout"});
    limits.getSize("max_uri_bytes", out.maxUriBytes);
    limits.getSize("max_header_bytes", out.maxHeaderBytes);
    limits.getInt("max_header_count", 1, 100'000, out.maxHeaderCount);
    limits.getSize("max_body_bytes", out.maxBodyBytes);
    limits.getDuration("header_timeout", out.headerTimeout);
    limits.getDuration("body_timeout", out.bodyTimeout);
    limits.getDuration("idle_timeout", out.idleTimeout);
}

void parseWorkers(const MapView& gw, int& out) {
    const YAML::Node* node = gw.find("workers");
    if (!node) {
        return;
    }
    if (node->IsScalar() && node->Scalar() == "auto") {
        out = 0;
        return;
    }
    int64_t value = 0;
    if (node->IsScalar()) {
        const std::string& text = node->Scalar();
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && ptr == text.data() + text.size() && value >= 1 && value <= 256) {
            out = static_cast<int>(value);
            return;
        }
    }
    gw.reader().error(*node, gw.keyPath("workers"),
                      "expected \"auto\" or a number from 1 to 256, got " + typeName(*node));
}

void parseAdmin(Reader& reader, const YAML::Node& node, AdminConfig& out) {
    const MapView admin(reader, node, "gateway.admin", {"listen", "token_env"});
    if (const YAML::Node* listen = admin.find("listen")) {
        std::string why;
        std::optional<ListenAddress> address;
        if (listen->IsScalar()) {
            address = parseListenAddress(listen->Scalar(), why);
        } else {
            why = "expected a string";
        }
        if (!address) {
            reader.error(*listen, admin.keyPath("listen"),
                         "invalid listen address " + typeName(*listen) + ": " + why +
                             " (host:port or [v6]:port)");
        } else {
            reader.recordMark(admin.keyPath("listen"), Reader::markOf(*listen));
            out.listen = std::move(address);
        }
    }
    std::string tokenEnv;
    if (admin.getString("token_env", tokenEnv)) {
        if (isIdentifier(tokenEnv)) {
            out.tokenEnv = tokenEnv;
        } else {
            reader.error(reader.markAt(admin.keyPath("token_env")), admin.keyPath("token_env"),
                         "\"" + tokenEnv + "\" is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
    }
}

// Each resolution must outlive the finer one: hours are rolled up from minutes, days from hours.
void parseRetention(Reader& reader, const YAML::Node& node, RetentionConfig& out) {
    const MapView view(reader, node, "gateway.retention", {"minutes", "hours", "days"});
    view.getDuration("minutes", out.minutes);
    view.getDuration("hours", out.hours);
    view.getDuration("days", out.days);
    const auto atLeast = [&](const char* key, Millis value, Millis floor, const char* what) {
        if (value < floor) {
            reader.error(reader.markAt(view.keyPath(key)), view.keyPath(key),
                         std::string("must be at least ") + what);
        }
    };
    atLeast("minutes", out.minutes, Millis(3'600'000), "1h (an hour is rolled up from its minutes)");
    atLeast("hours", out.hours, Millis(86'400'000), "1d (a day is rolled up from its hours)");
    atLeast("days", out.days, Millis(86'400'000), "1d");
}

// Two listeners on the same host and port would fail at bind time; say so at load instead.
void checkDuplicateListeners(Reader& reader, const GatewayConfig& gw) {
    struct Seen {
        const ListenAddress* address;
        std::string path;
    };
    std::vector<Seen> seen;
    auto visit = [&](const ListenAddress& address, const std::string& path) {
        for (const Seen& s : seen) {
            if (address.port != 0 && s.address->port == address.port &&
                toLower(s.address->host) == toLower(address.host)) {
                reader.error(reader.markAt(path), path,
                             "address \"" + address.text + "\" is already used by " + s.path);
                return;
            }
        }
        seen.push_back({&address, path});
    };
    for (size_t i = 0; i < gw.listen.size(); ++i) {
        visit(gw.listen[i], indexPath("gateway.listen", i));
    }
    for (size_t i = 0; i < gw.tls.listen.size(); ++i) {
        visit(gw.tls.listen[i], indexPath("gateway.tls.listen", i));
    }
    if (gw.admin.listen) {
        visit(*gw.admin.listen, "gateway.admin.listen");
    }
}

} // namespace

void checkReadable(Reader& reader, SourceMark at, const std::string& key, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        reader.error(at, key, "cannot read file \"" + path + "\"");
    }
}

void parseGateway(Reader& reader, const YAML::Node& node, GatewayConfig& out) {
    const MapView gw(reader, node, "gateway",
                     {"listen", "tls", "workers", "trusted_proxies", "limits", "store", "access_log", "admin",
                      "cluster", "drain_timeout", "retention"});
    parseListenList(gw, "listen", out.listen);
    if (const YAML::Node* tls = gw.find("tls")) {
        parseTls(reader, *tls, out.tls);
    }
    // An explicit `listen: []` with TLS listeners is a TLS-only gateway; with nothing at all,
    // the gateway still needs somewhere to listen.
    if (!gw.find("listen") && out.tls.listen.empty()) {
        std::string why;
        out.listen.push_back(*parseListenAddress("127.0.0.1:8080", why));
    }
    parseWorkers(gw, out.workers);
    gw.getCidrList("trusted_proxies", out.trustedProxies);
    if (const YAML::Node* limits = gw.find("limits")) {
        parseLimits(reader, *limits, out.limits);
    }
    gw.getPath("store", out.store);
    gw.getPath("access_log", out.accessLog);
    if (const YAML::Node* admin = gw.find("admin")) {
        parseAdmin(reader, *admin, out.admin);
    }
    if (const YAML::Node* cluster = gw.find("cluster")) {
        const MapView view(reader, *cluster, "gateway.cluster", {"redis"});
        std::string redis;
        if (view.getString("redis", redis)) {
            if (redis.rfind("redis://", 0) == 0 || redis.rfind("rediss://", 0) == 0) {
                out.cluster.redis = redis;
            } else {
                reader.error(reader.markAt(view.keyPath("redis")), view.keyPath("redis"),
                             "expected a URL starting with redis:// or rediss://, got \"" + redis + "\"");
            }
        }
    }
    gw.getDuration("drain_timeout", out.drainTimeout, true);
    if (const YAML::Node* retention = gw.find("retention")) {
        parseRetention(reader, *retention, out.retention);
    }
    checkDuplicateListeners(reader, out);
}

void parseIpRules(Reader& reader, const YAML::Node& node, IpRulesConfig& out) {
    const MapView rules(reader, node, "ip_rules", {"allow", "deny"});
    rules.getCidrList("allow", out.allow);
    rules.getCidrList("deny", out.deny);
}

} // namespace tollgate::config
