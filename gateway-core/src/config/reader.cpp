#include "config/reader.h"

#include "config/text_util.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>

namespace tollgate::config {
namespace {

constexpr size_t kMaxErrors = 500;

} // namespace

Reader::Reader(std::string file, std::string baseDir)
    : m_file(std::move(file)), m_baseDir(std::move(baseDir)) {}

void Reader::error(SourceMark at, std::string key, std::string message) {
    if (m_errors.size() == kMaxErrors) {
        m_errors.push_back({m_file, at.line, at.column, "", "too many errors, stopping here", false});
    }
    if (m_errors.size() > kMaxErrors) {
        return;
    }
    m_errors.push_back({m_file, at.line, at.column, std::move(key), std::move(message), false});
}

void Reader::error(const YAML::Node& at, std::string key, std::string message) {
    error(markOf(at), std::move(key), std::move(message));
}

void Reader::warning(SourceMark at, std::string key, std::string message) {
    if (m_errors.size() >= kMaxErrors) {
        return;
    }
    m_errors.push_back({m_file, at.line, at.column, std::move(key), std::move(message), true});
}

SourceMark Reader::markOf(const YAML::Node& node) {
    try {
        const YAML::Mark mark = node.Mark();
        if (mark.line < 0 || mark.column < 0) {
            return {};
        }
        return {mark.line + 1, mark.column + 1};
    } catch (const YAML::Exception&) {
        return {};
    }
}

void Reader::recordMark(const std::string& key, SourceMark mark) {
    m_marks[key] = mark;
}

SourceMark Reader::markAt(const std::string& key) const {
    const auto it = m_marks.find(key);
    return it == m_marks.end() ? SourceMark{} : it->second;
}

std::string Reader::resolvePath(const std::string& path) const {
    const std::filesystem::path p(path);
    if (p.is_absolute()) {
        return p.lexically_normal().string();
    }
    return (std::filesystem::path(m_baseDir) / p).lexically_normal().string();
}

bool Reader::spend() {
    if (m_budget == 0) {
        return false;
    }
    if (--m_budget == 0) {
        error(SourceMark{}, "", "the document is too large once aliases are expanded");
        return false;
    }
    return true;
}

bool Reader::hasErrors() const {
    return std::any_of(m_errors.begin(), m_errors.end(), [](const ConfigError& e) { return !e.warning; });
}

std::vector<ConfigError> Reader::takeErrors() {
    std::stable_sort(m_errors.begin(), m_errors.end(), [](const ConfigError& a, const ConfigError& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    return std::move(m_errors);
}

std::string typeName(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Scalar:
        return "\"" + node.Scalar() + "\"";
    default:
        return "nothing";
    }
}

std::string scalarText(const YAML::Node& node) {
    return node.IsScalar() ? node.Scalar() : std::string();
}

MapView::MapView(Reader& reader, const YAML::Node& node, std::string path,
                 std::vector<std::string_view> allowed)
    : m_reader(reader), m_path(std::move(path)), m_mark(Reader::markOf(node)) {
    if (!node.IsDefined() || node.IsNull()) {
        m_isMap = true;
        return;
    }
    if (!node.IsMap()) {
        reader.error(node, m_path, "expected a mapping, got " + typeName(node));
        return;
    }
    m_isMap = true;
    std::vector<std::pair<std::string, SourceMark>> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!reader.spend()) {
            return;
        }
        const YAML::Node keyNode = it->first; // a copy: the iterator hands out a temporary
        if (!keyNode.IsScalar()) {
            reader.error(keyNode, m_path, "a key must be a plain string, got " + typeName(keyNode));
            continue;
        }
        const std::string key = keyNode.Scalar();
        const auto first =
            std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == key; });
        if (first != seen.end()) {
            reader.error(keyNode, keyPath(key),
                         "duplicate key \"" + key + "\" (first at line " +
                             std::to_string(first->second.line) + ")");
            continue;
        }
        seen.emplace_back(key, Reader::markOf(keyNode));
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            const std::string suggestion = nearest(key, allowed);
            reader.error(keyNode, keyPath(key),
                         "unknown key \"" + key + "\" " +
                             (suggestion.empty() ? "(allowed: " + joinList(allowed) + ")"
                                                 : "(did you mean \"" + suggestion + "\"?)"));
            continue;
        }
        m_entries.push_back({key, keyNode, it->second});
    }
}

