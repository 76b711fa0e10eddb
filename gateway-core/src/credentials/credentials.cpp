#include "tollgate/credentials.h"

#include "stages/authn_key/key_generator.h"

namespace tollgate {

NewApiKey newApiKey() {
    stages::NewKey k = stages::generateApiKey();
    return {std::move(k.key), std::move(k.hash)};
}

std::string apiKeyHash(std::string_view key) {
    return stages::hashApiKey(key);
}

} // namespace tollgate
