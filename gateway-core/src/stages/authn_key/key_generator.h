#pragma once
// API keys for the CLI and the console: generated once, shown once, stored only as a hash.
// Thread safety: free functions, safe from any thread.

#include <string>
#include <string_view>

namespace tollgate::stages {

struct NewKey {
    std::string key;  // "tg_" + base64url (no padding) of 32 random bytes: 46 characters, URL-safe
    std::string hash; // "sha256:" + lowercase hex of SHA-256 of `key`, as written in the config
};

// Random bytes from OpenSSL's CSPRNG (RAND_bytes). Aborts if the generator fails: a predictable
// key is worse than no key.
NewKey generateApiKey();

// "sha256:<64 lowercase hex>" of the full key string, the form credentials[].hash expects.
std::string hashApiKey(std::string_view key);

} // namespace tollgate::stages
