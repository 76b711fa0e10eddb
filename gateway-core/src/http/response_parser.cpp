// Strict RFC 9112 response-head parser for upstream answers. Same header rules as requests; every
// error is a 502 with a "response." reason, since the client never sees the upstream's bytes.

#include "http/head_grammar.h"
#include "http/request_parser.h"

namespace tollgate::http {

namespace {

using namespace detail;

constexpr HeadReasons kResponseReasons{
    502,
    502,
    "response.header_too_large",
    "response.too_many_headers",
    "response.bare_lf",
    "response.bare_cr",
    "response.obs_fold",
    "response.header_name",
    "response.header_value",
    "response.content_length",
    "response.conflicting_length",
    "response.transfer_coding",
    "response.length_and_chunked",
};

ParseStatus fail(ParseError& err, const char* reason) {
    err = {502, reason};
    return ParseStatus::Error;
}

// status-line = HTTP-version SP 3DIGIT SP [ reason-phrase ]; [p, e) where *e is the CR. A missing
// SP after the code is tolerated: it cannot change framing and some servers omit it.
ParseStatus parseStatusLine(const char* p, const char* e, ResponseHead& out, ParseError& err) {
    const std::string_view line(p, static_cast<size_t>(e - p));
    if (line.size() < 12 || line.substr(0, 5) != "HTTP/" || !hasClass(line[5], kDigit) || line[6] != '.' ||
        !hasClass(line[7], kDigit) || line[8] != ' ') {
        return fail(err, "response.status_line");
    }
    if (line[5] != '1' || (line[7] != '0' && line[7] != '1')) {
        return fail(err, "response.version");
    }
    out.versionMinor = line[7] - '0';
    if (!hasClass(line[9], kDigit) || !hasClass(line[10], kDigit) || !hasClass(line[11], kDigit)) {
        return fail(err, "response.status");
    }
    out.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (out.status < 100 || out.status > 599) {
        return fail(err, "response.status");
    }
    if (line.size() == 12) {
        out.reason = {};
        return ParseStatus::Complete;
    }
    if (line[12] != ' ') {
        return fail(err, "response.status");
    }
    const char* r = p + 13;
    while (hasClass(*r, kFieldChar)) {
        ++r;
    }
    if (r != e) {
        return fail(err, *r == '\r' ? "response.bare_cr" : "response.reason");
    }
    out.reason = std::string_view(p + 13, static_cast<size_t>(e - (p + 13)));
    return ParseStatus::Complete;
}

void resetResponse(ResponseHead& out) {
    out.status = 0;
    out.versionMinor = 1;
    out.reason = {};
    out.headerCount = 0;
    out.contentLength = -1;
    out.chunked = false;
    out.keepAlive = true;
    out.upgrade = false;
    out.headBytes = 0;
}

} // namespace

ParseStatus parseResponseHead(const char* data, size_t len, const ParserLimits& limits, ResponseHead& out,
                              ParseError& err) {
    resetResponse(out);
    const size_t maxLines = limits.maxHeaderCount < kMaxHeaders ? limits.maxHeaderCount : kMaxHeaders;
    HeadScan scan;
    const ParseStatus scanned =
        scanHead(data, len, 0, limits.maxHeaderBytes, maxLines, kResponseReasons, scan, err);
    if (scanned == ParseStatus::Error) {
        return scanned;
    }
    if (scan.firstLineComplete &&
        parseStatusLine(data, data + scan.firstLineEnd, out, err) == ParseStatus::Error) {
        return ParseStatus::Error;
    }
    if (scanned == ParseStatus::Incomplete) {
        if (len > limits.maxHeaderBytes) {
            return fail(err, "response.header_too_large");
        }
        return ParseStatus::Incomplete;
    }

    if (!parseHeaderLines(data + scan.firstLineEnd + 2, data + scan.end - 2, out.headers, maxLines,
                          out.headerCount, kResponseReasons, err)) {
        return ParseStatus::Error;
    }

    TransferCodings codings;
    ConnectionTokens connection;
    bool hasUpgrade = false;
    for (size_t i = 0; i < out.headerCount; ++i) {
        const Header& h = out.headers[i];
        switch (h.name.size()) {
        case 7:
            if (equalsLowerLiteral(h.name, "upgrade")) {
                hasUpgrade = true;
            }
            break;
        case 10:
            if (equalsLowerLiteral(h.name, "connection")) {
                connection.add(h.value);
            }
            break;
        case 14:
            if (equalsLowerLiteral(h.name, "content-length") &&
                !applyContentLength(h.value, out.contentLength, kResponseReasons, err)) {
                return ParseStatus::Error;
            }
            break;
        case 17:
            if (equalsLowerLiteral(h.name, "transfer-encoding")) {
                codings.add(h.value);
            }
            break;
        default:
            break;
        }
    }

    const bool http11 = out.versionMinor == 1;
    if (codings.present) {
        // RFC 9112 6.1 lets chunked win over Content-Length, but a message carrying both is the
        // shape of a smuggling attempt: refuse it rather than guess which framing the sender meant.
        if (out.contentLength >= 0) {
            return fail(err, "response.length_and_chunked");
        }
        // Transfer-Encoding in HTTP/1.0 means faulty framing (RFC 9112 6.1); other codings would
        // leave the body close-delimited, which the forwarder does not pass through.
        if (!http11 || !codings.isSingleChunked()) {
            return fail(err, "response.transfer_coding");
        }
        out.chunked = true;
    }
    out.keepAlive = http11 ? !connection.close : (connection.keepAlive && !connection.close);
    out.upgrade = out.status == 101 && hasUpgrade;
    out.headBytes = scan.end;
    return ParseStatus::Complete;
}

} // namespace tollgate::http
