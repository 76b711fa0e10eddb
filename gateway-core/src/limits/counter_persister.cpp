#include "limits/counter_persister.h"

#include "limits/quota_period.h"
#include "store/store.h"

#include <map>
#include <pthread.h>

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

// A quota word is stored as one row per kind of period, "quota.used.month" (or .day, .week; the same for
// "quota.bonus"), with the period index and the count, so that periods are compared (and pruned) only
// with periods of the same kind. "quota.per" (period 0) names the kind the slot counted last: after a
// plan change from months to weeks both kinds have rows, and only the marker tells which one is current.
constexpr const char* kQuotaPer = "quota.per";
constexpr uint64_t kIndexMask = (uint64_t(1) << 22) - 1;

QuotaConfig::Per perOf(uint64_t word) {
    return QuotaConfig::Per(word >> 62);
}

int64_t indexOf(uint64_t word) {
    return int64_t((word >> quota_word::kCountBits) & kIndexMask);
}

std::string quotaKind(const char* counter, QuotaConfig::Per per) {
    return std::string(counter) + "." + periodName(per);
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
    // The kind of period each consumer counted last, then the newest period of that kind: the one that
    // may still be current.
    std::map<std::string, QuotaConfig::Per> kinds;
    for (const store::CounterRow& row : rows) {
        if (row.kind == kQuotaPer && row.value >= 0 && row.value <= int64_t(QuotaConfig::Per::Month)) {
            kinds[row.consumer] = QuotaConfig::Per(row.value);
        }
    }
    std::map<std::pair<std::string, bool>, const store::CounterRow*> newest; // (consumer, bonus)
    for (const store::CounterRow& row : rows) {
        const int unit = rateUnitOf(row.kind);
        if (unit >= 0) {
            if (row.value > nowMicros) {
                m_table.slot(row.consumer)->tat[unit].store(row.value * 1000, std::memory_order_relaxed);
            }
            continue;
        }
        const auto kind = kinds.find(row.consumer);
        if (kind == kinds.end()) {
            continue;
        }
        const bool used = row.kind == quotaKind("quota.used", kind->second);
        if (used || row.kind == quotaKind("quota.bonus", kind->second)) {
            const store::CounterRow*& best = newest[{row.consumer, !used}];
            if (best == nullptr || row.period > best->period) {
                best = &row;
            }
        }
    }
    for (const auto& [key, row] : newest) {
        ConsumerCounters* slot = m_table.slot(key.first);
        const uint64_t word =
            quota_word::tag(kinds[key.first], row->period) | (uint64_t(row->value) & quota_word::kCountMask);
        (key.second ? slot->quotaBonus : slot->quotaUsed).store(word, std::memory_order_relaxed);
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
        if (s.used != 0 || s.bonus != 0) {
            s.per = int(perOf(s.used != 0 ? s.used : s.bonus));
        }
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
        const auto quotaRow = [&](uint64_t word, const char* counter) {
            if (int(perOf(word)) != s.per) {
                s.per = int(perOf(word));
                rows.push_back({name, kQuotaPer, 0, s.per});
            }
            rows.push_back({name, quotaKind(counter, perOf(word)), indexOf(word),
                            int64_t(word & quota_word::kCountMask)});
        };
        // The count last, so that its kind of period is the marker when both changed.
        const uint64_t bonus = c.quotaBonus.load(std::memory_order_relaxed);
        if (bonus != s.bonus) {
            quotaRow(bonus, "quota.bonus");
            s.bonus = bonus;
        }
        const uint64_t used = c.quotaUsed.load(std::memory_order_relaxed);
        if (used != s.used) {
            quotaRow(used, "quota.used");
            s.used = used;
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
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "tg-counters");
        run();
    });
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
