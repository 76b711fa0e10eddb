#pragma once
// Keeps the user's file as they wrote it when an edit only changes values: the changed scalars are
// replaced in place in the original text, so comments, blank lines, quoting and key order survive.
// Edits that add or remove keys or items fall back to the emitter (the caller's choice).

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace tollgate::ui {

// `before` must be the tree parsed from `text` (its marks point into it); `after` the edited copy.
// Nullopt when the trees differ in shape, or when the patched text would not parse back to `after`.
std::optional<std::string> patchScalars(const std::string& text, const YAML::Node& before,
                                        const YAML::Node& after);

} // namespace tollgate::ui
