#pragma once
// What a binary was built from and which shared libraries it runs with, for `--version` and bug
// reports. Both executables share it; the console adds its Qt line. Any thread; no state.

#include <string>
#include <utility>
#include <vector>

namespace tollgate {

struct BuildInfo {
    std::string version; // the project version, "0.1.0"
    std::string commit;  // `git rev-parse --short` at configure time, "unknown" outside a checkout
    std::string openssl; // OpenSSL_version(OPENSSL_VERSION) of the loaded libcrypto
    std::string curl;    // curl_version_info()->version of the loaded libcurl
    std::string sqlite;  // sqlite3_libversion() of the loaded libsqlite3
};

// Library versions are read at run time, so they name what the dynamic linker loaded, not the headers.
BuildInfo buildInfo();

// The `--version` text: "PROGRAM VERSION (commit C)" then one "  LIBRARY VERSION" line per library,
// `extraLibraries` (name, version) first. Ends with a newline.
std::string versionText(const std::string& program,
                        const std::vector<std::pair<std::string, std::string>>& extraLibraries = {});

} // namespace tollgate
