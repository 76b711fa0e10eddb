// The `services:` section: upstream targets, balancing, timeouts, retries and health checks.
#include "config/sections.h"
#include "config/text_util.h"
#include "config/value_parsers.h"

namespace tollgate::config {
namespace {

void parseTarget(Reader& reader, const YAML::Node& node, const std::string& path, ServiceConfig& service) {
    const MapView view(reader, node, path, {"url", "weight"});
    if (!view.isMap()) {
        return;
    }
    TargetConfig target;
    target.mark = view.mark();
    if (view.getString("url", target.url, true)) {
        std::string why;
        if (!parseTargetUrl(target.url, target, why)) {
            reader.error(reader.markAt(view.keyPath("url")), view.keyPath("url"),
                         "invalid target \"" + target.url + "\": " + why);
        }
    }
    view.getInt("weight", 1, 1000, target.weight);
    service.targets.push_back(std::move(target));
}

void parseHashOn(const MapView& view, ServiceConfig& service) {
    std::string hashOn;
    if (!view.getString("hash_on", hashOn)) {
        return;
    }
    const std::string header = "header:";
    const bool headerForm = hashOn.rfind(header, 0) == 0 && hashOn.size() > header.size() &&
                            hashOn.find_first_of(" \t:", header.size()) == std::string::npos;
    if (hashOn == "client_ip" || hashOn == "path" || headerForm) {
        service.hashOn = hashOn;
    } else {
        view.reader().error(view.reader().markAt(view.keyPath("hash_on")), view.keyPath("hash_on"),
                            "unknown hash key \"" + hashOn + "\" (client_ip, path, header:NAME)");
    }
    if (service.balance != Balance::ConsistentHash) {
        view.reader().warning(view.reader().markAt(view.keyPath("hash_on")), view.keyPath("hash_on"),
                              "hash_on only applies to balance: consistent_hash");
    }
}

void parseHealth(Reader& reader, const YAML::Node& node, const std::string& path, ServiceConfig& service) {
    const MapView view(reader, node, path, {"path", "interval", "unhealthy_after", "healthy_after"});
    HealthConfig health;
    if (view.getString("path", health.path) && health.path.front() != '/') {
        reader.error(reader.markAt(view.keyPath("path")), view.keyPath("path"),
                     "must start with '/', got \"" + health.path + "\"");
    }
    view.getDuration("interval", health.interval);
    view.getInt("unhealthy_after", 1, 100, health.unhealthyAfter);
    view.getInt("healthy_after", 1, 100, health.healthyAfter);
    service.health = health;
}

void parseService(Reader& reader, const YAML::Node& node, const std::string& path, ServiceConfig& service) {
    const MapView view(
        reader, node, path,
        {"name", "targets", "balance", "hash_on", "timeouts", "retries", "health", "passive", "tls"});
    service.mark = view.mark();
    if (!view.isMap()) {
        return;
    }
    view.getString("name", service.name, true);
    if (view.require("targets")) {
        view.forEach("targets", [&](const YAML::Node& element, const std::string& elementPath) {
            parseTarget(reader, element, elementPath, service);
        });
        if (view.find("targets")->IsSequence() && view.find("targets")->size() == 0) {
            reader.error(view.keyMark("targets"), view.keyPath("targets"), "needs at least one target");
        }
    }
    view.getEnum<Balance>("balance", "balance",
                          {{"round_robin", Balance::RoundRobin},
                           {"least_conn", Balance::LeastConn},
                           {"consistent_hash", Balance::ConsistentHash}},
                          service.balance);
    parseHashOn(view, service);
    if (const YAML::Node* timeouts = view.find("timeouts")) {
        const MapView t(reader, *timeouts, view.keyPath("timeouts"), {"connect", "read"});
        t.getDuration("connect", service.connectTimeout);
        t.getDuration("read", service.readTimeout);
    }
    view.getInt("retries", 0, 10, service.retries);
    if (const YAML::Node* health = view.find("health")) {
        parseHealth(reader, *health, view.keyPath("health"), service);
    }
    if (const YAML::Node* passive = view.find("passive")) {
        const MapView p(reader, *passive, view.keyPath("passive"), {"failures", "eject"});
        p.getInt("failures", 0, 1000, service.passive.failures);
        p.getDuration("eject", service.passive.ejectFor);
    }
    if (const YAML::Node* tls = view.find("tls")) {
        const MapView t(reader, *tls, view.keyPath("tls"), {"ca", "verify"});
        if (t.getPath("ca", service.tls.ca)) {
            checkReadable(reader, reader.markAt(t.keyPath("ca")), t.keyPath("ca"), service.tls.ca);
        }
        if (t.getBool("verify", service.tls.verify) && !service.tls.verify) {
            reader.warning(reader.markAt(t.keyPath("verify")), t.keyPath("verify"),
                           "TLS certificate verification is disabled for this service's targets");
        }
    }
}

} // namespace

void parseServices(Reader& reader, const MapView& top, std::vector<ServiceConfig>& out) {
    top.forEach("services", [&](const YAML::Node& element, const std::string& path) {
        ServiceConfig service;
        parseService(reader, element, path, service);
        out.push_back(std::move(service));
    });
}

} // namespace tollgate::config