std::string MapView::keyPath(std::string_view key) const {
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

const MapView::Entry* MapView::entry(std::string_view key) const {
    for (const Entry& e : m_entries) {
        if (e.key == key) {
            return &e;
        }
    }
    return nullptr;
}

const YAML::Node* MapView::find(std::string_view key) const {
    const Entry* e = entry(key);
    return (e && !e->value.IsNull()) ? &e->value : nullptr;
}

SourceMark MapView::keyMark(std::string_view key) const {
    const Entry* e = entry(key);
    return e ? Reader::markOf(e->keyNode) : m_mark;
}

SourceMark MapView::valueMark(const Entry& e) const {
    return e.value.IsNull() ? Reader::markOf(e.keyNode) : Reader::markOf(e.value);
}

bool MapView::require(std::string_view key) const {
    const Entry* e = entry(key);
    if (!e) {
        m_reader.error(m_mark, m_path, "missing required key \"" + std::string(key) + "\"");
        return false;
    }
    if (e->value.IsNull()) {
        m_reader.error(keyMark(key), keyPath(key), "missing value");
        return false;
    }
    return true;
}

const YAML::Node* MapView::scalar(std::string_view key, bool required, std::string_view expected) const {
    if (required ? !require(key) : !has(key)) {
        return nullptr;
    }
    const Entry* e = entry(key);
    if (!e->value.IsScalar()) {
        m_reader.error(e->value, keyPath(key),
                       "expected " + std::string(expected) + ", got " + typeName(e->value));
        return nullptr;
    }
    m_reader.recordMark(keyPath(key), valueMark(*e));
    return &e->value;
}

bool MapView::getString(std::string_view key, std::string& out, bool required) const {
    const YAML::Node* node = scalar(key, required, "a string");
    if (!node) {
        return false;
    }
    if (node->Scalar().empty()) {
        m_reader.error(*node, keyPath(key), "must not be empty");
        return false;
    }
    out = node->Scalar();
    return true;
}

bool MapView::getInt(std::string_view key, int64_t min, int64_t max, int64_t& out, bool required) const {
    const YAML::Node* node = scalar(key, required, "an integer");
    if (!node) {
        return false;
    }
    const std::string& text = node->Scalar();
    int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ptr != text.data() + text.size() || text.empty() || ec == std::errc::invalid_argument) {
        m_reader.error(*node, keyPath(key), "expected an integer, got \"" + text + "\"");
        return false;
    }
    if (ec == std::errc::result_out_of_range) {
        m_reader.error(*node, keyPath(key), "number out of range: " + text);
        return false;
    }
    if (value < min || value > max) {
        std::string message;
        if (value < 0 && min == 0) {
            message = "must not be negative, got " + text;
        } else if (max == std::numeric_limits<int64_t>::max()) {
            message = "must be at least " + std::to_string(min) + ", got " + text;
        } else {
            message =
                "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + text;
        }
        m_reader.error(*node, keyPath(key), message);
        return false;
    }
    out = value;
    return true;
}

bool MapView::getNumber(std::string_view key, double min, double& out) const {
    const YAML::Node* node = scalar(key, false, "a number");
    if (!node) {
        return false;
    }
    const std::string& text = node->Scalar();
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
        m_reader.error(*node, keyPath(key), "expected a number, got \"" + text + "\"");
        return false;
    }
    if (value < min) {
        m_reader.error(*node, keyPath(key),
                       min == 0 ? "must not be negative, got " + text : "too small: " + text);
        return false;
    }
    out = value;
    return true;
}

bool MapView::getBool(std::string_view key, bool& out) const {
    const YAML::Node* node = scalar(key, false, "true or false");
    if (!node) {
        return false;
    }
    const std::string text = toLower(node->Scalar());
    if (text != "true" && text != "false") {
        m_reader.error(*node, keyPath(key), "expected true or false, got \"" + node->Scalar() + "\"");
        return false;
    }
    out = text == "true";
    return true;
}

bool MapView::getDuration(std::string_view key, Millis& out, bool allowZero) const {
    const YAML::Node* node = scalar(key, false, "a duration");
    if (!node) {
        return false;
    }
    const auto value = parseDuration(node->Scalar());
    if (!value) {
        m_reader.error(*node, keyPath(key),
                       "invalid duration \"" + node->Scalar() +
                           "\" (a whole number with a unit: ms, s, m, h, d, like 250ms or 10s)");
        return false;
    }
    if (value->count() == 0 && !allowZero) {
        m_reader.error(*node, keyPath(key), "must be greater than 0");
        return false;
    }
    out = *value;
    return true;
}

bool MapView::getSize(std::string_view key, uint64_t& out) const {
    const YAML::Node* node = scalar(key, false, "a size");
    if (!node) {
        return false;
    }
    const auto value = parseSize(node->Scalar());
    if (!value) {
        m_reader.error(*node, keyPath(key),
                       "invalid size \"" + node->Scalar() +
                           "\" (bytes, or a whole number with a unit: B, KiB, MiB, GiB, like 16KiB)");
        return false;
    }
    if (*value == 0) {
        m_reader.error(*node, keyPath(key), "must be greater than 0");
        return false;
    }
    out = *value;
    return true;
}

bool MapView::getPath(std::string_view key, std::string& out, bool required) const {
    std::string text;
    if (!getString(key, text, required)) {
        return false;
    }
    out = m_reader.resolvePath(text);
    return true;
}

void MapView::reportEnum(std::string_view key, std::string_view what, const std::string& text,
                         const std::vector<std::string_view>& names) const {
    const Entry* e = entry(key);
    m_reader.error(e->value, keyPath(key), unknownValueMessage(what, text, names));
}

} // namespace tollgate::config
