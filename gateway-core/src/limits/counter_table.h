#pragma once
// Rate-limit and quota counters of every consumer, owned by the engine and kept outside snapshots:
// a reload keeps them, the store persists them. Each consumer has one cache-line-aligned slot whose
// address never changes; compiled snapshots hold pointers to slots, so a worker reaches its consumer's
// counters without a lookup or a lock. The table's own mutex guards only the name index (controller
// thread and the persister), never the data path.

#include "limits/gcra.h"

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace tollgate::limits {

// A quota counter packs the period it counts and the count in one atomic word, so that the first request
// of a new period resets it with the same compare-and-swap that counts it:
// [63:62] kind (QuotaConfig::Per) | [61:40] period index | [39:0] count.
namespace quota_word {
constexpr uint64_t kCountBits = 40;
constexpr uint64_t kCountMask = (uint64_t(1) << kCountBits) - 1;
constexpr uint64_t tag(QuotaConfig::Per per, int64_t index) {
    return (uint64_t(per) << 62) | ((uint64_t(index) & ((uint64_t(1) << 22) - 1)) << kCountBits);
}
constexpr uint64_t count(uint64_t word, uint64_t tag) {
    return (word & ~kCountMask) == tag ? word & kCountMask : 0;
}
} // namespace quota_word

struct alignas(64) ConsumerCounters {
    std::atomic<int64_t> tat[kRateUnits] = {}; // GCRA TAT per unit (unix ns); 0 = full bucket
    std::atomic<uint64_t> quotaUsed{0};        // quota_word: requests counted in the period
    std::atomic<uint64_t> quotaBonus{0};       // quota_word: extra requests granted for the period
    // Controller thread only: the limit N each TAT was written with (its interval is unit / N), to
    // retune on a plan change. 32 bits (N <= 1e9) keep the slot within one 64-byte line.
    uint32_t limit[kRateUnits] = {};
};

static_assert(sizeof(ConsumerCounters) == 64, "one cache line per consumer");

class CounterTable {
public:
    // The slot of `consumer`, created (zeroed) on first use. Controller thread or persister.
    ConsumerCounters* slot(const std::string& consumer);
    // The slot if it exists, else nullptr.
    ConsumerCounters* find(const std::string& consumer) const;
    // Calls fn(name, slot) for every slot, in creation order, under the index lock: fn must be quick and
    // must not call back into the table.
    void forEach(const std::function<void(const std::string&, ConsumerCounters&)>& fn) const;
    size_t size() const;

private:
    mutable std::mutex m_mutex;
    std::deque<ConsumerCounters> m_slots; // deque: push_back never moves existing slots
    std::deque<std::string> m_names;      // parallel to m_slots; deque: stable for forEach
    std::unordered_map<std::string, ConsumerCounters*> m_index;
};

} // namespace tollgate::limits
