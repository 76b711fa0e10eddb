// Fuzz target for the chunked decoder: feeding the input whole, byte by byte, or in two pieces
// split at a point taken from the input must give the same result.
#include "http/chunked_decoder.h"

#include <cstdint>
#include <cstdlib>
#include <initializer_list>

using namespace tollgate::http;
using Result = ChunkedDecoder::Result;

namespace {

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

struct Fed {
    Result result = Result::NeedMore;
    size_t consumed = 0;
    uint64_t payload = 0;
};

Fed feedInSteps(const char* data, size_t size, size_t step, size_t maxTrailer) {
    ChunkedDecoder d(maxTrailer);
    Fed fed;
    size_t pos = 0;
    while (pos < size) {
        const size_t n = step < size - pos ? step : size - pos;
        size_t consumed = 0;
        fed.result = d.feed(data + pos, n, consumed);
        check(consumed <= n);
        fed.consumed += consumed;
        if (fed.result != Result::NeedMore) {
            break;
        }
        check(consumed == n);
        pos += n;
    }
    fed.payload = d.payloadBytes();
    check(d.done() == (fed.result == Result::Done));
    return fed;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    const char* data = reinterpret_cast<const char*>(bytes);
    constexpr size_t kMaxTrailer = 64;
    const Fed whole = feedInSteps(data, size, size == 0 ? 1 : size, kMaxTrailer);
    const Fed single = feedInSteps(data, size, 1, kMaxTrailer);
    const size_t split = size > 0 ? 1 + bytes[0] % 7 : 1;
    const Fed pieces = feedInSteps(data, size, split, kMaxTrailer);
    for (const Fed* other : {&single, &pieces}) {
        check(other->result == whole.result);
        check(other->payload == whole.payload);
        if (whole.result != Result::Error) {
            check(other->consumed == whole.consumed);
        }
    }
    check(whole.payload <= size);
    return 0;
}
