#pragma once
// Extracts the payload of a chunked body that ChunkedDecoder has already validated, for
// consumers that need the data itself (the builtin echo's digest). Trusts its input's framing.

#include <cstddef>
#include <cstdint>

namespace tollgate::server {

class ChunkPayload {
public:
    template <typename OnData> void feed(const char* p, size_t n, OnData&& onData) {
        size_t i = 0;
        while (i < n) {
            switch (m_state) {
            case State::Size: {
                const char c = p[i++];
                if (c == '\n') {
                    m_state = m_size == 0 ? State::Trailer : State::Data;
                    m_lineEmpty = true;
                } else if (!m_inExt) {
                    if (c == ';' || c == ' ' || c == '\t') {
                        m_inExt = true;
                    } else if (c != '\r') {
                        m_size = m_size * 16 + hexValue(c);
                    }
                }
                break;
            }
            case State::Data: {
                const size_t take = static_cast<size_t>(m_size < n - i ? m_size : n - i);
                onData(p + i, take);
                i += take;
                m_size -= take;
                if (m_size == 0) {
                    m_state = State::DataEnd;
                }
                break;
            }
            case State::DataEnd:
                if (p[i++] == '\n') {
                    m_state = State::Size;
                    m_inExt = false;
                }
                break;
            case State::Trailer: {
                const char c = p[i++];
                if (c == '\n') {
                    if (m_lineEmpty) {
                        m_state = State::Done;
                    }
                    m_lineEmpty = true;
                } else if (c != '\r') {
                    m_lineEmpty = false;
                }
                break;
            }
            case State::Done:
                return;
            }
        }
    }
    void reset() { *this = ChunkPayload(); }

private:
    static uint64_t hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return uint64_t(c - '0');
        }
        return uint64_t((c | 0x20) - 'a' + 10);
    }
    enum class State : uint8_t { Size, Data, DataEnd, Trailer, Done };
    State m_state = State::Size;
    uint64_t m_size = 0;
    bool m_inExt = false;
    bool m_lineEmpty = true;
};

} // namespace tollgate::server
