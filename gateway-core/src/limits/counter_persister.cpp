#include "limits/counter_persister.h"

#include "store/store.h"

#include <map>

namespace tollgate::limits {

namespace {

const char* const kRateKinds[kRateUnits] = {"rate.second", "rate.minute", "rate.hour", "rate.day"};

int rateUnitOf(const std::string& kind) {
    for (int i = 0; i < kRateUnits; ++i) {
        if (kind == kRateKinds[i]) {
            return i;
        }
    }
    return -1;
}

// A quota word is stored as (period = its tag >> 40, value = its count).
int64_t periodOf(uint64_t word) {
    return int64_t(word >> quota_word::kCountBits);
}

uint64_t wordOf(int64_t period, int64_t count) {
    return (uint64_t(period) << quota_word::kCountBits) | (uint64_t(count) & quota_word::kCountMask);
}

// Quota rows of past periods stay for billing; these many are kept per consumer.
constexpr int kQuotaPeriodsKept = 36;

} // namespace

CounterPersister::CounterPersister(CounterTable& table, std::unique_ptr<store::Store> store,
                                   std::chrono::milliseconds interval)
    : m_table(table), m_store(std::move(store)), m_interval(interval) {}

CounterPersister::~CounterPersister() {
    stop();
}

const std::string& CounterPersister::path() const {
    return m_store->path();
}

bool CounterPersister::load(int64_t nowMicros, std::string& error) {
    std::lock_guard lock(m_mutex);
    if (m_store->pruneCounters(nowMicros, kQuotaPeriodsKept, error) < 0) {
        return false;
    }
    std::vector<store::CounterRow> rows = m_store->loadCounters(error);
    if (!error.empty()) {
        return false;
    }
    // The newest period of each quota counter is the one that may still be current.
    std::map<std::pair<std::string, std::string>, const store::CounterRow*> newest;
    for (const store::CounterRow& row : rows) {
        const int unit = rateUnitOf(row.kind);
        if (unit >= 0) {
            if (row.value > nowMicros) {
                m_table.slot(row.consumer)->tat[unit].store(row.value * 1000, std::memory_order_relaxed);
            }
        } else if (row.kind == "quota.used" || row.kind == "quota.bonus") {
            const store::CounterRow*& best = newest[{row.consumer, row.kind}];
            if (best == nullptr || row.period > best->period) {
                best = &row;
            }
        }
    }
    for (const auto& [key, row] : newest) {
        ConsumerCounters* slot = m_table.slot(key.first);
        (key.second == "quota.used" ? slot->quotaUsed : slot->quotaBonus)
            .store(wordOf(row->period, row->value), std::memory_order_relaxed);
    }
    // What is in the table now is what the store holds: nothing to write back.
    m_saved.clear();
    m_table.forEach([&](const std::string&, ConsumerCounters& c) {
        Saved s;
        for (int i = 0; i < kRateUnits; ++i) {
            s.tat[i] = c.tat[i].load(std::memory_order_relaxed);
        }
        s.used = c.quotaUsed.load(std::memory_order_relaxed);
        s.bonus = c.quotaBonus.load(std::memory_order_relaxed);
        m_saved.push_back(s);
    });
    return true;
}

bool CounterPersister::flush(std::string& error) {
    std::lock_guard lock(m_mutex);
    std::vector<store::CounterRow> rows;
    size_t index = 0;
    m_table.forEach([&](const std::string& name, ConsumerCounters& c) {
        if (index >= m_saved.size()) {
            m_saved.emplace_back(); // a new consumer: everything non-zero is a change
        }
        Saved& s = m_saved[index++];
        for (int i = 0; i < kRateUnits; ++i) {
            const int64_t tat = c.tat[i].load(std::memory_order_relaxed);
            if (tat != s.tat[i]) {
                rows.push_back({name, kRateKinds[i], 0, tat / 1000});
                s.tat[i] = tat;
            }
        }
        const uint64_t used = c.quotaUsed.load(std::memory_order_relaxed);
        if (used != s.used) {
            rows.push_back({name, "quota.used", periodOf(used), int64_t(used & quota_word::kCountMask)});
            s.used = used;
        }
        const uint64_t bonus = c.quotaBonus.load(std::memory_order_relaxed);
        if (bonus != s.bonus) {
            rows.push_back({name, "quota.bonus", periodOf(bonus), int64_t(bonus & quota_word::kCountMask)});
            s.bonus = bonus;
        }
    });
    ++m_flushes;
    if (rows.empty()) {
        return true;
    }
    if (!m_store->saveCounters(rows, error)) {
        // Forget what was not written so that the next flush tries again.
        m_saved.clear();
        m_lastError = error;
        return false;
    }
    m_lastError.clear();
    return true;
}

void CounterPersister::start() {
    m_thread = std::thread([this] { run(); });
}

void CounterPersister::run() {
    std::unique_lock lock(m_wakeMutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, m_interval, [this] { return m_stopping; });
        lock.unlock();
        std::string error;
        flush(error);
        lock.lock();
    }
}

void CounterPersister::stop() {
    {
        std::lock_guard lock(m_wakeMutex);
        if (m_stopping && !m_thread.joinable()) {
            return;
        }
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
    std::string error;
    flush(error);
}

std::string CounterPersister::lastError() const {
    std::lock_guard lock(m_mutex);
    return m_lastError;
}

uint64_t CounterPersister::flushes() const {
    std::lock_guard lock(m_mutex);
    return m_flushes;
}

} // namespace tollgate::limits
