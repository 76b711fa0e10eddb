#pragma once
// Pieces of the Prometheus text exposition format shared by every part of the engine that renders
// metrics (series totals, health checks).

#include <string>
#include <string_view>

namespace tollgate::recording {

// Appends name="value", preceded by a comma unless `first`; label values escape backslash, double
// quote and line feed.
inline void appendPromLabel(std::string& out, std::string_view name, std::string_view value,
                            bool first = false) {
    if (!first) {
        out += ',';
    }
    out += name;
    out += "=\"";
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    out += '"';
}

} // namespace tollgate::recording
