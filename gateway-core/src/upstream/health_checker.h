#pragma once
// Runs the probes of a HealthTable on one background thread ("tg-health"), all of them at once through
// one libcurl multi handle, never on a worker. A probe is an HTTP GET of the target's health path:
// 2xx and 3xx count as success; a refused connection, a timeout or any other status as failure.
// https targets are verified per services[].tls (ca file, verify).
// Thread safety: every method may be called from any thread.

#include "upstream/health_table.h"

#include <atomic>
#include <thread>

namespace tollgate::upstream {

class HealthChecker {
public:
    HealthChecker();  // starts the thread; it sleeps until a config with health checks is applied
    ~HealthChecker(); // stops it; probes in flight are abandoned
    HealthChecker(const HealthChecker&) = delete;
    HealthChecker& operator=(const HealthChecker&) = delete;

    HealthTable& table() { return m_table; }
    const HealthTable& table() const { return m_table; }
    // After table().setServices(): probe new targets now rather than at the next wake-up.
    void wake();

private:
    void run();

    HealthTable m_table;
    std::atomic<bool> m_stopping{false};
    void* m_multi = nullptr; // CURLM*, kept out of this header
    std::thread m_thread;
};

} // namespace tollgate::upstream
