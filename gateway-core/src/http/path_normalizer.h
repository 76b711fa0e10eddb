#pragma once
#include <string>
#include <string_view>

namespace tollgate::http {

enum class PathError : uint8_t {
    None,
    NotOriginForm, // target does not start with '/'
    BadEncoding,   // '%' not followed by two hex digits, or a raw byte that must be encoded
    EncodedSlash,  // %2F or %5C inside the path
    Backslash,     // a raw '\'
    Nul,           // %00 or a control character
    Parameters,    // ';' path parameters
    AboveRoot,     // "/.." climbing above the root
    TooLong,       // canonical path longer than 8 KiB
    Fragment,      // '#': a fragment is never sent in a request (RFC 9112 3.2)
};
// Reason code for the 400 answer, such as "path.encoded_slash".
const char* pathErrorReason(PathError e);

// Canonical form of an origin-form request-target's path: percent-encoded unreserved characters
// decoded (ALPHA DIGIT - . _ ~), other percent-encodings kept with upper-case hex, dot-segments
// removed (RFC 3986 5.2.4, after decoding, so %2e%2e counts), runs of '/' merged. The query is
// split off unchanged. `path` receives the canonical path (always starting with '/').
// The same form is used for routing, authorization and forwarding.
PathError normalizePath(std::string_view target, std::string& path, std::string_view& query);

} // namespace tollgate::http
