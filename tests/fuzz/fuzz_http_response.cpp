// Fuzz target for the response-head parser: on Complete, invariants on views and framing.
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
    static auto head = std::make_unique<ResponseHead>();
    const char* data = reinterpret_cast<const char*>(bytes);
    ParserLimits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxHeaderCount = 16;
    ParseError err;
    const ParseStatus st = parseResponseHead(data, size, limits, *head, err);
    if (st == ParseStatus::Error) {
        check(err.status == 502 && std::strncmp(err.reason, "response.", 9) == 0);
        return 0;
    }
    if (st == ParseStatus::Incomplete) {
        check(size <= limits.maxHeaderBytes);
        return 0;
    }
    check(head->headBytes >= 4 && head->headBytes <= size && head->headBytes <= limits.maxHeaderBytes);
    check(std::memcmp(data + head->headBytes - 4, "\r\n\r\n", 4) == 0);
    check(head->status >= 100 && head->status <= 599);
    check(head->headerCount <= limits.maxHeaderCount);
    check(inside(head->reason, data, size));
    check(!(head->chunked && head->contentLength >= 0));
    check(!head->upgrade || head->status == 101);
    for (size_t i = 0; i < head->headerCount; ++i) {
        check(!head->headers[i].name.empty() && inside(head->headers[i].name, data, size) &&
              inside(head->headers[i].value, data, size));
    }
    return 0;
}
