// Strict RFC 9112 request-head parser, plus the header-section helpers shared with the response
// parser (declared in head_grammar.h). No allocation: every result is a view into the input.

#include "http/request_parser.h"
#include "http/head_grammar.h"

#include <cstring>

namespace tollgate::http {

namespace detail {

ParseStatus scanHead(const char* data, size_t len, size_t start, size_t maxHeaderBytes, size_t maxLines,
                     const HeadReasons& reasons, HeadScan& scan, ParseError& err) {
    // Only the first maxHeaderBytes can hold a valid head; never scan further than that.
    const size_t limit = len < maxHeaderBytes ? len : maxHeaderBytes;
    size_t lineStart = start;
    bool firstLine = true;
    size_t lines = 0;
    while (lineStart < limit) {
        const char* found = findLf(data + lineStart, data + limit);
        if (found == nullptr) {
            break;
        }
        const size_t lf = static_cast<size_t>(found - data);
        if (lf == lineStart || data[lf - 1] != '\r') {
            err = {reasons.status, reasons.bareLf};
            return ParseStatus::Error;
        }
        if (firstLine) {
            scan.firstLineEnd = lf - 1;
            scan.firstLineComplete = true;
            firstLine = false;
        } else if (lf - 1 == lineStart) {
            scan.end = lf + 1;
            scan.headerLines = lines;
            return ParseStatus::Complete;
        } else if (++lines > maxLines) {
            err = {reasons.tooLargeStatus, reasons.tooManyHeaders};
            return ParseStatus::Error;
        }
        lineStart = lf + 1;
    }
    scan.headerLines = lines;
    return ParseStatus::Incomplete;
}

bool parseHeaderLines(const char* begin, const char* end, Header* headers, size_t maxHeaders, size_t& count,
                      const HeadReasons& reasons, ParseError& err) {
    // scanHead guaranteed that every LF in [begin, end) follows a CR and that end follows CRLF,
    // so the value scan below always stops on a CR before end.
    const char* p = begin;
    count = 0;
    while (p < end) {
        if (*p == ' ' || *p == '\t') {
            err = {reasons.status, reasons.obsFold};
            return false;
        }
        const char* q = p;
        while (hasClass(*q, kTchar)) {
            ++q;
        }
        if (q == p || *q != ':') {
            err = {reasons.status, (*q == '\r' && q[1] != '\n') ? reasons.bareCr : reasons.headerName};
            return false;
        }
        const std::string_view name(p, static_cast<size_t>(q - p));
        const char* v = q + 1;
        while (*v == ' ' || *v == '\t') {
            ++v;
        }
        const char* r = skipFieldChars(v, end);
        if (r == end || *r != '\r') {
            err = {reasons.status, reasons.headerValue};
            return false;
        }
        if (r[1] != '\n') {
            err = {reasons.status, reasons.bareCr};
            return false;
        }
        const char* valueEnd = r;
        while (valueEnd > v && (valueEnd[-1] == ' ' || valueEnd[-1] == '\t')) {
            --valueEnd;
        }
        if (count >= maxHeaders) {
            err = {reasons.tooLargeStatus, reasons.tooManyHeaders};
            return false;
        }
        headers[count++] = {name, std::string_view(v, static_cast<size_t>(valueEnd - v))};
        p = r + 2;
    }
    return true;
}

bool applyContentLength(std::string_view value, int64_t& current, const HeadReasons& reasons,
                        ParseError& err) {
    int64_t seen = -1;
    bool malformed = false;
    bool conflict = false;
    forEachListElement(value, [&](std::string_view element) {
        // 19 digits cannot overflow uint64_t; the 2^62 bound is checked after.
        if (element.empty() || element.size() > 19) {
            malformed = true;
            return false;
        }
        uint64_t n = 0;
        for (char c : element) {
            if (!hasClass(c, kDigit)) {
                malformed = true;
                return false;
            }
            n = n * 10 + static_cast<uint64_t>(c - '0');
        }
        if (n > kMaxBodyLength) {
            malformed = true;
            return false;
        }
        if (seen >= 0 && static_cast<int64_t>(n) != seen) {
            conflict = true;
            return false;
        }
        seen = static_cast<int64_t>(n);
        return true;
    });
    if (malformed) {
        err = {reasons.status, reasons.contentLength};
        return false;
    }
    if (conflict || (current >= 0 && current != seen)) {
        err = {reasons.status, reasons.conflictingLength};
        return false;
    }
    current = seen;
    return true;
}

void TransferCodings::add(std::string_view value) {
    present = true;
    forEachListElement(value, [&](std::string_view coding) {
        ++count;
        lastIsChunked = equalsLowerLiteral(coding, "chunked");
        if (!lastIsChunked) {
            onlyChunked = false;
        }
        return true;
    });
}

void ConnectionTokens::add(std::string_view value) {
    forEachListElement(value, [&](std::string_view token) {
        if (equalsLowerLiteral(token, "close")) {
            close = true;
        } else if (equalsLowerLiteral(token, "keep-alive")) {
            keepAlive = true;
        } else if (equalsLowerLiteral(token, "upgrade")) {
            upgrade = true;
        }
        return true;
    });
}

bool isValidHost(std::string_view host) {
    size_t i = 0;
    if (!host.empty() && host[0] == '[') {
        // IP-literal: hex digits, ':' and '.' (for an embedded IPv4); IPvFuture is not accepted.
        const size_t close = host.find(']');
        if (close == std::string_view::npos || close < 3) {
            return false;
        }
        for (size_t k = 1; k < close; ++k) {
            const char c = host[k];
            if (!hasClass(c, kHexDigit) && c != ':' && c != '.') {
                return false;
            }
        }
        i = close + 1;
    } else {
        // reg-name restricted to unreserved and pct-encoded: sub-delims such as ',' would let
        // "a.com,b.com" through, which means different hosts to different components.
        while (i < host.size() && host[i] != ':') {
            const char c = host[i];
            if (c == '%') {
                if (i + 2 >= host.size() || !hasClass(host[i + 1], kHexDigit) ||
                    !hasClass(host[i + 2], kHexDigit)) {
                    return false;
                }
                i += 3;
                continue;
            }
            if (!hasClass(c, kUnreserved)) {
                return false;
            }
            ++i;
        }
    }
    if (i == host.size()) {
        return true;
    }
    if (host[i] != ':') {
        return false;
    }
    const std::string_view port = host.substr(i + 1);
    if (port.empty() || port.size() > 5) {
        return false;
    }
    unsigned value = 0;
    for (char c : port) {
        if (!hasClass(c, kDigit)) {
            return false;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    return value <= 65535;
}

} // namespace detail

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (detail::toLower(a[i]) != detail::toLower(b[i])) {
            return false;
        }
    }
    return true;
}

namespace {

using namespace detail;

constexpr HeadReasons kRequestReasons{
    400,
    431,
    "request.header_too_large",
    "request.too_many_headers",
    "request.bare_lf",
    "request.bare_cr",
    "request.obs_fold",
    "request.header_name",
    "request.header_value",
    "request.content_length",
    "request.conflicting_length",
    "request.transfer_coding",
    "request.length_and_chunked",
};

// RFC 9112 2.2 asks servers to ignore at least one empty line before the request line.
constexpr int kMaxLeadingEmptyLines = 4;
// Room for the method and " HTTP/1.1" around a target of maxUriBytes while the line is incomplete.
constexpr size_t kRequestLineSlack = 64;

ParseStatus fail(ParseError& err, int status, const char* reason) {
    err = {status, reason};
    return ParseStatus::Error;
}

// Parses the request line [p, e) where *e is its CR. Sets method, target form, version.
ParseStatus parseRequestLine(const char* p, const char* e, const ParserLimits& limits, RequestHead& out,
                             ParseError& err) {
    const char* q = p;
    while (hasClass(*q, kTchar)) {
        ++q;
    }
    if (q == p || *q != ' ') {
        return fail(err, 400, (*q == '\r' && q != e) ? "request.bare_cr" : "request.method");
    }
    out.method = std::string_view(p, static_cast<size_t>(q - p));
    out.methodId = methodFromToken(out.method);

    const char* t = q + 1;
    const char* r = skipTargetChars(t, e);
    const size_t targetLen = static_cast<size_t>(r - t);
    if (targetLen > limits.maxUriBytes) {
        return fail(err, 414, "request.uri_too_long");
    }
    if (r == t || *r != ' ') {
        return fail(err, 400, (*r == '\r' && r != e) ? "request.bare_cr" : "request.target");
    }
    const std::string_view target(t, targetLen);

    const std::string_view version(r + 1, static_cast<size_t>(e - (r + 1)));
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || !hasClass(version[5], kDigit) ||
        version[6] != '.' || !hasClass(version[7], kDigit)) {
        return fail(err, 400, "request.version");
    }
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
        return fail(err, 505, "request.version");
    }
    out.versionMinor = version[7] - '0';

