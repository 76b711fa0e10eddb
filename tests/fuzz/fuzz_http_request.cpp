// Fuzz target for the request-head parser. Small limits so the limit paths are reached; on
// Complete, the invariants a caller relies on must hold. Also checks that a head never parses
// differently once more bytes follow it (pipelining).
#include "http/request_parser.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

using namespace tollgate::http;

namespace {

bool inside(std::string_view v, const char* data, size_t size) {
    return v.empty() || (v.data() >= data && v.data() + v.size() <= data + size);
}

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static auto head = std::make_unique<RequestHead>();
    static auto again = std::make_unique<RequestHead>();
    const char* data = reinterpret_cast<const char*>(bytes);
    ParserLimits limits;
    limits.maxUriBytes = 256;
    limits.maxHeaderBytes = 2048;
    limits.maxHeaderCount = 16;
    ParseError err;
    const ParseStatus st = parseRequestHead(data, size, limits, *head, err);
    if (st == ParseStatus::Error) {
        check(err.reason != nullptr && err.status >= 400 && err.status < 600);
        return 0;
    }
    if (st == ParseStatus::Incomplete) {
        check(size <= limits.maxHeaderBytes);
        return 0;
    }
    check(head->headBytes >= 4 && head->headBytes <= size && head->headBytes <= limits.maxHeaderBytes);
    check(std::memcmp(data + head->headBytes - 4, "\r\n\r\n", 4) == 0);
    check(head->headerCount <= limits.maxHeaderCount);
    check(!head->method.empty() && inside(head->method, data, size));
    check(head->target == "/" || inside(head->target, data, size));
    check(!head->target.empty() && head->target.size() <= limits.maxUriBytes);
    check(inside(head->host, data, size) && inside(head->upgradeProtocol, data, size));
    check(head->versionMinor == 0 || head->versionMinor == 1);
    check(!(head->chunked && head->contentLength >= 0));
    check(head->contentLength >= -1 && head->contentLength <= (int64_t(1) << 62));
    for (size_t i = 0; i < head->headerCount; ++i) {
        const Header& h = head->headers[i];
        check(!h.name.empty() && inside(h.name, data, size) && inside(h.value, data, size));
        check(h.value.empty() || (h.value.front() != ' ' && h.value.back() != ' '));
    }
    // The same head alone must parse identically: nothing after headBytes may influence it.
    const ParseStatus alone = parseRequestHead(data, head->headBytes, limits, *again, err);
    check(alone == ParseStatus::Complete && again->headBytes == head->headBytes &&
          again->headerCount == head->headerCount && again->contentLength == head->contentLength &&
          again->chunked == head->chunked && again->keepAlive == head->keepAlive);
    // Every strict prefix is incomplete (or an early error), never a different complete head.
    const ParseStatus prefix = parseRequestHead(data, head->headBytes - 1, limits, *again, err);
    check(prefix != ParseStatus::Complete);
    return 0;
}
