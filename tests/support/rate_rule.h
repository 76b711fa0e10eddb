#pragma once
// A compiled rate rule, as a plan's `rate_limits: [ { requests: N, per: P } ]` entry gives it, for the
// tests of the limit code. Thread safety: a plain value.

#include "limits/gcra.h"
#include "tollgate/config.h"

#include <cstdint>

namespace tollgate::test {

inline limits::RateRule rateRule(uint64_t requests, RateLimitConfig::Per per) {
    RateLimitConfig cfg;
    cfg.requests = requests;
    cfg.per = per;
    return limits::RateRule::make(cfg);
}

} // namespace tollgate::test
