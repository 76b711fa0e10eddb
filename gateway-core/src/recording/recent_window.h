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
    // Recorder thread: under the lock, `fill(budget, next, commit)` copies up to `budget` records
    // straight into the window (next() gives the slot for the next record, commit() numbers it). At
    // most capacity() / 2 per call, so what one call added stays readable through at(). Readers see
    // them only after publish(), once they are counted. Returns the number added: seqs
    // filledSeq() - n + 1 ... filledSeq().
    template <typename Fill> size_t appendWith(Fill&& fill);
    void publish();
    uint64_t filledSeq() const { return m_filled; } // recorder thread only
    // Recorder thread (the only writer) only: a record added by the last appendWith.
    const RequestRecord& at(uint64_t seq) const { return m_slots[(seq - 1) % m_slots.size()]; }
    size_t capacity() const { return m_slots.size(); }
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
    uint64_t m_last = 0;                // seq of the newest record readers may see
    uint64_t m_filled = 0;              // seq of the newest record copied in (recorder thread)
    bool m_closed = false;
};

template <typename Fill> size_t RecentWindow::appendWith(Fill&& fill) {
    size_t added = 0;
    std::lock_guard lock(m_mutex); // readers may be copying the slots about to be reused
    const size_t cap = m_slots.size();
    fill(
        cap / 2, [&] { return &m_slots[m_filled % cap]; },
        [&] {
            m_slots[m_filled % cap].seq = m_filled + 1;
            ++m_filled;
            ++added;
        });
    return added;
}

} // namespace tollgate::recording
