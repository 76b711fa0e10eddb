#pragma once
// Rate limits per client address for anonymous callers of public APIs (apis[].limits_per_ip). The same
// GCRA as consumer limits, in a table keyed by (API, address) that lives in the engine, so a reload does
// not reset it. The table is split into shards, each behind its own mutex (no global lock); a shard is
// bounded: when full, entries whose buckets are full again are dropped (they carry no information), and
// if none is, the entry nearest to full. Memory stays bounded whatever addresses arrive.

#include "limits/gcra.h"

#include <array>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace tollgate::limits {

struct IpKey {
    uint64_t api = 0;      // hash of "name\0version", stable across reloads
    uint8_t addr[16] = {}; // network order; IPv4 in the first 4 bytes
    bool v6 = false;
    bool operator==(const IpKey& o) const;
};

struct IpKeyHash {
    size_t operator()(const IpKey& k) const;
};

// What a check found out, for the response headers.
struct LimitState {
    bool allowed = true;
    const RateRule* tightest = nullptr; // the rule with the fewest requests left (or the one that refused)
    uint64_t remaining = 0;
    int64_t resetSeconds = 0;
    int64_t retryAfter = 0; // refusals only
};

// Checks every rule against one set of TATs: passes only if all pass (a refusal gives back what the
// earlier rules took). `tats` is indexed by rule unit.
LimitState admitAll(std::atomic<int64_t>* tats, const RateRule* rules, int count, int64_t now);

class IpLimiter {
public:
    explicit IpLimiter(size_t maxEntries = 1 << 18);

    // Any worker thread.
    LimitState admit(const IpKey& key, const RateRule* rules, int count, int64_t now);
    size_t size() const;
    uint64_t evictions() const;

    static uint64_t apiId(const std::string& name, const std::string& version);

private:
    struct Entry {
        std::atomic<int64_t> tat[kRateUnits] = {};
        Entry() = default;
        Entry(const Entry& o) {
            for (int i = 0; i < kRateUnits; ++i) {
                tat[i].store(o.tat[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
            }
        }
        int64_t newest() const;
    };
    struct alignas(64) Shard {
        mutable std::mutex mutex;
        std::unordered_map<IpKey, Entry, IpKeyHash> entries;
        uint64_t evictions = 0;
    };
    static constexpr size_t kShards = 64;
    void makeRoom(Shard& shard, int64_t now);

    size_t m_maxPerShard;
    std::array<Shard, kShards> m_shards;
};

} // namespace tollgate::limits
