#pragma once
// Addresses a value in the config's YAML tree with the loader's own key syntax
// ("apis[0].routes[1].path"), so an edit, the field that made it and the loader's error about it
// all name the same thing.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tollgate::ui {

using KeySegment = std::variant<std::string, size_t>; // a map key or a list index
using KeyPath = std::vector<KeySegment>;

// Nullopt for malformed text ("a..b", "a[x]", "a[1").
std::optional<KeyPath> parseKeyPath(const std::string& text);
std::string keyPathText(const KeyPath& path);

// The node at `path`, or an invalid node (operator! true) when any step is missing. Never creates.
YAML::Node findNode(const YAML::Node& root, const KeyPath& path);

// Sets the value at `path`, creating missing maps on the way; a list index may be the list's size
// (append). False when the path crosses a scalar or an index beyond the end.
bool setNode(YAML::Node& root, const KeyPath& path, const YAML::Node& value);

// Removes a map key or a list item (later items move up). False when it is not there.
bool removeNode(YAML::Node& root, const KeyPath& path);

} // namespace tollgate::ui