    const bool isConnect = out.methodId == Method::Connect;
    if (target[0] == '/') {
        if (isConnect) {
            return fail(err, 400, "request.target");
        }
        out.target = target;
        return ParseStatus::Complete;
    }
    if (target == "*") {
        if (out.methodId != Method::Options) {
            return fail(err, 400, "request.target");
        }
        out.target = target;
        return ParseStatus::Complete;
    }
    if (isConnect) {
        // authority-form: host and port, nothing else.
        const size_t colon = target.rfind(':');
        if (colon == std::string_view::npos || !isValidHost(target) || target.back() == ']') {
            return fail(err, 400, "request.target");
        }
        out.target = target;
        return ParseStatus::Complete;
    }
    // absolute-form: only http and https; the authority replaces Host (RFC 9112 3.2.2).
    size_t schemeLen = 0;
    if (target.size() >= 7 && equalsLowerLiteral(target.substr(0, 7), "http://")) {
        schemeLen = 7;
    } else if (target.size() >= 8 && equalsLowerLiteral(target.substr(0, 8), "https://")) {
        schemeLen = 8;
    } else {
        return fail(err, 400, "request.target");
    }
    const std::string_view rest = target.substr(schemeLen);
    const size_t pathStart = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, pathStart);
    if (authority.empty() || !isValidHost(authority)) {
        return fail(err, 400, "request.target");
    }
    if (pathStart == std::string_view::npos) {
        out.target = "/";
    } else if (rest[pathStart] == '/') {
        out.target = rest.substr(pathStart);
    } else {
        // "http://host?q" has an empty path; rather than invent "/?q" outside the buffer, refuse.
        return fail(err, 400, "request.target");
    }
    out.host = authority;
    return ParseStatus::Complete;
}

