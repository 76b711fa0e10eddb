#pragma once
#include <cstddef>
#include <cstdint>

namespace tollgate::http {

// Validates a chunked body as it streams through, without copying it: the proxy forwards the raw
// bytes unchanged once they are known to be well framed. Strict: hex sizes only (no overflow past
// 2^62), chunk extensions allowed but bounded, CRLF required after data, trailers parsed as
// header lines and bounded by maxTrailerBytes.
class ChunkedDecoder {
public:
    enum class Result : uint8_t { NeedMore, Done, Error };

    explicit ChunkedDecoder(size_t maxTrailerBytes = 8 * 1024) : m_maxTrailerBytes(maxTrailerBytes) {}

    // Consumes up to len bytes. `consumed` is how many belong to this body (less than len only
    // when Done: the rest is the next message). `payloadBytes` counts decoded data bytes so far.
    Result feed(const char* data, size_t len, size_t& consumed);

    uint64_t payloadBytes() const { return m_payload; }
    bool done() const { return m_state == State::Done; }
    void reset() { *this = ChunkedDecoder(m_maxTrailerBytes); }

private:
    enum class State : uint8_t { Size, Ext, SizeLf, Data, DataCr, DataLf, Trailer, TrailerLf, Done, Error };
    State m_state = State::Size;
    uint64_t m_remaining = 0;
    uint64_t m_payload = 0;
    size_t m_sizeDigits = 0;
    size_t m_extBytes = 0;
    size_t m_trailerBytes = 0;
    size_t m_lineBytes = 0;
    // Size line: set once whitespace ended the digits (only ';' may follow). Trailer line: set
    // once the ':' after the field name was seen.
    bool m_linePhase = false;
    size_t m_maxTrailerBytes;
};

} // namespace tollgate::http
