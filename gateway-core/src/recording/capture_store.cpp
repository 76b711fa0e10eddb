#include "recording/capture_store.h"

#include "server/header_capture.h"

#include <string_view>

namespace tollgate::recording {
namespace {

// "first line\r\nname: value\r\n..." (as written by server::HeaderCaptureRing).
void parseHead(std::string_view text, std::string& first, std::vector<HeaderLine>& headers) {
    bool isFirst = true;
    while (!text.empty()) {
        const size_t eol = text.find("\r\n");
        const std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 2);
        if (isFirst) {
            first.assign(line);
            isFirst = false;
            continue;
        }
        const size_t colon = line.find(": ");
        if (colon == std::string_view::npos) {
            continue;
        }
        headers.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 2))});
    }
}

} // namespace

CaptureStore::CaptureStore() : m_entries(kCapacity) {}

void CaptureStore::put(uint64_t seq, int64_t unixMicros, const server::CaptureSlot& slot) {
    std::lock_guard lock(m_mutex);
    Entry& e = m_entries[m_next];
    m_next = (m_next + 1) % m_entries.size();
    e.seq = seq;
    e.unixMicros = unixMicros;
    e.request.assign(slot.text, slot.requestLen);
    e.response.assign(slot.text + slot.requestLen, slot.responseLen);
    e.requestWire = slot.requestWire;
    e.responseWire = slot.responseWire;
    e.requestCut = slot.requestCut;
    e.responseCut = slot.responseCut;
}

std::optional<CapturedExchange> CaptureStore::get(uint64_t seq) const {
    if (seq == 0) {
        return std::nullopt;
    }
    CapturedExchange x;
    {
        std::lock_guard lock(m_mutex);
        const Entry* found = nullptr;
        for (const Entry& e : m_entries) {
            if (e.seq == seq) {
                found = &e;
                break;
            }
        }
        if (found == nullptr) {
            return std::nullopt;
        }
        x.seq = seq;
        x.unixMicros = found->unixMicros;
        parseHead(found->request, x.requestLine, x.requestHeaders);
        parseHead(found->response, x.statusLine, x.responseHeaders);
        x.requestHeadBytes = found->requestWire;
        x.responseHeadBytes = found->responseWire;
        x.requestCut = found->requestCut;
        x.responseCut = found->responseCut;
    }
    return x;
}

void CaptureStore::clear() {
    std::lock_guard lock(m_mutex);
    for (Entry& e : m_entries) {
        e.seq = 0;
        std::string().swap(e.request);
        std::string().swap(e.response);
    }
    m_next = 0;
}

} // namespace tollgate::recording
