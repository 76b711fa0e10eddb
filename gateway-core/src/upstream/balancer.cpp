#include "upstream/balancer.h"

#include <algorithm>
#include <string>

namespace tollgate::upstream {

namespace {

// Points per unit of weight on the consistent-hash ring: enough that removing one of a handful of
// targets moves close to 1/n of the keys.
constexpr int kPointsPerWeight = 160;

// FNV-1a of short, similar strings ("3-17", "client-42") leaves the top bits poorly mixed, and
// the ring is ordered by the top bits: measured over 10,000 keys and 5 equal targets, one target
// got 44%. Ring points and lookup keys both go through this bijective finaliser (MurmurHash3's
// fmix64), which keeps "same key, same target" and spreads them evenly (19-21% each).
constexpr uint64_t mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

} // namespace

uint64_t hashBytes(const void* data, size_t len, uint64_t seed) {
    const auto* p = static_cast<const unsigned char*>(data);
    uint64_t h = seed;
    for (size_t i = 0; i < len; ++i) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

Balancer::Balancer(Balance kind, std::vector<int> weights)
    : m_kind(kind), m_weights(std::move(weights)), m_current(m_weights.size(), 0) {
    for (int& w : m_weights) {
        w = std::max(w, 1); // precondition says >= 1; a zero would stall smooth WRR
    }
    if (m_kind != Balance::ConsistentHash) {
        return;
    }
    size_t points = 0;
    for (int w : m_weights) {
        points += static_cast<size_t>(w) * kPointsPerWeight;
    }
    m_ring.reserve(points);
    std::string point;
    for (size_t i = 0; i < m_weights.size(); ++i) {
        // "i-j": a target keeps its points whatever happens to the others.
        const std::string prefix = std::to_string(i) + '-';
        const int n = m_weights[i] * kPointsPerWeight;
        for (int j = 0; j < n; ++j) {
            point = prefix;
            point += std::to_string(j);
            m_ring.emplace_back(mix(hashBytes(point.data(), point.size())), static_cast<uint32_t>(i));
        }
    }
    std::sort(m_ring.begin(), m_ring.end());
}

int Balancer::pick(std::span<const TargetState> states, uint64_t hashKey) {
    // Targets beyond `states` count as unusable.
    const size_t n = std::min(m_weights.size(), states.size());
    if (n == 0) {
        return -1;
    }

    switch (m_kind) {
    case Balance::RoundRobin: {
        // nginx's smooth weighted round robin: every usable target gains its weight, the richest
        // is chosen and pays the total back. Spreads a heavy target's turns (5,1,1: a a b a c a a).
        int best = -1;
        int64_t total = 0;
        for (size_t i = 0; i < n; ++i) {
            if (!states[i].usable) {
                continue;
            }
            m_current[i] += m_weights[i];
            total += m_weights[i];
            if (best < 0 || m_current[i] > m_current[static_cast<size_t>(best)]) {
                best = static_cast<int>(i);
            }
        }
        if (best >= 0) {
            m_current[static_cast<size_t>(best)] -= static_cast<int>(total);
        }
        return best;
    }

    case Balance::LeastConn: {
        // Lowest active/weight, compared as a.active * b.weight < b.active * a.weight. Scanning
        // from the round-robin cursor and keeping the first of equals rotates ties.
        int best = -1;
        const size_t start = m_rr % n;
        for (size_t k = 0; k < n; ++k) {
            const size_t i = (start + k) % n;
            if (!states[i].usable) {
                continue;
            }
            if (best < 0) {
                best = static_cast<int>(i);
                continue;
            }
            const auto b = static_cast<size_t>(best);
            const uint64_t lhs = uint64_t{states[i].active} * static_cast<uint64_t>(m_weights[b]);
            const uint64_t rhs = uint64_t{states[b].active} * static_cast<uint64_t>(m_weights[i]);
            if (lhs < rhs) {
                best = static_cast<int>(i);
            }
        }
        if (best >= 0) {
            m_rr = static_cast<uint32_t>(best) + 1;
        }
        return best;
    }

    case Balance::ConsistentHash: {
        bool any = false;
        for (size_t i = 0; i < n && !any; ++i) {
            any = states[i].usable;
        }
        if (!any || m_ring.empty()) {
            return -1;
        }
        auto it =
            std::lower_bound(m_ring.begin(), m_ring.end(), mix(hashKey),
                             [](const std::pair<uint64_t, uint32_t>& e, uint64_t k) { return e.first < k; });
        // Walk clockwise to the first usable target; one exists, so this ends within one lap.
        for (size_t step = 0; step < m_ring.size(); ++step, ++it) {
            if (it == m_ring.end()) {
                it = m_ring.begin();
            }
            if (it->second < n && states[it->second].usable) {
                return static_cast<int>(it->second);
            }
        }
        return -1;
    }
    }
    return -1;
}

} // namespace tollgate::upstream
