#pragma once
// A clock the test moves by hand, in unix nanoseconds (what the limit code counts in). It starts at
// 2027-01-31T23:59:00Z, a Sunday one minute before a new UTC day, ISO week and month all begin, so a
// test can cross every quota boundary with one advance(1min). Thread safety: plain value.

#include <chrono>
#include <cstdint>

namespace tollgate::test {

struct FakeClock {
    // 2027-01-31T23:59:00Z.
    static constexpr int64_t kStartUnixSeconds = 1'801'439'940;

    int64_t nowNs = kStartUnixSeconds * 1'000'000'000;

    void advance(std::chrono::nanoseconds d) { nowNs += d.count(); }
    // Moves to a given unix second (a date chosen by the test).
    void setUnixSeconds(int64_t s) { nowNs = s * 1'000'000'000; }
    int64_t unixNanos() const { return nowNs; }
    int64_t unixMicros() const { return nowNs / 1'000; }
    int64_t unixSeconds() const { return nowNs / 1'000'000'000; }
};

} // namespace tollgate::test
