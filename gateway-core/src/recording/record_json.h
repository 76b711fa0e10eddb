#pragma once
// One request record as a JSON object: the access log line, the admin API's /traffic entries and
// its event stream all use this one rendering, so a record reads the same everywhere.

#include "tollgate/traffic.h"

#include <cstring>
#include <string>
#include <string_view>

namespace tollgate::recording {

// Appends {"time":"2026-12-04T20:31:07.123456Z","seq":..,"consumer":..,...} without a newline.
// Empty text fields are written as null. Bytes outside printable ASCII are escaped as \u00XX, so
// the output is valid JSON (and UTF-8) whatever a client put in the path.
void appendRecordJson(std::string& out, const RequestRecord& r);

// The fields a record shares with every other record of its series (consumer, plan, api, version,
// route, method, status, reason), each preceded by a comma: the recorder renders them once per
// series and passes them to the overload below.
void appendRecordIdentity(std::string& out, const RequestRecord& r);
void appendRecordJson(std::string& out, const RequestRecord& r, std::string_view identity);

// The same line written at `out`, which must have room for maxRecordJson(identity.size()) bytes;
// returns the end. For the recorder, which formats every request into one reused buffer.
size_t maxRecordJson(size_t identitySize);
char* writeRecordJson(char* out, const RequestRecord& r, std::string_view identity);

// A record's text field: NUL-terminated when shorter than its array, the whole array when full.
template <size_t N> std::string_view recordField(const char (&value)[N]) {
    return std::string_view(value, strnlen(value, N));
}

// The method's token, "OTHER" for a method the gateway does not know.
std::string_view recordMethod(const RequestRecord& r);

// Appends a JSON string literal (quotes included) with the escaping above.
void appendJsonString(std::string& out, std::string_view text);

} // namespace tollgate::recording
