#pragma once
// Target selection for one service, owned by one worker thread (no locking).

#include "tollgate/config.h"

#include <cstdint>
#include <span>
#include <vector>

namespace tollgate::upstream {

// The worker's view of one target while choosing.
struct TargetState {
    uint32_t active = 0; // requests in flight to it from this worker (least_conn)
    bool usable = true;  // false: ejected, unhealthy, or already tried for this request
};

class Balancer {
public:
    // weights[i] >= 1 for target i.
    Balancer(Balance kind, std::vector<int> weights);

    // Index of the chosen target, or -1 if none is usable. `hashKey` is used by consistent_hash
    // only (same key, same target while the set of usable targets is unchanged; removing a
    // target moves only its keys). Smooth weighted round robin as in nginx; least_conn picks
    // the lowest active/weight, ties broken round robin.
    int pick(std::span<const TargetState> states, uint64_t hashKey);

    size_t size() const { return m_weights.size(); }

private:
    Balance m_kind;
    std::vector<int> m_weights;
    std::vector<int> m_current; // smooth WRR state
    uint32_t m_rr = 0;
    std::vector<std::pair<uint64_t, uint32_t>> m_ring; // consistent hash: (point, target), sorted
};

// 64-bit FNV-1a, for hash keys.
uint64_t hashBytes(const void* data, size_t len, uint64_t seed = 14695981039346656037ULL);

} // namespace tollgate::upstream
