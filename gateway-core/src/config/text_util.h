#pragma once
// Small text helpers shared by the config loader: did-you-mean suggestions and list formatting.
// Thread safety: pure functions.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::config {

// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).
int editDistance(std::string_view a, std::string_view b);

// The closest candidate within distance 2, or "" when none is close enough.
std::string nearest(std::string_view word, const std::vector<std::string_view>& candidates);

// "a, b, c"
std::string joinList(const std::vector<std::string_view>& items);
std::string joinList(const std::vector<std::string>& items);

// `unknown <what> "word" (a, b, c)`: for enumerations, where the whole list is short and useful.
std::string unknownValueMessage(std::string_view what, std::string_view word,
                                const std::vector<std::string_view>& allowed);

std::string toLower(std::string_view text);
std::string toUpper(std::string_view text);

// [A-Za-z_][A-Za-z0-9_]*
bool isIdentifier(std::string_view text);

} // namespace tollgate::config
