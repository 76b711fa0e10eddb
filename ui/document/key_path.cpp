#include "document/key_path.h"

#include <charconv>

namespace tollgate::ui {
namespace {

// yaml-cpp's Node has reference semantics: `a = a[k]` would assign into the tree, so every walk
// rebinds with reset() instead.
YAML::Node child(const YAML::Node& node, const KeySegment& seg) {
    YAML::Node out;
    if (const auto* key = std::get_if<std::string>(&seg)) {
        // A missing key gives an "invalid" node that reset() would throw on.
        const YAML::Node& constNode = node;
        const YAML::Node found = node.IsMap() ? constNode[*key] : YAML::Node(YAML::NodeType::Undefined);
        out.reset(found.IsDefined() ? found : YAML::Node(YAML::NodeType::Undefined));
    } else {
        const size_t i = std::get<size_t>(seg);
        if (node.IsSequence() && i < node.size()) {
            out.reset(node[i]);
        } else {
            out.reset(YAML::Node(YAML::NodeType::Undefined));
        }
    }
    return out;
}

} // namespace

std::optional<KeyPath> parseKeyPath(const std::string& text) {
    KeyPath path;
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '[') {
            const size_t close = text.find(']', i);
            if (close == std::string::npos || close == i + 1) {
                return std::nullopt;
            }
            size_t index = 0;
            const char* first = text.data() + i + 1;
            const char* last = text.data() + close;
            auto [end, ec] = std::from_chars(first, last, index);
            if (ec != std::errc() || end != last) {
                return std::nullopt;
            }
            path.emplace_back(index);
            i = close + 1;
            if (i < text.size() && text[i] == '.') {
                ++i;
                if (i == text.size()) {
                    return std::nullopt;
                }
            }
            continue;
        }
        const size_t stop = text.find_first_of(".[", i);
        const size_t end = stop == std::string::npos ? text.size() : stop;
        if (end == i) {
            return std::nullopt;
        }
        path.emplace_back(text.substr(i, end - i));
        i = end;
        if (i < text.size() && text[i] == '.') {
            ++i;
            if (i == text.size()) {
                return std::nullopt;
            }
        }
    }
    return path;
}

std::string keyPathText(const KeyPath& path) {
    std::string out;
    for (const KeySegment& seg : path) {
        if (const auto* key = std::get_if<std::string>(&seg)) {
            if (!out.empty()) {
                out += '.';
            }
            out += *key;
        } else {
            out += '[' + std::to_string(std::get<size_t>(seg)) + ']';
        }
    }
    return out;
}

YAML::Node findNode(const YAML::Node& root, const KeyPath& path) {
    YAML::Node cur;
    cur.reset(root);
    for (const KeySegment& seg : path) {
        if (!cur.IsDefined()) {
            break;
        }
        YAML::Node next = child(cur, seg);
        cur.reset(next);
    }
    if (!cur.IsDefined()) {
        return YAML::Node(YAML::NodeType::Undefined);
    }
    return cur;
}

bool setNode(YAML::Node& root, const KeyPath& path, const YAML::Node& source) {
    // A copy: assigning a node makes both names share one value, and the caller may keep editing its own.
    const YAML::Node value = YAML::Clone(source);
    if (path.empty()) {
        root.reset(value);
        return true;
    }
    YAML::Node cur;
    cur.reset(root);
    for (size_t k = 0; k + 1 < path.size(); ++k) {
        const KeySegment& seg = path[k];
        YAML::Node next = child(cur, seg);
        if (!next.IsDefined() || next.IsNull()) {
            // A missing step becomes a map, or a list when the next step is an index.
            const bool list = std::holds_alternative<size_t>(path[k + 1]);
            YAML::Node fresh(list ? YAML::NodeType::Sequence : YAML::NodeType::Map);
            if (!setNode(cur, KeyPath{seg}, fresh)) {
                return false;
            }
            next = child(cur, seg);
        }
        if (!next.IsMap() && !next.IsSequence()) {
            return false;
        }
        cur.reset(next);
    }
    const KeySegment& last = path.back();
    if (const auto* key = std::get_if<std::string>(&last)) {
        if (!cur.IsMap() && !cur.IsNull()) {
            return false;
        }
        cur[*key] = value;
        return true;
    }
    const size_t i = std::get<size_t>(last);
    if (!cur.IsSequence() && !(cur.IsNull() && i == 0)) {
        return false;
    }
    if (i < cur.size()) {
        cur[i] = value;
    } else if (i == cur.size()) {
        cur.push_back(value);
    } else {
        return false;
    }
    return true;
}

bool removeNode(YAML::Node& root, const KeyPath& path) {
    if (path.empty()) {
        return false;
    }
    const KeyPath parentPath(path.begin(), path.end() - 1);
    YAML::Node parent = findNode(root, parentPath);
    if (!parent.IsDefined()) {
        return false;
    }
    if (const auto* key = std::get_if<std::string>(&path.back())) {
        return parent.IsMap() && parent.remove(*key);
    }
    const size_t i = std::get<size_t>(path.back());
    if (!parent.IsSequence() || i >= parent.size()) {
        return false;
    }
    // Rebuilt rather than Node::remove(index), which does not renumber the items after it.
    YAML::Node rebuilt(YAML::NodeType::Sequence);
    rebuilt.SetStyle(parent.Style());
    for (size_t k = 0; k < parent.size(); ++k) {
        if (k != i) {
            rebuilt.push_back(parent[k]);
        }
    }
    return setNode(root, parentPath, rebuilt);
}

} // namespace tollgate::ui