void resetRequest(RequestHead& out) {
    out.method = {};
    out.methodId = Method::Other;
    out.target = {};
    out.versionMinor = 1;
    out.headerCount = 0;
    out.contentLength = -1;
    out.chunked = false;
    out.keepAlive = true;
    out.expectContinue = false;
    out.upgrade = false;
    out.host = {};
    out.upgradeProtocol = {};
    out.headBytes = 0;
}

} // namespace

ParseStatus parseRequestHead(const char* data, size_t len, const ParserLimits& limits, RequestHead& out,
                             ParseError& err) {
    resetRequest(out);
    size_t start = 0;
    for (int i = 0; i < kMaxLeadingEmptyLines && start < len && data[start] == '\r'; ++i) {
        if (start + 1 == len) {
            return ParseStatus::Incomplete;
        }
        if (data[start + 1] != '\n') {
            return fail(err, 400, "request.bare_cr");
        }
        start += 2;
    }
    const size_t maxLines = limits.maxHeaderCount < kMaxHeaders ? limits.maxHeaderCount : kMaxHeaders;
    HeadScan scan;
    const ParseStatus scanned =
        scanHead(data, len, start, limits.maxHeaderBytes, maxLines, kRequestReasons, scan, err);
    if (scanned == ParseStatus::Error) {
        return scanned;
    }
    if (!scan.firstLineComplete) {
        if (len - start > limits.maxUriBytes + kRequestLineSlack) {
            return fail(err, 414, "request.uri_too_long");
        }
        if (len > limits.maxHeaderBytes) {
            return fail(err, 431, "request.header_too_large");
        }
        return ParseStatus::Incomplete;
    }
    // The request line is complete: judge it now so a bad one fails before its headers arrive.
    if (parseRequestLine(data + start, data + scan.firstLineEnd, limits, out, err) == ParseStatus::Error) {
        return ParseStatus::Error;
    }
    if (scanned == ParseStatus::Incomplete) {
        if (len > limits.maxHeaderBytes) {
            return fail(err, 431, "request.header_too_large");
        }
        return ParseStatus::Incomplete;
    }

    const char* headersBegin = data + scan.firstLineEnd + 2;
    const char* headersEnd = data + scan.end - 2;
    if (!parseHeaderLines(headersBegin, headersEnd, out.headers, maxLines, out.headerCount, kRequestReasons,
                          err)) {
        return ParseStatus::Error;
    }

    // Framing and connection semantics, one switch on the name length per header.
    TransferCodings codings;
    ConnectionTokens connection;
    size_t hostCount = 0;
    std::string_view hostHeader;
    bool hasUpgrade = false;
    bool expectContinue = false;
    for (size_t i = 0; i < out.headerCount; ++i) {
        const Header& h = out.headers[i];
        switch (h.name.size()) {
        case 4:
            if (equalsLowerLiteral(h.name, "host")) {
                ++hostCount;
                hostHeader = h.value;
            }
            break;
        case 6:
            if (equalsLowerLiteral(h.name, "expect")) {
                if (!equalsLowerLiteral(h.value, "100-continue")) {
                    return fail(err, 417, "request.expect");
                }
                expectContinue = true;
            }
            break;
        case 7:
            if (equalsLowerLiteral(h.name, "upgrade")) {
                if (hasUpgrade) {
                    return fail(err, 400, "request.upgrade_duplicate");
                }
                hasUpgrade = true;
                out.upgradeProtocol = h.value;
            }
            break;
        case 10:
            if (equalsLowerLiteral(h.name, "connection")) {
                connection.add(h.value);
            }
            break;
        case 14:
            if (equalsLowerLiteral(h.name, "content-length") &&
                !applyContentLength(h.value, out.contentLength, kRequestReasons, err)) {
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
    if (hostCount > 1) {
        return fail(err, 400, "request.host_duplicate");
    }
    if (hostCount == 0 && http11) {
        return fail(err, 400, "request.host_missing");
    }
    if (hostCount == 1 && !isValidHost(hostHeader)) {
        return fail(err, 400, "request.host");
    }
    if (out.host.empty()) {
        out.host = hostHeader;
    }
    if (codings.present) {
        if (out.contentLength >= 0) {
            return fail(err, 400, "request.length_and_chunked");
        }
        if (!http11) {
            return fail(err, 400, "request.transfer_coding_http10");
        }
        if (codings.unframeable()) {
            return fail(err, 400, "request.transfer_coding_not_chunked");
        }
        if (!codings.isSingleChunked()) {
            return fail(err, 501, "request.transfer_coding");
        }
        out.chunked = true;
    }
    out.keepAlive = http11 ? !connection.close : (connection.keepAlive && !connection.close);
    // RFC 9110 7.8 and 10.1.1: Upgrade and 100-continue are ignored in HTTP/1.0 requests.
    out.upgrade = http11 && connection.upgrade && hasUpgrade;
    out.expectContinue = http11 && expectContinue;
    out.headBytes = scan.end;
    return ParseStatus::Complete;
}

} // namespace tollgate::http
