#pragma once
// Which stages a compiled configuration runs, in which order, and the header texts they share.

#include "server/snapshot.h"

#include <string>

namespace tollgate::server {

// Order: ip_filter, route, lifecycle, authn_key, authn_jwt, authz, observe (always last).
bool buildPipeline(Snapshot& snap, const CompileContext& context, std::string& error);

// "Deprecation: true\r\n" plus "Sunset: <HTTP-date>\r\n" for a YYYY-MM-DD sunset (RFC 8594).
std::string deprecationHeaders(const std::string& sunset);

} // namespace tollgate::server
