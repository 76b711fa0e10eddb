#include "config/text_util.h"

#include "tollgate/config.h"

#include <algorithm>

namespace tollgate {

std::string ConfigError::format() const {
    std::string out = file.empty() ? std::string("<config>") : file;
    out += ':' + std::to_string(line) + ':' + std::to_string(column) + ": ";
    if (warning) {
        out += "warning: ";
    }
    if (!key.empty()) {
        out += key + ": ";
    }
    out += message;
    return out;
}

} // namespace tollgate

namespace tollgate::config {

int editDistance(std::string_view a, std::string_view b) {
    const size_t n = a.size();
    const size_t m = b.size();
    // Three rows are enough for the transposition case.
    std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (size_t j = 0; j <= m; ++j) {
        prev[j] = static_cast<int>(j);
    }
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = static_cast<int>(i);
        for (size_t j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
            }
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

std::string nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
    // Inputs are config keys; a very long word cannot be within 2 of any of them.
    if (word.size() > 64) {
        return {};
    }
    int best = 3;
    std::string_view found;
    for (std::string_view c : candidates) {
        const int d = editDistance(word, c);
        // A distance equal to the word's length means nothing in common ("id" vs "ca").
        if (d < best && d < static_cast<int>(word.size())) {
            best = d;
            found = c;
        }
    }
    return std::string(found);
}

std::string joinList(const std::vector<std::string_view>& items) {
    std::string out;
    for (std::string_view item : items) {
        if (!out.empty()) {
            out += ", ";
        }
        out += item;
    }
    return out;
}

std::string joinList(const std::vector<std::string>& items) {
    return joinList(std::vector<std::string_view>(items.begin(), items.end()));
}

std::string unknownValueMessage(std::string_view what, std::string_view word,
                                const std::vector<std::string_view>& allowed) {
    return "unknown " + std::string(what) + " \"" + std::string(word) + "\" (" + joinList(allowed) + ")";
}

std::string toLower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string toUpper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

bool isIdentifier(std::string_view text) {
    if (text.empty()) {
        return false;
    }
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!alpha && !(digit && i > 0)) {
            return false;
        }
    }
    return true;
}

} // namespace tollgate::config
