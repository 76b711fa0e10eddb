#include "admin/endpoints.h"

#include "tollgate/config_file.h"
#include "tollgate/engine.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace tollgate::admin {
namespace {

// "LINE:COL: key: message": what `tollgated --check` prints, without the file name (the client sent
// the text, there is no file to name).
std::string formatWithoutFile(const ConfigError& e) {
    std::string out = std::to_string(e.line) + ':' + std::to_string(e.column) + ": ";
    if (e.warning) {
        out += "warning: ";
    }
    if (!e.key.empty()) {
        out += e.key + ": ";
    }
    return out + e.message;
}

std::string dump(const nlohmann::ordered_json& j) {
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// "\"sha256:...\"" (an ETag as sent) or "sha256:..." -> "sha256:..."; W/ prefixes are not ours.
std::string_view unquote(std::string_view v) {
    while (!v.empty() && v.front() == ' ') {
        v.remove_prefix(1);
    }
    while (!v.empty() && v.back() == ' ') {
        v.remove_suffix(1);
    }
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
        v = v.substr(1, v.size() - 2);
    }
    return v;
}

bool ifMatchAccepts(std::string_view header, const std::string& digest) {
    while (!header.empty()) {
        const size_t comma = header.find(',');
        const std::string_view tag = unquote(header.substr(0, comma));
        if (tag == "*" || tag == digest) {
            return true;
        }
        header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    }
    return false;
}

// Changes the engine cannot take without a restart and does not report itself.
void addAdminRestartWarnings(const Config& before, const Config& after, nlohmann::ordered_json& warnings) {
    const auto text = [](const std::optional<ListenAddress>& l) { return l ? l->text : std::string(); };
    if (text(before.gateway.admin.listen) != text(after.gateway.admin.listen) ||
        before.gateway.admin.tokenEnv != after.gateway.admin.tokenEnv) {
        warnings.push_back(
            "gateway.admin changed: the admin API keeps its listener and token until a restart");
    }
}

} // namespace

AdminResponse getConfig(const Engine& engine) {
    const auto config = engine.config();
    if (!config) {
        return errorResponse(503, "engine.stopped", "the engine is not running");
    }
    AdminResponse r;
    r.contentType = "application/yaml";
    r.headers.emplace_back("ETag", "\"" + config->digest + "\"");
    r.body = config->sourceText;
    return r;
}

AdminResponse putConfig(Engine& engine, const AdminRequest& request) {
    const auto running = engine.config();
    if (!running) {
        return errorResponse(503, "engine.stopped", "the engine is not running");
    }
    if (const auto ifMatch = request.header("If-Match");
        ifMatch && !ifMatchAccepts(*ifMatch, running->digest)) {
        AdminResponse r = errorResponse(
            412, "config.changed", "If-Match does not name the running config (" + running->digest + ")");
        r.headers.emplace_back("ETag", "\"" + running->digest + "\"");
        return r;
    }
    const std::string& path = running->sourcePath;
    std::string baseDir = ".";
    if (!path.empty()) {
        std::error_code ec;
        baseDir = std::filesystem::absolute(path, ec).parent_path().string();
    }
    LoadResult loaded = loadConfigText(request.body, path.empty() ? "<admin>" : path, baseDir);
    nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
    if (!loaded.ok()) {
        nlohmann::ordered_json errors = nlohmann::ordered_json::array();
        for (const ConfigError& e : loaded.errors) {
            (e.warning ? warnings : errors).push_back(formatWithoutFile(e));
        }
        return jsonResponse(400, dump({{"error", "config.invalid"},
                                       {"message", "the config has errors; the running config stays"},
                                       {"errors", errors},
                                       {"warnings", warnings}}));
    }
    for (const ConfigError& e : loaded.errors) {
        warnings.push_back(formatWithoutFile(e));
    }
    Config& config = *loaded.config;
    config.sourcePath = path;
    std::string message;
    if (!engine.apply(config, message)) {
        return errorResponse(400, "config.rejected", message);
    }
    // The engine joins its restart notes with "; ".
    for (size_t at = 0; !message.empty() && at < message.size();) {
        const size_t next = message.find("; ", at);
        warnings.push_back(message.substr(at, next == std::string::npos ? std::string::npos : next - at));
        at = next == std::string::npos ? message.size() : next + 2;
    }
    addAdminRestartWarnings(*running, config, warnings);
    nlohmann::ordered_json body{{"applied", true}, {"digest", config.digest}, {"path", path}};
    if (path.empty()) {
        warnings.push_back("the running config has no file: the change lasts until the process stops");
    } else if (std::string error; !replaceFileAtomically(path, request.body, error)) {
        body["error"] = "config.not_saved";
        body["message"] = "applied, but not saved: " + error;
        body["warnings"] = warnings;
        return jsonResponse(500, dump(body));
    }
    body["warnings"] = warnings;
    AdminResponse r = jsonResponse(200, dump(body));
    r.headers.emplace_back("ETag", "\"" + config.digest + "\"");
    return r;
}

} // namespace tollgate::admin
