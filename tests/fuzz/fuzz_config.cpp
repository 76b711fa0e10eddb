// Fuzz target for the config loader: any bytes must give a result or errors, never a crash,
// an exception or a hang (aliases, deep nesting, huge numbers, broken UTF-8).
#include "tollgate/config.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const tollgate::LoadResult result = tollgate::loadConfigText(text, "fuzz.yaml", "/nonexistent");
    // Formatting touches every field of every error.
    size_t total = 0;
    for (const tollgate::ConfigError& e : result.errors) {
        total += e.format().size();
    }
    return total == static_cast<size_t>(-1) ? 1 : 0;
}
