#include "tollgate/version.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

#ifndef TOLLGATE_GIT_COMMIT
#define TOLLGATE_GIT_COMMIT "unknown"
#endif

namespace tollgate {

BuildInfo buildInfo() {
    BuildInfo info;
    info.version = TOLLGATE_VERSION;
    info.commit = TOLLGATE_GIT_COMMIT;
    info.openssl = OpenSSL_version(OPENSSL_VERSION);
    const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
    info.curl = curl != nullptr && curl->version != nullptr ? curl->version : "unknown";
    info.sqlite = sqlite3_libversion();
    return info;
}

std::string versionText(const std::string& program,
                        const std::vector<std::pair<std::string, std::string>>& extraLibraries) {
    const BuildInfo info = buildInfo();
    std::string text = program + " " + info.version + " (commit " + info.commit + ")\n";
    for (const auto& [name, version] : extraLibraries) {
        text += "  " + name + " " + version + "\n";
    }
    // OpenSSL's own string already starts with "OpenSSL".
    text += "  " + info.openssl + "\n";
    text += "  libcurl " + info.curl + "\n";
    text += "  SQLite " + info.sqlite + "\n";
    return text;
}

} // namespace tollgate
