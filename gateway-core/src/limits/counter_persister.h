#pragma once
// Keeps the counter table and the store in step, on its own thread: loads the persisted counters before
// the workers start, then every `interval` writes the counters that changed (one transaction), and once
// more when stopped. Workers never wait on it and never touch the disk: a kill -9 loses at most the last
// interval of counting.

#include "limits/counter_table.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tollgate::store {
class Store;
}

namespace tollgate::limits {

class CounterPersister {
public:
    CounterPersister(CounterTable& table, std::unique_ptr<store::Store> store,
                     std::chrono::milliseconds interval = std::chrono::milliseconds(250));
    ~CounterPersister(); // stop()

    // Controller thread, before start(): fills the table from the store (rate buckets still draining,
    // the newest quota period of each consumer) and prunes what no longer matters.
    bool load(int64_t nowMicros, std::string& error);
    void start();
    // Flushes a last time and joins the thread. Idempotent.
    void stop();
    // Writes what changed now (any thread; serialised with the background flush).
    bool flush(std::string& error);

    std::string lastError() const;
    uint64_t flushes() const;
    const std::string& path() const;

private:
    struct Saved {
        int64_t tat[kRateUnits] = {};
        uint64_t used = 0;
        uint64_t bonus = 0;
        int per = -1; // the kind of period last written as "quota.per" (QuotaConfig::Per), -1: none
    };
    void run();

    CounterTable& m_table;
    std::unique_ptr<store::Store> m_store;
    std::chrono::milliseconds m_interval;
    std::vector<Saved> m_saved; // parallel to the table's creation order

    mutable std::mutex m_mutex; // guards the store, m_saved, m_lastError
    std::mutex m_wakeMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
    std::string m_lastError;
    uint64_t m_flushes = 0;
};

} // namespace tollgate::limits
