#pragma once
// Tools > Simulate traffic and `tollgate --simulate RATE`: sends the plan's requests to the gateway
// at a steady rate with libcurl's multi interface (many transfers on one thread, connections kept
// alive), and every few seconds a burst from one consumer that runs into its rate limit, so the
// dashboards and the traffic table come alive within seconds. Thread safety: start/stop/counts from
// one thread (the UI's); the sending happens on the simulator's own thread.

#include "simulator/simulation_plan.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace tollgate::ui {

class TrafficSimulator {
public:
    TrafficSimulator() = default;
    ~TrafficSimulator();
    TrafficSimulator(const TrafficSimulator&) = delete;
    TrafficSimulator& operator=(const TrafficSimulator&) = delete;

    // `baseUrl` such as "http://127.0.0.1:8080". Restarts when already running.
    void start(std::string baseUrl, SimulationPlan plan, double requestsPerSecond);
    void stop();
    bool running() const { return m_thread.joinable(); }

    struct Counts {
        uint64_t sent = 0;
        uint64_t success = 0;      // 2xx and 3xx
        uint64_t clientErrors = 0; // 4xx
        uint64_t serverErrors = 0; // 5xx
        uint64_t failed = 0;       // no answer (connection refused, timeout)
    };
    Counts counts() const;

private:
    void run(std::string baseUrl, SimulationPlan plan, double rate);

    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<uint64_t> m_sent{0};
    std::atomic<uint64_t> m_success{0};
    std::atomic<uint64_t> m_clientErrors{0};
    std::atomic<uint64_t> m_serverErrors{0};
    std::atomic<uint64_t> m_failed{0};
};

} // namespace tollgate::ui
