#pragma once
// Writes consumption aggregates to the SQLite store on its own thread, never on a worker's.
// The recorder submits per-minute deltas; about once a second the writer adds everything pending to
// the minute, hour and day tables in one transaction (so a kill -9 loses at most the last second),
// and about once an hour it deletes rows past their retention. A failed write (full disk, database
// locked by another process) keeps the pending deltas, merges newer ones into them, reports the error
// and retries on the next tick: traffic never waits for the store, and nothing is counted twice.

#include "recording/series.h"
#include "tollgate/config.h"

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace tollgate::store {
class Store;
}

namespace tollgate::recording {

struct WriterStatus {
    uint64_t flushes = 0;       // committed transactions
    uint64_t failures = 0;      // failed attempts (each retried)
    uint64_t pendingSeries = 0; // deltas waiting for the next flush
    std::string lastError;      // empty once a flush succeeded again
    int64_t lastErrorUnix = 0;
};

class AggregateWriter {
public:
    // `store` is this writer's own connection (opened on the store's path).
    AggregateWriter(std::unique_ptr<store::Store> store, RetentionConfig retention);
    ~AggregateWriter(); // stop()s
    AggregateWriter(const AggregateWriter&) = delete;
    AggregateWriter& operator=(const AggregateWriter&) = delete;

    void start();
    // Flushes what is pending (one last attempt) and joins the thread.
    void stop();

    // Any thread; never waits for the disk (a short mutex around merging into the pending map).
    void submit(std::vector<AggregateDelta>&& deltas);
    void setRetention(RetentionConfig retention);
    WriterStatus status() const;
    // Flushes now on the caller's thread (tests, and stop()). Returns false with the error.
    bool flushNow(std::string& error);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace tollgate::recording
