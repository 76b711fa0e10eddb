// Entry points: read the file, parse the YAML, walk the sections, then the cross-section checks.
// yaml-cpp reports problems with exceptions; none leaves this file.
#include "config/reader.h"
#include "config/sections.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tollgate {
namespace {

constexpr size_t kMaxConfigBytes = 16 * 1024 * 1024;

LoadResult failure(const std::string& file, int line, int column, std::string message) {
    LoadResult result;
    result.errors.push_back({file, line, column, "", std::move(message), false});
    return result;
}

void parseDocument(config::Reader& reader, const YAML::Node& root, Config& config) {
    using namespace config;
    const MapView top(reader, root, "",
                      {"version", "gateway", "services", "apis", "plans", "consumers", "ip_rules"});
    int64_t version = 0;
    if (top.getInt("version", 0, INT64_MAX, version, true) && version != 1) {
        reader.error(reader.markAt("version"), "version",
                     "unsupported version " + std::to_string(version) + " (this gateway reads version 1)");
    }
    // An absent section still gets its defaults (and the default listener).
    const YAML::Node absent;
    const YAML::Node* gateway = top.find("gateway");
    parseGateway(reader, gateway ? *gateway : absent, config.gateway);
    parseServices(reader, top, config.services);
    parseApis(reader, top, config.apis);
    parsePlans(reader, top, config.plans);
    parseConsumers(reader, top, config.consumers);
    if (const YAML::Node* ipRules = top.find("ip_rules")) {
        parseIpRules(reader, *ipRules, config.ipRules);
    }
    if (reader.exhausted()) {
        return;
    }
    // Run even after section errors: a broken file is fixed faster when every problem is listed.
    checkReferences(reader, config);
    checkRouteOverlaps(reader, config);
}

} // namespace

LoadResult loadConfigText(std::string_view yaml, const std::string& fileName, const std::string& baseDir) {
    if (yaml.size() > kMaxConfigBytes) {
        return failure(fileName, 0, 0, "the file is larger than 16 MiB");
    }
    config::Reader reader(fileName, baseDir);
    Config config;
    try {
        const std::vector<YAML::Node> docs = YAML::LoadAll(std::string(yaml));
        if (docs.empty() || docs[0].IsNull()) {
            return failure(fileName, 1, 1, "the file is empty (expected a mapping with version: 1)");
        }
        if (docs.size() > 1) {
            reader.error(docs[1], "", "only one YAML document is allowed");
        }
        if (!docs[0].IsMap()) {
            reader.error(docs[0], "",
                         "expected a mapping at the top level, got " + config::typeName(docs[0]));
        } else {
            parseDocument(reader, docs[0], config);
        }
    } catch (const YAML::Exception& e) {
        // Syntax errors (ParserException) and any other complaint from yaml-cpp carry a position.
        const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
        const int column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
        return failure(fileName, line, column, e.msg.empty() ? std::string("invalid YAML") : e.msg);
    } catch (const std::exception& e) {
        return failure(fileName, 0, 0, std::string("cannot load: ") + e.what());
    }
    LoadResult result;
    if (!reader.hasErrors()) {
        result.config = std::move(config);
    }
    result.errors = reader.takeErrors();
    return result;
}

LoadResult loadConfigFile(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return failure(path, 0, 0,
                       ec || !std::filesystem::exists(path, ec) ? "no such file" : "not a regular file");
    }
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return failure(path, 0, 0, "cannot read the file: " + ec.message());
    }
    if (size > kMaxConfigBytes) {
        return failure(path, 0, 0, "the file is larger than 16 MiB");
    }
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
        return failure(path, 0, 0, "cannot read the file");
    }
    std::filesystem::path folder = std::filesystem::absolute(path, ec).parent_path();
    if (ec) {
        folder = std::filesystem::path(path).parent_path();
    }
    LoadResult result = loadConfigText(text.str(), path, folder.string());
    if (result.config) {
        result.config->sourcePath = path;
    }
    return result;
}

} // namespace tollgate
