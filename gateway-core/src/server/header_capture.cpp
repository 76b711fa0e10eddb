#include "server/header_capture.h"

#include "http/request_parser.h"

#include <algorithm>
#include <cstring>

namespace tollgate::server {
namespace {

constexpr std::string_view kRedacted = "[redacted]";
constexpr std::string_view kKeyParam = "apikey"; // the key-auth stage's header and query parameter
// Free slots are looked for this far ahead. Slots come back in about the order they were taken, so
// when the next two are busy the ring is full: looking further costs cache misses for nothing.
constexpr size_t kSearchSlots = 2;
const std::atomic<bool> kNever{false};

// Appends whole lines into a fixed area; a line that does not fit is left out and marks the text cut.
struct LineWriter {
    char* p;
    size_t cap;
    size_t len = 0;
    bool cut = false;

    bool fits(size_t n) const { return !cut && len + n <= cap; }
    void put(std::string_view s) {
        if (!s.empty()) { // an empty view may carry a null pointer, which memcpy must not see
            std::memcpy(p + len, s.data(), s.size());
            len += s.size();
        }
    }
    void header(std::string_view name, std::string_view value) {
        std::string_view scheme;
        const bool secret = isCredentialHeader(name);
        if (secret) {
            // Keep the scheme word so Replay knows where the credential goes.
            const size_t sp = value.find(' ');
            if (sp != std::string_view::npos && (http::equalsIgnoreCase(name, "authorization") ||
                                                 http::equalsIgnoreCase(name, "proxy-authorization"))) {
                scheme = value.substr(0, sp + 1);
            }
            value = kRedacted;
        }
        const size_t n = name.size() + 2 + scheme.size() + value.size() + 2;
        if (!fits(n)) {
            cut = true;
            return;
        }
        put(name);
        put(": ");
        put(scheme);
        put(value);
        put("\r\n");
    }
};

} // namespace

bool isCredentialHeader(std::string_view name) {
    switch (name.size()) {
    case 6:
        return http::equalsIgnoreCase(name, "cookie") || http::equalsIgnoreCase(name, kKeyParam);
    case 10:
        return http::equalsIgnoreCase(name, "set-cookie");
    case 13:
        return http::equalsIgnoreCase(name, "authorization");
    case 19:
        return http::equalsIgnoreCase(name, "proxy-authorization");
    default:
        return false;
    }
}

size_t redactTarget(std::string_view target, char* out, size_t cap) {
    size_t len = 0;
    auto put = [&](std::string_view s) {
        const size_t n = std::min(s.size(), cap - len);
        if (n > 0) {
            std::memcpy(out + len, s.data(), n);
            len += n;
        }
    };
    const size_t q = target.find('?');
    put(target.substr(0, q == std::string_view::npos ? target.size() : q + 1));
    if (q == std::string_view::npos) {
        return len;
    }
    std::string_view query = target.substr(q + 1);
    for (;;) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const size_t eq = pair.find('=');
        if (pair.substr(0, eq) == kKeyParam) {
            put(kKeyParam);
            put("=");
            put(kRedacted);
        } else {
            put(pair);
        }
        if (amp == std::string_view::npos) {
            break;
        }
        put("&");
        query = query.substr(amp + 1);
    }
    return len;
}

HeaderCaptureRing::HeaderCaptureRing() : m_slots(new CaptureSlot[kSlots]), m_enabled(&kNever) {}

CaptureSlot* HeaderCaptureRing::begin(const http::RequestHead& head) {
    CaptureSlot* slot = nullptr;
    for (size_t i = 0; i < kSearchSlots; ++i) {
        CaptureSlot& s = m_slots[(m_next + i) % kSlots];
        if (s.state.load(std::memory_order_acquire) == CaptureSlot::Free) {
            slot = &s;
            m_next = (m_next + i + 1) % kSlots;
            break;
        }
    }
    if (slot == nullptr) {
        m_dropped.store(m_dropped.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        return nullptr;
    }
    slot->state.store(CaptureSlot::Writing, std::memory_order_relaxed);
    LineWriter w{slot->text, CaptureSlot::kRequestBytes};
    constexpr std::string_view kVersion0 = " HTTP/1.0\r\n", kVersion1 = " HTTP/1.1\r\n";
    const std::string_view version = head.versionMinor == 0 ? kVersion0 : kVersion1;
    w.put(head.method.substr(0, 16));
    w.put(" ");
    const size_t room = w.cap - w.len - version.size();
    const size_t targetLen = redactTarget(head.target, w.p + w.len, room);
    w.len += targetLen;
    w.cut = targetLen == room; // a target filling its room may have been cut: say so
    w.put(version);
    for (size_t i = 0; i < head.headerCount; ++i) {
        w.header(head.headers[i].name, head.headers[i].value);
    }
    slot->requestLen = static_cast<uint32_t>(w.len);
    slot->requestCut = w.cut;
    slot->requestWire = static_cast<uint32_t>(head.headBytes);
    slot->responseLen = 0;
    slot->responseWire = 0;
    slot->responseCut = false;
    return slot;
}

void HeaderCaptureRing::addResponse(CaptureSlot& slot, std::string_view out) {
    const size_t end = out.find("\r\n\r\n");
    if (end == std::string_view::npos || out.substr(0, 5) != "HTTP/") {
        return;
    }
    slot.responseWire = static_cast<uint32_t>(end + 4);
    std::string_view rest = out.substr(0, end + 2);
    LineWriter w{slot.text + slot.requestLen, CaptureSlot::kBytes - slot.requestLen};
    bool first = true;
    while (!rest.empty()) {
        const size_t eol = rest.find("\r\n");
        const std::string_view line = rest.substr(0, eol);
        rest = rest.substr(eol + 2);
        if (first) {
            first = false;
            const std::string_view status = line.substr(0, std::min<size_t>(line.size(), 256));
            w.put(status);
            w.put("\r\n");
            continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
            continue;
        }
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
            value.remove_prefix(1);
        }
        w.header(line.substr(0, colon), value);
    }
    slot.responseLen = static_cast<uint32_t>(w.len);
    slot.responseCut = w.cut;
}

uint32_t HeaderCaptureRing::publish(CaptureSlot& slot, uint16_t& index) {
    if (++m_lastId == 0) {
        m_lastId = 1; // 0 means "no capture" in a record
    }
    slot.id = m_lastId;
    index = static_cast<uint16_t>(&slot - m_slots.get());
    slot.state.store(CaptureSlot::Published, std::memory_order_release);
    return m_lastId;
}

CaptureSlot* HeaderCaptureRing::published(uint16_t index, uint32_t id) {
    if (index >= kSlots) {
        return nullptr;
    }
    CaptureSlot& s = m_slots[index];
    if (s.state.load(std::memory_order_acquire) != CaptureSlot::Published || s.id != id) {
        return nullptr;
    }
    return &s;
}

void HeaderCaptureRing::sweep(uint32_t id) {
    for (size_t i = 0; i < kSlots; ++i) {
        CaptureSlot& s = m_slots[i];
        // Ids grow by one per publish, so the signed difference orders them across wrap-around.
        if (s.state.load(std::memory_order_acquire) == CaptureSlot::Published &&
            static_cast<int32_t>(s.id - id) <= 0) {
            release(s);
        }
    }
}

} // namespace tollgate::server
