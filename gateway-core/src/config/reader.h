#pragma once
// The loader's working state (errors, marks, base folder) and MapView, a YAML mapping checked
// against its allowed keys, with typed getters that report what is wrong and where.
// Not thread-safe: one Reader per load.

#include "tollgate/config.h"

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tollgate::config {

class Reader {
public:
    Reader(std::string file, std::string baseDir);

    void error(SourceMark at, std::string key, std::string message);
    void error(const YAML::Node& at, std::string key, std::string message);
    void warning(SourceMark at, std::string key, std::string message);

    static SourceMark markOf(const YAML::Node& node);

    // Where the value at `key` ("apis[0].service") was written; recorded by MapView's getters.
    void recordMark(const std::string& key, SourceMark mark);
    SourceMark markAt(const std::string& key) const;

    // `path` resolved against the config folder (absolute paths are kept).
    std::string resolvePath(const std::string& path) const;

    // Every walked value costs one unit: aliases can make a small file describe a huge tree.
    bool spend();
    bool exhausted() const { return m_budget == 0; }

    bool hasErrors() const;
    // Errors and warnings in file order.
    std::vector<ConfigError> takeErrors();

private:
    std::string m_file;
    std::string m_baseDir;
    std::vector<ConfigError> m_errors;
    std::unordered_map<std::string, SourceMark> m_marks;
    size_t m_budget = 1'000'000;
};

std::string typeName(const YAML::Node& node);

// A list element's path: "apis" + 2 -> "apis[2]".
inline std::string indexPath(const std::string& path, size_t index) {
    return path + '[' + std::to_string(index) + ']';
}

template <class E> struct EnumValue {
    std::string_view name;
    E value;
};

class MapView {
public:
    // Reports a non-mapping node, unknown keys (with a suggestion) and duplicate keys.
    // A null node is an empty mapping.
    MapView(Reader& reader, const YAML::Node& node, std::string path, std::vector<std::string_view> allowed);

    bool isMap() const { return m_isMap; }
    const std::string& path() const { return m_path; }
    SourceMark mark() const { return m_mark; }
    Reader& reader() const { return m_reader; }
    std::string keyPath(std::string_view key) const;

    // The value of `key`, or nullptr when absent or null.
    const YAML::Node* find(std::string_view key) const;
    bool has(std::string_view key) const { return find(key) != nullptr; }
    // Where `key` itself is written (its value's position when the value is null).
    SourceMark keyMark(std::string_view key) const;

    // Reports `missing required key "name"` when `key` is absent; returns whether it is present.
    bool require(std::string_view key) const;

    // Getters leave `out` untouched and return false when the key is absent or invalid (and
    // report the invalid case). `required` also reports an absent key.
    bool getString(std::string_view key, std::string& out, bool required = false) const;
    bool getInt(std::string_view key, int64_t min, int64_t max, int64_t& out, bool required = false) const;
    template <class T>
    bool getInt(std::string_view key, int64_t min, int64_t max, T& out, bool required = false) const {
        int64_t value = 0;
        if (!getInt(key, min, max, value, required)) {
            return false;
        }
        out = static_cast<T>(value);
        return true;
    }
    bool getNumber(std::string_view key, double min, double& out) const;
    bool getBool(std::string_view key, bool& out) const;
    bool getDuration(std::string_view key, Millis& out, bool allowZero = false) const;
    bool getSize(std::string_view key, uint64_t& out) const;
    bool getPath(std::string_view key, std::string& out, bool required = false) const;
    bool getStringList(std::string_view key, std::vector<std::string>& out) const;
    bool getCidrList(std::string_view key, std::vector<Cidr>& out) const;

    template <class E>
    bool getEnum(std::string_view key, std::string_view what, std::initializer_list<EnumValue<E>> values,
                 E& out) const {
        std::string text;
        if (!getString(key, text)) {
            return false;
        }
        std::vector<std::string_view> names;
        for (const auto& v : values) {
            if (v.name == text) {
                out = v.value;
                return true;
            }
            names.push_back(v.name);
        }
        reportEnum(key, what, text, names);
        return false;
    }

    // Calls `fn(element, elementPath)` for each element of the list at `key`; false if not a list.
    bool forEach(std::string_view key,
                 const std::function<void(const YAML::Node&, const std::string&)>& fn) const;

private:
    struct Entry {
        std::string key;
        YAML::Node keyNode;
        YAML::Node value;
    };
    const Entry* entry(std::string_view key) const;
    // The scalar at `key`, or reports the wrong type.
    const YAML::Node* scalar(std::string_view key, bool required, std::string_view expected) const;
    void reportEnum(std::string_view key, std::string_view what, const std::string& text,
                    const std::vector<std::string_view>& names) const;
    SourceMark valueMark(const Entry& e) const;

    Reader& m_reader;
    std::string m_path;
    SourceMark m_mark;
    bool m_isMap = false;
    std::vector<Entry> m_entries; // first occurrence of each allowed key
};

// A scalar's text, or "" for other nodes.
std::string scalarText(const YAML::Node& node);

} // namespace tollgate::config
