#pragma once
// Request and response heads of recent exchanges, for the console's detail pane and Replay
// (docs/console.md "Traffic"). Off by default; while off a request pays one relaxed load.
// Each worker owns one ring of fixed slots allocated once: the worker claims a free slot when a
// request head is complete, writes it (credentials already redacted, so a secret never reaches
// memory kept for readers), adds the response head as sent, and publishes the slot under a
// number it stamps into the request's record. The recorder copies published slots out and frees
// them. No allocation, lock or system call on the worker; when no slot is free the exchange is
// not captured and counted as dropped.

#include "http/message.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace tollgate::server {

struct CaptureSlot {
    static constexpr size_t kBytes = 8192;        // text of one exchange, request and response heads
    static constexpr size_t kRequestBytes = 6144; // the request's share; the response gets the rest
    enum State : uint32_t { Free, Writing, Published };

    std::atomic<uint32_t> state{Free}; // Free/Published -> worker, Writing -> worker, Published -> recorder
    uint32_t id = 0;                   // the worker's publish number, 1, 2, 3...
    uint32_t requestLen = 0;           // bytes of text[0..requestLen)
    uint32_t responseLen = 0;          // bytes of text[requestLen..requestLen + responseLen)
    uint32_t requestWire = 0;          // head bytes as received
    uint32_t responseWire = 0;         // head bytes as sent (0: no answer was sent)
    bool requestCut = false;           // lines left out to stay within the bound
    bool responseCut = false;
    char text[kBytes];
};

// Lines are "name: value\r\n" after a first line (request line, status line); a redacted value
// is "[redacted]", after the scheme word for Authorization ("Bearer [redacted]").
class HeaderCaptureRing {
public:
    static constexpr size_t kSlots = 128;

    HeaderCaptureRing();

    // Captures while `flag` is true (the engine's switch, shared by every worker; workers see a
    // change on their next request). Before the worker starts.
    void follow(const std::atomic<bool>& flag) { m_enabled = &flag; }
    bool enabled() const { return m_enabled->load(std::memory_order_relaxed); }

    // Worker only. A slot holding the redacted request head, or nullptr when every slot is taken.
    CaptureSlot* begin(const http::RequestHead& head);
    // Worker only: `out` starts with the response head as written to the client.
    void addResponse(CaptureSlot& slot, std::string_view out);
    // Worker only: hands the slot to the recorder; returns its id (never 0) and index.
    uint32_t publish(CaptureSlot& slot, uint16_t& index);

    // Recorder only: the published slot `index` if it carries `id` (nullptr otherwise); the caller
    // copies it and calls release().
    CaptureSlot* published(uint16_t index, uint32_t id);
    void release(CaptureSlot& slot) { slot.state.store(CaptureSlot::Free, std::memory_order_release); }
    // Recorder only: frees published slots numbered up to `id` whose record never arrived (the
    // record ring overwrote it).
    void sweep(uint32_t id);

    // Exchanges not captured for want of a free slot. Any thread.
    uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }

private:
    std::unique_ptr<CaptureSlot[]> m_slots;
    size_t m_next = 0;     // worker: where the search for a free slot starts
    uint32_t m_lastId = 0; // worker
    std::atomic<uint64_t> m_dropped{0};
    const std::atomic<bool>* m_enabled;
};

// Credential redaction at capture, exposed for tests and the fuzzer: appends `name: value\r\n`
// with the value redacted when `name` carries a credential.
bool isCredentialHeader(std::string_view name);
// The request target with every `apikey` query value replaced by "[redacted]". Writes at most
// `cap` bytes at `out`; returns the length (cut short when it does not fit).
size_t redactTarget(std::string_view target, char* out, size_t cap);

} // namespace tollgate::server
