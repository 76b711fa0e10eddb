#pragma once
// Instants as the admin API's query parameters and answers write them: unix seconds or RFC 3339 in UTC.
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tollgate::admin {

// "1796083200", "2026-12-01T00:00:00Z", "2026-12-01T00:00:00.250Z" (fraction dropped) or with an
// explicit offset "+01:00"; nullopt for anything else, including impossible dates.
std::optional<int64_t> parseInstant(std::string_view text);

// "2026-12-01T00:00:00Z".
std::string formatRfc3339(int64_t unixSeconds);

} // namespace tollgate::admin
