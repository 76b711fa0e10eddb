#pragma once
// Calls to a gateway's admin API for integration tests: one request per connection, with the bearer
// token, over RawClient. Thread safety: plain functions, any thread.

#include "raw_client.h"

#include <optional>
#include <string>
#include <string_view>

namespace tollgate::test {

// A token long enough for the admin API (16+ characters); tests pass it as TOLLGATE_ADMIN_TOKEN.
inline constexpr const char* kAdminToken = "test-admin-token-0123456789";

// METHOD target with "Authorization: Bearer <token>" (none when `token` is empty) and `headers`.
std::optional<HttpResponse> adminCall(uint16_t port, std::string_view method, std::string_view target,
                                      std::string_view body = {}, const HeaderList& headers = {},
                                      std::string_view token = kAdminToken);

// A gateway with the admin API on 127.0.0.1:0 (`adminExtra`: more lines under gateway.admin, indented by
// 4), one worker, header_timeout 1s, and API "orders" v1 at /orders/v1 on the built-in echo backend,
// opened to API keys. Consumers: "acme" on plan "metered" (quota of 100 requests a day) and "beta" on
// plan "unmetered" (no quota); their keys are keyOf(name). `extraApis`: more API list items (indent 2).
std::string adminGatewayYaml(const std::string& extraApis = {}, const std::string& adminExtra = {});

} // namespace tollgate::test
