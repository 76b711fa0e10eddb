#pragma once
// API keys as users handle them: a fresh key is shown once, only its hash goes into the config.

#include <string>
#include <string_view>

namespace tollgate {

struct NewApiKey {
    std::string key;  // "tg_" + 43 URL-safe characters (256 random bits)
    std::string hash; // "sha256:<64 hex>", what consumers[].credentials[].hash holds
};

// Any thread.
NewApiKey newApiKey();
std::string apiKeyHash(std::string_view key);

} // namespace tollgate
