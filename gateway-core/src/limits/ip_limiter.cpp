#include "limits/ip_limiter.h"

#include <cstring>
#include <string>

namespace tollgate::limits {

bool IpKey::operator==(const IpKey& o) const {
    return api == o.api && v6 == o.v6 && std::memcmp(addr, o.addr, sizeof addr) == 0;
}

size_t IpKeyHash::operator()(const IpKey& k) const {
    // FNV-1a over the address, mixed with the API id: cheap and well spread for addresses.
    uint64_t h = 1469598103934665603ull ^ k.api;
    const int n = k.v6 ? 16 : 4;
    for (int i = 0; i < n; ++i) {
        h = (h ^ k.addr[i]) * 1099511628211ull;
    }
    return static_cast<size_t>(h ^ (h >> 29));
}

LimitState admitAll(std::atomic<int64_t>* tats, const RateRule* rules, int count, int64_t now) {
    LimitState state;
    int64_t after[kRateUnits] = {};
    for (int i = 0; i < count; ++i) {
        const RateRule& r = rules[i];
        if (!tryAdmit(tats[r.unit], now, r, after[i])) {
            for (int j = 0; j < i; ++j) {
                giveBack(tats[rules[j].unit], rules[j]);
            }
            state.allowed = false;
            state.tightest = &r;
            state.remaining = 0;
            state.resetSeconds = secondsToFull(after[i], now);
            state.retryAfter = secondsToRetry(after[i], now, r);
            return state;
        }
    }
    for (int i = 0; i < count; ++i) {
        const uint64_t left = remaining(after[i], now, rules[i]);
        if (!state.tightest || left < state.remaining) {
            state.tightest = &rules[i];
            state.remaining = left;
            state.resetSeconds = secondsToFull(after[i], now);
        }
    }
    return state;
}

IpLimiter::IpLimiter(size_t maxEntries)
    : m_maxPerShard(maxEntries / kShards < 16 ? 16 : maxEntries / kShards) {}

int64_t IpLimiter::Entry::newest() const {
    int64_t n = 0;
    for (const auto& t : tat) {
        const int64_t v = t.load(std::memory_order_relaxed);
        n = v > n ? v : n;
    }
    return n;
}

void IpLimiter::makeRoom(Shard& shard, int64_t now) {
    for (auto it = shard.entries.begin(); it != shard.entries.end();) {
        it = it->second.newest() <= now ? shard.entries.erase(it) : std::next(it);
    }
    if (shard.entries.size() < m_maxPerShard) {
        return;
    }
    // Every bucket is still draining: drop the one closest to full (it lets its owner a little early).
    auto victim = shard.entries.begin();
    for (auto it = shard.entries.begin(); it != shard.entries.end(); ++it) {
        if (it->second.newest() < victim->second.newest()) {
            victim = it;
        }
    }
    shard.entries.erase(victim);
    ++shard.evictions;
}

LimitState IpLimiter::admit(const IpKey& key, const RateRule* rules, int count, int64_t now) {
    const size_t h = IpKeyHash{}(key);
    Shard& shard = m_shards[(h >> 7) % kShards];
    std::lock_guard lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it == shard.entries.end()) {
        if (shard.entries.size() >= m_maxPerShard) {
            makeRoom(shard, now);
        }
        it = shard.entries.emplace(key, Entry{}).first;
    }
    return admitAll(it->second.tat, rules, count, now);
}

size_t IpLimiter::size() const {
    size_t n = 0;
    for (const Shard& s : m_shards) {
        std::lock_guard lock(s.mutex);
        n += s.entries.size();
    }
    return n;
}

uint64_t IpLimiter::evictions() const {
    uint64_t n = 0;
    for (const Shard& s : m_shards) {
        std::lock_guard lock(s.mutex);
        n += s.evictions;
    }
    return n;
}

uint64_t IpLimiter::apiId(const std::string& name, const std::string& version) {
    uint64_t h = 1469598103934665603ull;
    for (char c : name + '\0' + version) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    return h;
}

} // namespace tollgate::limits
