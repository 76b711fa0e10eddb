// The `plans:` and `consumers:` sections, with the grants and rate limits they share.
#include "config/sections.h"
#include "config/text_util.h"
#include "config/value_parsers.h"

#include <algorithm>

namespace tollgate::config {
namespace {

void parseQuota(Reader& reader, const YAML::Node& node, const std::string& path, PlanConfig& plan) {
    const MapView view(reader, node, path, {"requests", "per", "on_exceeded"});
    QuotaConfig quota;
    view.getInt("requests", 1, INT64_MAX, quota.requests, true);
    view.getEnum<QuotaConfig::Per>("per", "unit",
                                   {{"day", QuotaConfig::Per::Day},
                                    {"week", QuotaConfig::Per::Week},
                                    {"month", QuotaConfig::Per::Month}},
                                   quota.per);
    view.getEnum<QuotaConfig::OnExceeded>("on_exceeded", "action",
                                          {{"block", QuotaConfig::OnExceeded::Block},
                                           {"allow_and_bill", QuotaConfig::OnExceeded::AllowAndBill}},
                                          quota.onExceeded);
    plan.quota = quota;
}

void parsePrice(Reader& reader, const YAML::Node& node, const std::string& path, PriceConfig& price) {
    const MapView view(reader, node, path, {"currency", "monthly", "per_1000_over_quota"});
    std::string currency;
    if (view.getString("currency", currency)) {
        const bool iso = currency.size() == 3 && std::all_of(currency.begin(), currency.end(),
                                                             [](char c) { return c >= 'A' && c <= 'Z'; });
        if (iso) {
            price.currency = currency;
        } else {
            reader.error(reader.markAt(view.keyPath("currency")), view.keyPath("currency"),
                         "expected a three-letter ISO 4217 code like USD or EUR, got \"" + currency + "\"");
        }
    }
    view.getNumber("monthly", 0, price.monthly);
    view.getNumber("per_1000_over_quota", 0, price.per1000OverQuota);
}

void parsePlan(Reader& reader, const YAML::Node& node, const std::string& path, PlanConfig& plan) {
    const MapView view(reader, node, path, {"name", "rate_limits", "quota", "price", "grants"});
    plan.mark = view.mark();
    if (!view.isMap()) {
        return;
    }
    view.getString("name", plan.name, true);
    parseRateLimits(view, "rate_limits", plan.rateLimits);
    if (const YAML::Node* quota = view.find("quota")) {
        parseQuota(reader, *quota, view.keyPath("quota"), plan);
    }
    if (const YAML::Node* price = view.find("price")) {
        parsePrice(reader, *price, view.keyPath("price"), plan.price);
    }
    parseGrants(view, "grants", plan.grants);
}

void parseCredential(Reader& reader, const YAML::Node& node, const std::string& path,
                     ConsumerConfig& consumer) {
    using Type = CredentialConfig::Type;
    CredentialConfig cred;
    cred.mark = Reader::markOf(node);
    // The allowed keys depend on the type, so read it first.
    std::string typeText;
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (it->first.IsScalar() && it->first.Scalar() == "type" && it->second.IsScalar()) {
                typeText = it->second.Scalar();
                break;
            }
        }
    }
    std::vector<std::string_view> allowed;
    if (typeText == "key") {
        allowed = {"type", "id", "hash"};
    } else if (typeText == "jwt") {
        allowed = {"type", "issuer", "jwks_url", "secret_env", "public_key", "audience"};
    } else if (typeText == "mtls") {
        allowed = {"type", "fingerprint"};
    } else {
        allowed = {"type",       "id",         "hash",     "issuer",     "jwks_url",
                   "secret_env", "public_key", "audience", "fingerprint"};
    }
    const MapView view(reader, node, path, allowed);
    if (!view.isMap()) {
        consumer.credentials.push_back(std::move(cred));
        return;
    }
    view.getEnum<Type>("type", "credential type",
                       {{"key", Type::Key}, {"jwt", Type::Jwt}, {"mtls", Type::Mtls}}, cred.type);
    if (!view.has("type")) {
        view.require("type");
    } else if (typeText == "key") {
        view.getString("id", cred.id, true);
        if (view.getString("hash", cred.hash, true) && !isSha256(cred.hash, false)) {
            reader.error(reader.markAt(view.keyPath("hash")), view.keyPath("hash"),
                         "invalid key hash (\"sha256:\" followed by 64 lowercase hex digits)");
        }
    } else if (typeText == "mtls") {
        if (view.getString("fingerprint", cred.hash, true)) {
            if (isSha256(cred.hash, true)) {
                cred.hash = toLower(cred.hash);
            } else {
                reader.error(reader.markAt(view.keyPath("fingerprint")), view.keyPath("fingerprint"),
                             "invalid certificate fingerprint (\"sha256:\" followed by 64 hex digits)");
            }
        }
    } else if (typeText == "jwt") {
        view.getString("issuer", cred.issuer, true);
        view.getString("audience", cred.audience);
        const int sources =
            int(view.has("jwks_url")) + int(view.has("secret_env")) + int(view.has("public_key"));
        if (sources != 1) {
            reader.error(view.mark(), path,
                         "a jwt credential needs exactly one of jwks_url, secret_env, public_key, got " +
                             std::to_string(sources));
        }
        if (view.getString("jwks_url", cred.jwksUrl) && cred.jwksUrl.rfind("https://", 0) != 0 &&
            cred.jwksUrl.rfind("http://", 0) != 0) {
            reader.error(reader.markAt(view.keyPath("jwks_url")), view.keyPath("jwks_url"),
                         "expected an http:// or https:// URL, got \"" + cred.jwksUrl + "\"");
        }
        if (view.getString("secret_env", cred.secretEnv) && !isIdentifier(cred.secretEnv)) {
            reader.error(reader.markAt(view.keyPath("secret_env")), view.keyPath("secret_env"),
                         "\"" + cred.secretEnv +
                             "\" is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
        view.getPath("public_key", cred.publicKey);
    }
    consumer.credentials.push_back(std::move(cred));
}

void parseConsumer(Reader& reader, const YAML::Node& node, const std::string& path,
                   ConsumerConfig& consumer) {
    const MapView view(reader, node, path,
                       {"name", "plan", "status", "credentials", "grants", "denies", "ip_allow"});
    consumer.mark = view.mark();
    if (!view.isMap()) {
        return;
    }
    using Status = ConsumerConfig::Status;
    view.getString("name", consumer.name, true);
    view.getString("plan", consumer.plan, true);
    view.getEnum<Status>("status", "status", {{"active", Status::Active}, {"suspended", Status::Suspended}},
                         consumer.status);
    view.forEach("credentials", [&](const YAML::Node& element, const std::string& credPath) {
        parseCredential(reader, element, credPath, consumer);
    });
    parseGrants(view, "grants", consumer.grants);
    parseGrants(view, "denies", consumer.denies);
    view.getCidrList("ip_allow", consumer.ipAllow);
}

} // namespace

void parseRateLimits(const MapView& owner, std::string_view key, std::vector<RateLimitConfig>& out) {
    Reader& reader = owner.reader();
    owner.forEach(key, [&](const YAML::Node& element, const std::string& path) {
        const MapView view(reader, element, path, {"requests", "per"});
        RateLimitConfig limit;
        limit.mark = view.mark();
        if (!view.isMap()) {
            return;
        }
        using Per = RateLimitConfig::Per;
        // Above 1e9 per unit the GCRA interval (unit / requests, in ns) would round to nothing.
        const bool requests = view.getInt("requests", 1, 1000000000, limit.requests, true);
        const bool per =
            view.require("per") &&
            view.getEnum<Per>(
                "per", "unit",
                {{"second", Per::Second}, {"minute", Per::Minute}, {"hour", Per::Hour}, {"day", Per::Day}},
                limit.per);
        if (!requests || !per) {
            return;
        }
        // One limit per unit: two limits on the same window would share one counter.
        for (const RateLimitConfig& other : out) {
            if (other.per == limit.per) {
                reader.error(view.keyMark("per"), view.keyPath("per"),
                             "a second limit per " + scalarText(*view.find("per")) +
                                 "; keep the tightest one");
                return;
            }
        }
        out.push_back(limit);
    });
}

void parseGrants(const MapView& owner, std::string_view key, std::vector<GrantConfig>& out) {
    Reader& reader = owner.reader();
    owner.forEach(key, [&](const YAML::Node& element, const std::string& path) {
        const MapView view(reader, element, path, {"api", "version", "routes", "methods"});
        GrantConfig grant;
        grant.mark = view.mark();
        if (view.isMap()) {
            view.getString("api", grant.api, true);
            view.getString("version", grant.version);
            // Without routes, a grant covers the whole API.
            if (!view.has("routes")) {
                grant.routes = {"*"};
            } else if (view.getStringList("routes", grant.routes) && grant.routes.empty()) {
                reader.error(view.keyMark("routes"), view.keyPath("routes"),
                             "an empty list grants nothing; list route names or \"*\"");
            }
            if (view.getStringList("methods", grant.methods)) {
                normaliseMethods(reader, view.keyPath("methods"), grant.methods);
            }
        }
        // Kept even when broken so that indexes match the paths used in later messages.
        out.push_back(std::move(grant));
    });
}

void parsePlans(Reader& reader, const MapView& top, std::vector<PlanConfig>& out) {
    top.forEach("plans", [&](const YAML::Node& element, const std::string& path) {
        PlanConfig plan;
        parsePlan(reader, element, path, plan);
        out.push_back(std::move(plan));
    });
}

void parseConsumers(Reader& reader, const MapView& top, std::vector<ConsumerConfig>& out) {
    top.forEach("consumers", [&](const YAML::Node& element, const std::string& path) {
        ConsumerConfig consumer;
        parseConsumer(reader, element, path, consumer);
        out.push_back(std::move(consumer));
    });
}

} // namespace tollgate::config
