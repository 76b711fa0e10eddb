// Chunked body validator (RFC 9112 7.1): a byte-driven state machine, so a body split at any point
// across reads is judged exactly like the same body in one piece.

#include "http/chunked_decoder.h"

#include "http/head_grammar.h"

namespace tollgate::http {

namespace {

// Chunk extensions are rarely used and never needed by the proxy: bound them per size line.
constexpr size_t kMaxExtBytes = 1024;
constexpr size_t kMaxSizeDigits = 16;

} // namespace

ChunkedDecoder::Result ChunkedDecoder::feed(const char* data, size_t len, size_t& consumed) {
    using detail::hasClass;
    size_t i = 0;
    const auto fail = [&]() {
        m_state = State::Error;
        consumed = i;
        return Result::Error;
    };
    if (m_state == State::Done) {
        consumed = 0;
        return Result::Done;
    }
    if (m_state == State::Error) {
        consumed = 0;
        return Result::Error;
    }
    while (i < len) {
        const char c = data[i];
        switch (m_state) {
        case State::Size: {
            const int digit = detail::hexValue(c);
            if (digit >= 0 && !m_linePhase) {
                // Check before shifting so the arithmetic itself can never overflow.
                if (++m_sizeDigits > kMaxSizeDigits || m_remaining > (detail::kMaxBodyLength >> 4)) {
                    return fail();
                }
                m_remaining = m_remaining * 16 + static_cast<uint64_t>(digit);
                if (m_remaining > detail::kMaxBodyLength) {
                    return fail();
                }
            } else if (m_sizeDigits == 0) {
                return fail();
            } else if (c == ' ' || c == '\t') {
                // BWS is only allowed before a ';' (chunk-ext), never before the CRLF.
                m_linePhase = true;
                if (++m_extBytes > kMaxExtBytes) {
                    return fail();
                }
            } else if (c == ';') {
                m_state = State::Ext;
                ++m_extBytes;
            } else if (c == '\r' && !m_linePhase) {
                m_state = State::SizeLf;
            } else {
                return fail();
            }
            ++i;
            break;
        }
        case State::Ext:
            if (c == '\r') {
                m_state = State::SizeLf;
            } else if (!hasClass(c, detail::kFieldChar) || ++m_extBytes > kMaxExtBytes) {
                return fail();
            }
            ++i;
            break;
        case State::SizeLf:
            if (c != '\n') {
                return fail();
            }
            ++i;
            m_linePhase = false;
            m_lineBytes = 0;
            m_state = m_remaining == 0 ? State::Trailer : State::Data;
            break;
        case State::Data: {
            const size_t avail = len - i;
            const size_t n = m_remaining < avail ? static_cast<size_t>(m_remaining) : avail;
            m_remaining -= n;
            m_payload += n;
            i += n;
            if (m_remaining == 0) {
                m_state = State::DataCr;
            }
            break;
        }
        case State::DataCr:
            if (c != '\r') {
                return fail();
            }
            m_state = State::DataLf;
            ++i;
            break;
        case State::DataLf:
            if (c != '\n') {
                return fail();
            }
            m_state = State::Size;
            m_sizeDigits = 0;
            m_extBytes = 0;
            m_linePhase = false;
            ++i;
            break;
        case State::Trailer:
            if (c == '\r') {
                // A trailer line needs "name:"; an empty line ends the body.
                if (m_lineBytes > 0 && (!m_linePhase || ++m_trailerBytes > m_maxTrailerBytes)) {
                    return fail();
                }
                m_state = State::TrailerLf;
                ++i;
                break;
            }
            if (++m_trailerBytes > m_maxTrailerBytes) {
                return fail();
            }
            if (!m_linePhase) {
                if (c == ':') {
                    if (m_lineBytes == 0) {
                        return fail();
                    }
                    m_linePhase = true;
                } else if (!hasClass(c, detail::kTchar)) {
                    return fail(); // also obs-fold: a line starting with SP or HTAB
                }
            } else if (!hasClass(c, detail::kFieldChar)) {
                return fail();
            }
            ++m_lineBytes;
            ++i;
            break;
        case State::TrailerLf:
            if (c != '\n') {
                return fail();
            }
            ++i;
            if (m_lineBytes == 0) {
                m_state = State::Done;
                consumed = i;
                return Result::Done;
            }
            if (++m_trailerBytes > m_maxTrailerBytes) {
                return fail();
            }
            m_state = State::Trailer;
            m_lineBytes = 0;
            m_linePhase = false;
            break;
        case State::Done:
        case State::Error:
            // Unreachable: both return before the loop or as soon as they are entered.
            consumed = i;
            return m_state == State::Done ? Result::Done : Result::Error;
        }
    }
    consumed = len;
    return Result::NeedMore;
}

} // namespace tollgate::http
