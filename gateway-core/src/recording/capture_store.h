#pragma once
// The captured heads of the last exchanges, by record seq (Engine::capturedExchange). The
// recorder copies each published capture slot here and frees the slot at once, so the workers'
// rings stay small whatever the readers do. Bounded: kCapacity exchanges of at most
// kCapturedExchangeBytes of text each (8 MiB at most), the oldest replaced first.

#include "tollgate/traffic.h"

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace tollgate::server {
struct CaptureSlot;
}

namespace tollgate::recording {

class CaptureStore {
public:
    static constexpr size_t kCapacity = 1024;

    CaptureStore();

    // Recorder thread; seqs arrive in increasing order.
    void put(uint64_t seq, int64_t unixMicros, const server::CaptureSlot& slot);
    // Any thread: the exchange of record `seq`, nullopt when it was not captured or was replaced.
    std::optional<CapturedExchange> get(uint64_t seq) const;
    // Any thread: drops everything (capture turned off: nothing is kept for readers).
    void clear();

private:
    struct Entry {
        uint64_t seq = 0; // 0: empty
        int64_t unixMicros = 0;
        std::string request;
        std::string response;
        uint32_t requestWire = 0;
        uint32_t responseWire = 0;
        bool requestCut = false;
        bool responseCut = false;
    };
    mutable std::mutex m_mutex; // guards m_entries and m_next
    std::vector<Entry> m_entries;
    size_t m_next = 0;
};

} // namespace tollgate::recording
