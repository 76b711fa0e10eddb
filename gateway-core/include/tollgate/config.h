#pragma once
// The configuration model: a plain value tree loaded from tollgate.yaml (see docs/config.md).
// Values here are validated; compiled lookup structures are built from them elsewhere, once, at load.
// Thread safety: plain values, no shared state.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate {

using Millis = std::chrono::milliseconds;

// Where a value came from in its file, for error messages (1-based; 0 when unknown).
struct SourceMark {
    int line = 0;
    int column = 0;
};

struct ConfigError {
    std::string file;
    int line = 0;
    int column = 0;
    std::string key; // dotted path such as "apis[0].routes[1].path"
    std::string message;
    bool warning = false;
    // "FILE:LINE:COL: key: message"
    std::string format() const;
};

struct Cidr {
    std::string text; // as written
    bool v6 = false;
    uint8_t addr[16] = {}; // network bytes, v4 in the first 4
    int prefix = 0;
};

struct ListenAddress {
    std::string text; // as written, "127.0.0.1:8080" or "[::1]:8080"
    std::string host;
    uint16_t port = 0;
};

struct Limits {
    uint64_t maxUriBytes = 8 * 1024;
    uint64_t maxHeaderBytes = 32 * 1024;
    uint64_t maxHeaderCount = 100;
    uint64_t maxBodyBytes = 10 * 1024 * 1024;
    Millis headerTimeout{10'000};
    Millis bodyTimeout{60'000};
    Millis idleTimeout{60'000};
};

struct TlsCertificate {
    std::string cert; // resolved path
    std::string key;
};

struct TlsListenConfig {
    std::vector<ListenAddress> listen;
    std::vector<TlsCertificate> certificates; // the first is the default when SNI names none
    // request: ask clients for a certificate without requiring one; any chain is accepted at the
    // TLS layer and the leaf's SHA-256 identifies the client (mtls credentials).
    enum class ClientAuth { None, Request } clientAuth = ClientAuth::None;
};

struct AdminConfig {
    std::optional<ListenAddress> listen;
    std::string tokenEnv = "TOLLGATE_ADMIN_TOKEN";
};

struct ClusterConfig {
    std::string redis; // empty = single node
};

// How long the store keeps each resolution of the consumption aggregates (gateway.retention).
struct RetentionConfig {
    Millis minutes{7LL * 86'400'000};
    Millis hours{90LL * 86'400'000};
    Millis days{730LL * 86'400'000};
};

struct GatewayConfig {
    std::vector<ListenAddress> listen;
    TlsListenConfig tls;
    int workers = 0; // 0 = auto (number of cores)
    std::vector<Cidr> trustedProxies;
    Limits limits;
    std::string store;     // resolved path, empty = platform data directory
    std::string accessLog; // resolved path, empty = none
    RetentionConfig retention;
    AdminConfig admin;
    ClusterConfig cluster;
    Millis drainTimeout{10'000}; // grace period for in-flight requests on SIGTERM
};

enum class Balance { RoundRobin, LeastConn, ConsistentHash };

struct TargetConfig {
    std::string url;    // as written
    std::string scheme; // "http", "https" or "builtin"
    std::string host;   // for builtin: the builtin name ("echo")
    uint16_t port = 0;
    int weight = 1;
    SourceMark mark;
};

struct HealthConfig {
    std::string path = "/healthz";
    Millis interval{5'000};
    int unhealthyAfter = 3;
    int healthyAfter = 2;
};

struct ServiceTlsConfig {
    std::string ca; // resolved path, empty = system store
    bool verify = true;
};

struct PassiveHealthConfig {
    int failures = 3;        // consecutive failures before a target is ejected
    Millis ejectFor{10'000}; // how long it stays out of rotation
};

struct ServiceConfig {
    std::string name;
    std::vector<TargetConfig> targets;
    Balance balance = Balance::RoundRobin;
    std::string hashOn = "client_ip"; // consistent_hash key: client_ip | header:NAME | path
    Millis connectTimeout{2'000};
    Millis readTimeout{30'000};
    int retries = 1;
    std::optional<HealthConfig> health;
    PassiveHealthConfig passive;
    ServiceTlsConfig tls;
    SourceMark mark;
};

enum class Lifecycle { Draft, Published, Deprecated, Retired };

struct RateLimitConfig {
    uint64_t requests = 0;
    enum class Per { Second, Minute, Hour, Day } per = Per::Second;
    SourceMark mark;
};

struct RouteConfig {
    std::string name;
    std::vector<std::string> methods; // upper case; empty = any method
    std::string path;                 // relative to the API's base_path, "/", "/{id}", "/admin/*"
    std::vector<std::string> hosts;   // empty = any host
    SourceMark mark;
};

struct ApiConfig {
    std::string name;
    std::string version;
    Lifecycle lifecycle = Lifecycle::Published;
    std::string sunset; // YYYY-MM-DD, empty = none
    std::string basePath = "/";
    std::string service;
    bool stripBasePath = false;
    std::vector<std::string> auth; // "key", "jwt", "mtls"
    bool isPublic = false;
    bool keyInQuery = false;        // an API key in the query string is refused unless this is set
    std::vector<std::string> hosts; // empty = any host
    std::string openapi;
    std::vector<RateLimitConfig> limitsPerIp;
    std::vector<RouteConfig> routes;
    SourceMark mark;
};

struct GrantConfig {
    std::string api;
    std::string version;              // empty = every version of the API
    std::vector<std::string> routes;  // route names, "*" = all
    std::vector<std::string> methods; // empty = the routes' own methods
    SourceMark mark;
};

struct QuotaConfig {
    uint64_t requests = 0;
    enum class Per { Day, Week, Month } per = Per::Month;
    enum class OnExceeded { Block, AllowAndBill } onExceeded = OnExceeded::Block;
};

struct PriceConfig {
    std::string currency = "USD";
    double monthly = 0;
    double per1000OverQuota = 0;
};

struct PlanConfig {
    std::string name;
    std::vector<RateLimitConfig> rateLimits;
    std::optional<QuotaConfig> quota;
    PriceConfig price;
    std::vector<GrantConfig> grants;
    SourceMark mark;
};

struct CredentialConfig {
    enum class Type { Key, Jwt, Mtls } type = Type::Key;
    std::string id;        // key: a label for the key
    std::string hash;      // key: "sha256:<64 hex>"; mtls: the fingerprint "sha256:<64 hex>"
    std::string issuer;    // jwt
    std::string jwksUrl;   // jwt
    std::string secretEnv; // jwt HS256
    std::string publicKey; // jwt RS/ES: resolved path of a PEM file
    std::string audience;  // jwt, optional
    SourceMark mark;
};

struct ConsumerConfig {
    std::string name;
    std::string plan;
    enum class Status { Active, Suspended } status = Status::Active;
    std::vector<CredentialConfig> credentials;
    std::vector<GrantConfig> grants;
    std::vector<GrantConfig> denies;
    std::vector<Cidr> ipAllow;
    SourceMark mark;
};

struct IpRulesConfig {
    std::vector<Cidr> allow;
    std::vector<Cidr> deny;
};

struct Config {
    int version = 1;
    std::string sourcePath; // the file it was loaded from, empty for a string
    std::string sourceText; // the YAML as loaded (GET /config answers it)
    std::string digest;     // "sha256:<hex>" of sourceText: which config is running
    GatewayConfig gateway;
    std::vector<ServiceConfig> services;
    std::vector<ApiConfig> apis;
    std::vector<PlanConfig> plans;
    std::vector<ConsumerConfig> consumers;
    IpRulesConfig ipRules;
};

struct LoadResult {
    std::optional<Config> config;    // set when there is no error (warnings allowed)
    std::vector<ConfigError> errors; // errors and warnings, in file order
    bool ok() const { return config.has_value(); }
};

// Loads and validates a file. Relative paths inside are resolved against the file's folder.
LoadResult loadConfigFile(const std::string& path);
// Same, from text; `fileName` is used in messages and `baseDir` to resolve relative paths.
LoadResult loadConfigText(std::string_view yaml, const std::string& fileName,
                          const std::string& baseDir = ".");

// Parsers shared by the loader, the CLI and the console ("250ms", "16KiB").
std::optional<Millis> parseDuration(std::string_view text);
std::optional<uint64_t> parseSize(std::string_view text);
std::optional<Cidr> parseCidr(std::string_view text);

} // namespace tollgate
