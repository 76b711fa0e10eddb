#include "document/text_patch.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace tollgate::ui {
namespace {

struct Replacement {
    size_t from = 0;
    size_t to = 0; // one past the scalar's last character
    std::string text;
};

std::string emitted(const YAML::Node& node) {
    YAML::Emitter out;
    out << node;
    return out.c_str();
}

// Where the scalar written at `pos` ends: the closing quote, or for a plain scalar the end of the
// line, a comment, or a flow indicator.
std::optional<size_t> scalarEnd(const std::string& text, size_t pos, bool inFlow) {
    if (pos >= text.size()) {
        return std::nullopt;
    }
    const char open = text[pos];
    if (open == '"') {
        for (size_t i = pos + 1; i < text.size(); ++i) {
            if (text[i] == '\\') {
                ++i;
            } else if (text[i] == '"') {
                return i + 1;
            }
        }
        return std::nullopt;
    }
    if (open == '\'') {
        for (size_t i = pos + 1; i < text.size(); ++i) {
            if (text[i] == '\'') {
                if (i + 1 < text.size() && text[i + 1] == '\'') {
                    ++i;
                    continue;
                }
                return i + 1;
            }
        }
        return std::nullopt;
    }
    size_t i = pos;
    while (i < text.size() && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '#' && i > pos && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
            break;
        }
        if (inFlow && (text[i] == ',' || text[i] == ']' || text[i] == '}')) {
            break;
        }
        ++i;
    }
    while (i > pos && (text[i - 1] == ' ' || text[i - 1] == '\t')) {
        --i;
    }
    return i;
}

bool plainSafe(std::string_view s) {
    if (s.empty() || s.front() == ' ' || s.back() == ' ') {
        return false;
    }
    if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(s.front()) != std::string_view::npos) {
        return false;
    }
    for (char c : s) {
        if (static_cast<unsigned char>(c) < 0x20 || c == ',' || c == '[' || c == ']' || c == '{' ||
            c == '}') {
            return false;
        }
    }
    return s.find(": ") == std::string_view::npos && s.find(" #") == std::string_view::npos &&
           s.back() != ':';
}

std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\x";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

bool collect(const std::string& text, const YAML::Node& before, const YAML::Node& after, bool inFlow,
             std::vector<Replacement>& out) {
    if (before.Type() != after.Type()) {
        return false;
    }
    switch (before.Type()) {
    case YAML::NodeType::Scalar: {
        if (before.Scalar() == after.Scalar()) {
            return true;
        }
        const size_t pos = static_cast<size_t>(before.Mark().pos);
        const auto end = scalarEnd(text, pos, inFlow);
        if (!end) {
            return false;
        }
        const bool wasQuoted = text[pos] == '"' || text[pos] == '\'';
        if (!wasQuoted && text.compare(pos, *end - pos, before.Scalar()) != 0) {
            return false; // a folded or multi-line plain scalar: leave it to the emitter
        }
        const std::string& value = after.Scalar();
        out.push_back({pos, *end, !wasQuoted && plainSafe(value) ? value : quoted(value)});
        return true;
    }
    case YAML::NodeType::Sequence: {
        if (before.size() != after.size()) {
            return false;
        }
        const bool flow = inFlow || before.Style() == YAML::EmitterStyle::Flow;
        for (size_t i = 0; i < before.size(); ++i) {
            if (!collect(text, before[i], after[i], flow, out)) {
                return false;
            }
        }
        return true;
    }
    case YAML::NodeType::Map: {
        if (before.size() != after.size()) {
            return false;
        }
        const bool flow = inFlow || before.Style() == YAML::EmitterStyle::Flow;
        auto a = before.begin();
        auto b = after.begin();
        for (; a != before.end() && b != after.end(); ++a, ++b) {
            if (!a->first.IsScalar() || !b->first.IsScalar() || a->first.Scalar() != b->first.Scalar()) {
                return false;
            }
            if (!collect(text, a->second, b->second, flow, out)) {
                return false;
            }
        }
        return true;
    }
    case YAML::NodeType::Null:
        return true; // both null
    case YAML::NodeType::Undefined:
        return false;
    }
    return false;
}

} // namespace

std::optional<std::string> patchScalars(const std::string& text, const YAML::Node& before,
                                        const YAML::Node& after) {
    std::vector<Replacement> replacements;
    try {
        if (!collect(text, before, after, false, replacements) || replacements.empty()) {
            return std::nullopt;
        }
        std::sort(replacements.begin(), replacements.end(),
                  [](const Replacement& x, const Replacement& y) { return x.from > y.from; });
        std::string patched = text;
        size_t limit = patched.size();
        for (const Replacement& r : replacements) {
            if (r.to > limit) {
                return std::nullopt; // overlapping spans: the marks were not what we thought
            }
            patched.replace(r.from, r.to - r.from, r.text);
            limit = r.from;
        }
        // The proof: the patched text must read back as exactly the edited tree.
        if (emitted(YAML::Load(patched)) != emitted(after)) {
            return std::nullopt;
        }
        return patched;
    } catch (const YAML::Exception&) {
        return std::nullopt;
    }
}

} // namespace tollgate::ui
