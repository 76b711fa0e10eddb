#pragma once
#include "http/message.h"

namespace tollgate::http {

// Strict RFC 9112 request-head parser. Stateless: call it again with more bytes when it answers
// Incomplete (it first looks for the end of the head, so a partial head costs one scan).
// Rejects: bare CR or LF, obs-fold, whitespace before the colon, invalid token characters,
// Content-Length together with Transfer-Encoding, differing duplicate Content-Length, any
// transfer-coding other than a single "chunked", HTTP versions other than 1.0/1.1 (505),
// missing Host in HTTP/1.1, control characters in the target or in field values.
ParseStatus parseRequestHead(const char* data, size_t len, const ParserLimits& limits, RequestHead& out,
                             ParseError& err);

// Same rules for an upstream's response head; limits apply too (502 is the caller's answer).
ParseStatus parseResponseHead(const char* data, size_t len, const ParserLimits& limits, ResponseHead& out,
                              ParseError& err);

// Case-insensitive ASCII comparison for header names.
bool equalsIgnoreCase(std::string_view a, std::string_view b);

} // namespace tollgate::http
