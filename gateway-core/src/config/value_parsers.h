#pragma once
// Parsers for the scalar formats of the config file that are not plain strings or numbers.
// The public ones (durations, sizes, CIDRs) are declared in tollgate/config.h.
// Thread safety: pure functions.

#include "tollgate/config.h"

#include <optional>
#include <string>
#include <string_view>

namespace tollgate::config {

// "127.0.0.1:8080", "localhost:80", "[::1]:8443"; port 0 asks for an ephemeral port.
// On failure returns nullopt and sets `why`.
std::optional<ListenAddress> parseListenAddress(std::string_view text, std::string& why);

// "http://host[:port][/]", "https://host[:port][/]", "builtin:NAME". Fills scheme, host and port.
bool parseTargetUrl(std::string_view text, TargetConfig& out, std::string& why);

// A real calendar date written YYYY-MM-DD.
bool isValidDate(std::string_view text);

// "sha256:" followed by 64 hex digits; lowercase only unless `anyCase`.
bool isSha256(std::string_view text, bool anyCase);

// A host name as used in `hosts:` lists: letters, digits, '-', '.', optionally "*." in front.
bool isHostPattern(std::string_view text);

} // namespace tollgate::config
