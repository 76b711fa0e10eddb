#include "recording/aggregate_writer.h"

#include "store/store.h"

#include <chrono>
#include <pthread.h>

namespace tollgate::recording {

namespace {

constexpr auto kFlushInterval = std::chrono::seconds(1);
constexpr auto kPruneInterval = std::chrono::hours(1);

struct PendingKey {
    int64_t minute = 0;
    SeriesKey key;
    bool operator==(const PendingKey&) const = default;
};

struct PendingKeyHash {
    size_t operator()(const PendingKey& k) const noexcept {
        return SeriesKeyHash{}(k.key) ^ (std::hash<int64_t>{}(k.minute) * 0x9e3779b97f4a7c15ULL);
    }
};

using Pending = std::unordered_map<PendingKey, AggregateDelta, PendingKeyHash>;

void mergeInto(Pending& pending, AggregateDelta&& d) {
    auto [it, inserted] = pending.try_emplace(PendingKey{d.minute, d.key});
    if (inserted) {
        it->second = std::move(d);
        return;
    }
    AggregateDelta& into = it->second;
    into.requests += d.requests;
    into.bytesIn += d.bytesIn;
    into.bytesOut += d.bytesOut;
    into.upstreamMicros += d.upstreamMicros;
    into.latency.merge(d.latency);
}

int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

struct AggregateWriter::Impl {
    std::unique_ptr<store::Store> store;

    mutable std::mutex pendingMutex; // guards pending, retention, status
    Pending pending;
    RetentionConfig retention;
    WriterStatus status;

    std::mutex flushMutex; // guards store: one flush or prune at a time (the thread, flushNow, stop)

    std::mutex wakeMutex; // guards stopping, started
    std::condition_variable wake;
    bool stopping = false;
    bool started = false;
    std::thread thread;

    bool flush(std::string& error) {
        std::lock_guard flushLock(flushMutex);
        Pending batch;
        {
            std::lock_guard lock(pendingMutex);
            batch.swap(pending);
        }
        if (batch.empty()) {
            return true;
        }
        if (!store) {
            error = "aggregate writer: no store";
        }
        std::vector<AggregateDelta> deltas;
        deltas.reserve(batch.size());
        for (auto& [key, delta] : batch) {
            deltas.push_back(std::move(delta));
        }
        // Outside pendingMutex: submit() goes on filling a fresh map while the disk is busy.
        const bool ok = store && store->addUsage(deltas, error);
        std::lock_guard lock(pendingMutex);
        if (ok) {
            ++status.flushes;
            status.lastError.clear();
        } else {
            // Nothing of this batch reached the file (one transaction): it goes back, newer deltas on top.
            for (AggregateDelta& d : deltas) {
                mergeInto(pending, std::move(d));
            }
            ++status.failures;
            status.lastError = error;
            status.lastErrorUnix = unixNow();
        }
        status.pendingSeries = pending.size();
        return ok;
    }

    void prune() {
        std::lock_guard flushLock(flushMutex);
        RetentionConfig kept;
        {
            std::lock_guard lock(pendingMutex);
            kept = retention;
        }
        std::string error;
        if (store && store->pruneUsage(unixNow(), kept, error) < 0) {
            std::lock_guard lock(pendingMutex);
            ++status.failures;
            status.lastError = error;
            status.lastErrorUnix = unixNow();
        }
    }

    void run() {
        prune();
        auto lastPrune = std::chrono::steady_clock::now();
        std::unique_lock lock(wakeMutex);
        while (!stopping) {
            wake.wait_for(lock, kFlushInterval, [this] { return stopping; });
            if (stopping) {
                break; // stop() makes the last attempt
            }
            lock.unlock();
            std::string error;
            flush(error);
            if (std::chrono::steady_clock::now() - lastPrune >= kPruneInterval) {
                prune();
                lastPrune = std::chrono::steady_clock::now();
            }
            lock.lock();
        }
    }
};

AggregateWriter::AggregateWriter(std::unique_ptr<store::Store> store, RetentionConfig retention)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->store = std::move(store);
    m_impl->retention = retention;
}

AggregateWriter::~AggregateWriter() {
    stop();
}

void AggregateWriter::start() {
    std::lock_guard lock(m_impl->wakeMutex);
    if (m_impl->started || m_impl->stopping) {
        return;
    }
    m_impl->started = true;
    m_impl->thread = std::thread([impl = m_impl.get()] {
        pthread_setname_np(pthread_self(), "tg-aggregates");
        impl->run();
    });
}

void AggregateWriter::stop() {
    {
        std::lock_guard lock(m_impl->wakeMutex);
        if (m_impl->stopping) {
            return;
        }
        m_impl->stopping = true;
    }
    m_impl->wake.notify_all();
    if (m_impl->thread.joinable()) {
        m_impl->thread.join();
    }
    std::string error;
    m_impl->flush(error);
}

void AggregateWriter::submit(std::vector<AggregateDelta>&& deltas) {
    std::lock_guard lock(m_impl->pendingMutex);
    for (AggregateDelta& d : deltas) {
        mergeInto(m_impl->pending, std::move(d));
    }
    m_impl->status.pendingSeries = m_impl->pending.size();
}

void AggregateWriter::setRetention(RetentionConfig retention) {
    std::lock_guard lock(m_impl->pendingMutex);
    m_impl->retention = retention;
}

WriterStatus AggregateWriter::status() const {
    std::lock_guard lock(m_impl->pendingMutex);
    return m_impl->status;
}

bool AggregateWriter::flushNow(std::string& error) {
    return m_impl->flush(error);
}

} // namespace tollgate::recording
