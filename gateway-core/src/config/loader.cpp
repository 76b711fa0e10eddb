// Entry points: read the file, parse the YAML, walk the sections, then the cross-section checks.
// yaml-cpp reports problems with exceptions; none leaves this file.
#include "tollgate/credentials.h"

#include "config/reader.h"
#include "config/sections.h"

#include <yaml-cpp/eventhandler.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace tollgate {
namespace {

constexpr size_t kMaxConfigBytes = 16 * 1024 * 1024;

LoadResult failure(const std::string& file, int line, int column, std::string message) {
    LoadResult result;
    result.errors.push_back({file, line, column, "", std::move(message), false});
    return result;
}

// YAML streams are printable Unicode in UTF-8. Checked before yaml-cpp sees the text: some
// mixes of control bytes and invalid UTF-8 send its scanner into minutes of work and gigabytes.
bool checkCharacters(std::string_view text, const std::string& file, LoadResult& result) {
    int line = 1;
    int column = 1;
    for (size_t i = 0; i < text.size(); ++column) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++line;
            column = 0;
            ++i;
            continue;
        }
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", c);
            result.errors.push_back(
                {file, line, column, "", std::string("control character ") + hex + " is not allowed", false});
            return false;
        }
        // Length of a UTF-8 sequence from its lead byte; continuation bytes must follow.
        const size_t length = c < 0x80           ? 1
                              : (c >> 5) == 0x6  ? 2
                              : (c >> 4) == 0xe  ? 3
                              : (c >> 3) == 0x1e ? 4
                                                 : 0;
        bool valid = length != 0 && i + length <= text.size();
        for (size_t k = 1; valid && k < length; ++k) {
            valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        }
        if (!valid) {
            result.errors.push_back({file, line, column, "", "invalid UTF-8", false});
            return false;
        }
        i += length;
    }
    return true;
}

// Sees whether the stream holds a second document. YAML::LoadAll is not used: in yaml-cpp 0.7 it
// loops forever, allocating, on a stream such as "," (upstream issue #1040, fixed by PR #1319);
// here the parser is asked for at most two documents.
class DocumentCounter : public YAML::EventHandler {
public:
    std::optional<YAML::Mark> second;
    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++m_documents == 2) {
            second = mark;
        }
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}

private:
    int m_documents = 0;
};

std::optional<YAML::Mark> secondDocument(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentCounter counter;
    if (parser.HandleNextDocument(counter) && parser.HandleNextDocument(counter)) {
        return counter.second;
    }
    return std::nullopt;
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
    if (LoadResult refused; !checkCharacters(yaml, fileName, refused)) {
        return refused;
    }
    config::Reader reader(fileName, baseDir);
    Config config;
    try {
        const std::string text(yaml);
        const YAML::Node root = YAML::Load(text);
        if (root.IsNull()) {
            return failure(fileName, 1, 1, "the file is empty (expected a mapping with version: 1)");
        }
        if (const auto second = secondDocument(text)) {
            reader.error(SourceMark{second->line + 1, second->column + 1}, "",
                         "only one YAML document is allowed");
        }
        if (!root.IsMap()) {
            reader.error(root, "", "expected a mapping at the top level, got " + config::typeName(root));
        } else {
            parseDocument(reader, root, config);
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
        config.sourceText = std::string(yaml);
        config.digest = apiKeyHash(yaml);
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
