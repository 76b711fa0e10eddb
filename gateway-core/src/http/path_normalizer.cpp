// Canonical request paths (RFC 3986 6.2.2 and 5.2.4): one form for routing, authorization and
// forwarding, so that no encoding trick reaches an upstream path the policy did not see.

#include "http/path_normalizer.h"

#include "http/head_grammar.h"

namespace tollgate::http {

namespace {

constexpr size_t kMaxPathBytes = 8 * 1024;
constexpr char kUpperHex[] = "0123456789ABCDEF";

// A raw byte the path may not hold: name the most specific reason.
PathError rawByteError(unsigned char c) {
    if (c == '\\') {
        return PathError::Backslash;
    }
    if (c == ';') {
        return PathError::Parameters;
    }
    if (c == '#') {
        return PathError::Fragment;
    }
    if (c < 0x20 || c == 0x7F) {
        return PathError::Nul;
    }
    // Non-ASCII, or printable ASCII that is not a pchar (space " < > [ ] ^ ` { | }): a client
    // must percent-encode these, and accepting both forms would give one path two spellings.
    return PathError::BadEncoding;
}

PathError normalizeInto(std::string_view in, std::string& path) {
    // Every input byte yields at most one output byte, so the output fits in in.size().
    path.resize(in.size());
    char* out = path.data();
    size_t n = 0;
    out[n++] = '/';
    size_t i = 0;
    const size_t size = in.size();
    while (i < size) {
        if (in[i] == '/') {
            ++i; // runs of '/' collapse into the one already written
            continue;
        }
        const size_t segStart = n;
        while (i < size && in[i] != '/') {
            const auto c = static_cast<unsigned char>(in[i]);
            if (detail::kCharClasses[c] & detail::kPchar) {
                out[n++] = static_cast<char>(c);
                ++i;
                continue;
            }
            if (c != '%') {
                return rawByteError(c);
            }
            if (i + 2 >= size) {
                return PathError::BadEncoding;
            }
            const int hi = detail::hexValue(in[i + 1]);
            const int lo = detail::hexValue(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return PathError::BadEncoding;
            }
            const auto decoded = static_cast<unsigned char>(hi * 16 + lo);
            if (decoded == 0) {
                return PathError::Nul;
            }
            if (decoded == '/' || decoded == '\\') {
                return PathError::EncodedSlash;
            }
            if (detail::kCharClasses[decoded] & detail::kUnreserved) {
                out[n++] = static_cast<char>(decoded);
            } else {
                out[n++] = '%';
                out[n++] = kUpperHex[hi];
                out[n++] = kUpperHex[lo];
            }
            i += 3;
        }
        // Dot-segments are judged after decoding, so "%2e%2e" climbs like "..".
        const size_t segLen = n - segStart;
        if (segLen == 1 && out[segStart] == '.') {
            n = segStart;
            continue;
        }
        if (segLen == 2 && out[segStart] == '.' && out[segStart + 1] == '.') {
            if (segStart == 1) {
                return PathError::AboveRoot;
            }
            n = segStart - 1; // drop the '/' before "..", then the previous segment
            while (out[n - 1] != '/') {
                --n;
            }
            continue;
        }
        if (i < size) {
            out[n++] = '/';
        }
    }
    if (n > kMaxPathBytes) {
        return PathError::TooLong;
    }
    path.resize(n);
    return PathError::None;
}

} // namespace

const char* pathErrorReason(PathError e) {
    switch (e) {
    case PathError::None:
        return "";
    case PathError::NotOriginForm:
        return "path.not_origin_form";
    case PathError::BadEncoding:
        return "path.bad_encoding";
    case PathError::EncodedSlash:
        return "path.encoded_slash";
    case PathError::Backslash:
        return "path.backslash";
    case PathError::Nul:
        return "path.nul";
    case PathError::Parameters:
        return "path.parameters";
    case PathError::AboveRoot:
        return "path.above_root";
    case PathError::TooLong:
        return "path.too_long";
    case PathError::Fragment:
        return "path.fragment";
    }
    return "path.bad_encoding";
}

PathError normalizePath(std::string_view target, std::string& path, std::string_view& query) {
    path.clear();
    query = {};
    if (target.empty() || target[0] != '/') {
        return PathError::NotOriginForm;
    }
    const size_t qmark = target.find('?');
    const std::string_view in = target.substr(0, qmark);
    // Bound the work and the buffer before looking at the bytes: dot-segments can shrink a path,
    // but not by more than this in any request worth serving.
    if (in.size() > 4 * kMaxPathBytes) {
        return PathError::TooLong;
    }
    if (qmark != std::string_view::npos) {
        // The query is forwarded unchanged, but it must still be something a client may send.
        for (char ch : target.substr(qmark + 1)) {
            const auto c = static_cast<unsigned char>(ch);
            if (c == '#') {
                return PathError::Fragment;
            }
            if (c < 0x20 || c == 0x7F) {
                return PathError::Nul;
            }
            if (c >= 0x80) {
                return PathError::BadEncoding;
            }
        }
    }
    const PathError e = normalizeInto(in, path);
    if (e != PathError::None) {
        path.clear();
        return e;
    }
    if (qmark != std::string_view::npos) {
        query = target.substr(qmark + 1);
    }
    return PathError::None;
}

} // namespace tollgate::http
