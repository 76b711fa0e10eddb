#include "prometheus_text.h"

#include <cmath>
#include <cstdlib>

namespace tollgate::test {
namespace {

bool isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool isNameChar(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
}

// Reads a metric or label name at `pos`; empty when there is none.
std::string readName(std::string_view line, size_t& pos, bool allowColon) {
    const size_t start = pos;
    while (pos < line.size() && isNameChar(line[pos]) && (allowColon || line[pos] != ':') &&
           (pos > start || isNameStart(line[pos]))) {
        ++pos;
    }
    return std::string(line.substr(start, pos - start));
}

bool parseValue(std::string_view text, double& value) {
    if (text == "+Inf") {
        value = INFINITY;
        return true;
    }
    if (text == "-Inf") {
        value = -INFINITY;
        return true;
    }
    if (text == "NaN") {
        value = NAN;
        return true;
    }
    if (text.empty()) {
        return false;
    }
    const std::string s(text);
    char* end = nullptr;
    value = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && !std::isnan(value) && !std::isinf(value);
}

bool parseSample(std::string_view line, PromSample& sample, bool requireLabels, std::string& why) {
    size_t pos = 0;
    sample.name = readName(line, pos, true);
    if (sample.name.empty()) {
        why = "no metric name";
        return false;
    }
    if (pos < line.size() && line[pos] == '{') {
        ++pos;
        while (pos < line.size() && line[pos] != '}') {
            const std::string label = readName(line, pos, false);
            if (label.empty()) {
                why = "bad label name";
                return false;
            }
            if (line.substr(pos, 2) != "=\"") {
                why = "expected =\" after label " + label;
                return false;
            }
            pos += 2;
            std::string value;
            for (;;) {
                if (pos >= line.size()) {
                    why = "unterminated value of label " + label;
                    return false;
                }
                const char c = line[pos++];
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (pos >= line.size()) {
                        why = "dangling backslash";
                        return false;
                    }
                    const char e = line[pos++];
                    if (e == '\\' || e == '"') {
                        value += e;
                    } else if (e == 'n') {
                        value += '\n';
                    } else {
                        why = std::string("bad escape \\") + e;
                        return false;
                    }
                } else if (c == '\n') {
                    why = "raw line feed in a label value";
                    return false;
                } else {
                    value += c;
                }
            }
            if (!sample.labels.emplace(label, value).second) {
                why = "label " + label + " twice";
                return false;
            }
            if (pos < line.size() && line[pos] == ',') {
                ++pos;
            } else if (pos >= line.size() || line[pos] != '}') {
                why = "expected , or } after label " + label;
                return false;
            }
        }
        if (pos >= line.size()) {
            why = "unterminated label set";
            return false;
        }
        ++pos; // '}'
    } else if (requireLabels) {
        why = "no labels";
        return false;
    }
    if (pos >= line.size() || line[pos] != ' ') {
        why = "expected one space before the value";
        return false;
    }
    ++pos;
    sample.valueText = std::string(line.substr(pos));
    if (!parseValue(sample.valueText, sample.value)) {
        why = "bad value \"" + sample.valueText + "\"";
        return false;
    }
    return true;
}

} // namespace

std::string PromSample::label(const std::string& name) const {
    const auto it = labels.find(name);
    return it == labels.end() ? std::string() : it->second;
}

bool parsePrometheusText(std::string_view text, std::vector<PromSample>& out, std::string& error,
                         bool requireLabels) {
    if (!text.empty() && text.back() != '\n') {
        error = "the text does not end with a line feed";
        return false;
    }
    size_t lineNo = 0;
    while (!text.empty()) {
        const size_t eol = text.find('\n');
        const std::string_view line = text.substr(0, eol);
        text.remove_prefix(eol + 1);
        ++lineNo;
        if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
            continue;
        }
        PromSample sample;
        std::string why;
        if (!parseSample(line, sample, requireLabels, why)) {
            error = "line " + std::to_string(lineNo) + ": " + why + ": " + std::string(line);
            return false;
        }
        out.push_back(std::move(sample));
    }
    return true;
}

std::vector<PromSample> samplesNamed(const std::vector<PromSample>& all, std::string_view name) {
    std::vector<PromSample> out;
    for (const PromSample& s : all) {
        if (s.name == name) {
            out.push_back(s);
        }
    }
    return out;
}

} // namespace tollgate::test
