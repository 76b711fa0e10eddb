#pragma once
// One parser per top-level section of the config file, and the checks that span sections.
// Each reports into the Reader and fills what it could parse; none throws.

#include "config/reader.h"
#include "tollgate/config.h"

#include <yaml-cpp/yaml.h>

namespace tollgate::config {

// Applies the default listener (127.0.0.1:8080) when neither listen nor tls.listen is given.
void parseGateway(Reader& reader, const YAML::Node& node, GatewayConfig& out);
void parseServices(Reader& reader, const MapView& top, std::vector<ServiceConfig>& out);
void parseApis(Reader& reader, const MapView& top, std::vector<ApiConfig>& out);
void parsePlans(Reader& reader, const MapView& top, std::vector<PlanConfig>& out);
void parseConsumers(Reader& reader, const MapView& top, std::vector<ConsumerConfig>& out);
void parseIpRules(Reader& reader, const YAML::Node& node, IpRulesConfig& out);

// Shared by plans, consumers and APIs.
void parseGrants(const MapView& owner, std::string_view key, std::vector<GrantConfig>& out);
void parseRateLimits(const MapView& owner, std::string_view key, std::vector<RateLimitConfig>& out);
// Upper-cases and checks HTTP method names; reports unknown ones at `path[i]`.
bool normaliseMethods(Reader& reader, const std::string& path, std::vector<std::string>& methods);

// Bit i for method i of GET HEAD POST PUT DELETE OPTIONS PATCH TRACE CONNECT; an empty list is
// every method; GET implies HEAD, as in the router.
uint32_t methodMask(const std::vector<std::string>& methods);

// Names that must be unique, references between sections, grant routes and methods.
void checkReferences(Reader& reader, const Config& config);
// Two routes that the router could not tell apart.
void checkRouteOverlaps(Reader& reader, const Config& config);

// Reports a file that cannot be opened for reading, naming it.
void checkReadable(Reader& reader, SourceMark at, const std::string& key, const std::string& path);
// A TLS certificate and its key (config/tls_files.cpp): PEM, matching, within their validity.
// Says nothing about a path that is empty or unreadable (checkReadable reported it). Errors name
// the file and sit at the `cert` or `key` mark of `path` (the certificates[] element).
void checkTlsPair(Reader& reader, const std::string& path, const TlsCertificate& pair);

} // namespace tollgate::config
