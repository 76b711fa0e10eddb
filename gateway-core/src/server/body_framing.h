#pragma once
// How far a message body extends in a byte stream: Content-Length, chunked (validated as it
// passes, forwarded unchanged) or until the peer closes.

#include "http/chunked_decoder.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace tollgate::server {

struct BodyFraming {
    enum class Kind : uint8_t { None, Length, Chunked, UntilClose };
    Kind kind = Kind::None;
    uint64_t remaining = 0; // Length
    uint64_t total = 0;     // body bytes (framing included) that passed so far
    http::ChunkedDecoder chunked;
    bool done = true;

    void setNone() {
        kind = Kind::None;
        done = true;
        total = 0;
    }
    void setLength(uint64_t n) {
        kind = Kind::Length;
        remaining = n;
        done = n == 0;
        total = 0;
    }
    void setChunked() {
        kind = Kind::Chunked;
        chunked.reset();
        done = false;
        total = 0;
    }
    void setUntilClose() {
        kind = Kind::UntilClose;
        done = false;
        total = 0;
    }

    // How many of the `avail` bytes at `p` belong to the body; false on a framing error.
    bool take(const char* p, size_t avail, size_t& n) {
        n = 0;
        switch (kind) {
        case Kind::None:
            return true;
        case Kind::Length:
            n = static_cast<size_t>(std::min<uint64_t>(remaining, avail));
            remaining -= n;
            done = remaining == 0;
            break;
        case Kind::Chunked: {
            const auto r = chunked.feed(p, avail, n);
            if (r == http::ChunkedDecoder::Result::Error) {
                return false;
            }
            done = r == http::ChunkedDecoder::Result::Done;
            break;
        }
        case Kind::UntilClose:
            n = avail;
            break;
        }
        total += n;
        return true;
    }

    // Payload bytes so far (decoded, for chunked).
    uint64_t payload() const { return kind == Kind::Chunked ? chunked.payloadBytes() : total; }
};

} // namespace tollgate::server
