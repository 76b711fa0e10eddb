#pragma once
// The last few thousand request records, numbered, for any number of readers (the console, the
// admin API's /traffic and its event stream). The recorder appends a batch at a time; each reader
// keeps its own cursor, so nobody drains anything away from anybody else.

#include "tollgate/traffic.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace tollgate::recording {

class RecentWindow {
public:
    explicit RecentWindow(size_t capacity);

    // Recorder thread: numbers the records (seq continues from the last batch) and wakes waiters.
    void append(std::vector<RequestRecord>& batch);
    // Wakes every waiter for good (the engine stops).
    void close();

    // Any thread: see Engine::recordsSince / waitForRecords.
    size_t since(uint64_t& cursor, std::vector<RequestRecord>& out, size_t max) const;
    bool wait(uint64_t cursor, std::chrono::milliseconds timeout) const;
    uint64_t lastSeq() const;

private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::vector<RequestRecord> m_slots; // record with seq s lives at (s - 1) % capacity
    uint64_t m_last = 0;                // seq of the newest record
    bool m_closed = false;
};

} // namespace tollgate::recording
