#include "recording/recorder.h"

#include "recording/record_json.h"
#include "server/telemetry.h"

#include <chrono>
#include <pthread.h>

namespace tollgate::recording {

Recorder::Recorder(std::vector<server::RecordRing*> rings, Sink sink, size_t windowCapacity)
    : m_rings(std::move(rings)), m_sink(std::move(sink)), m_window(windowCapacity) {
    m_batch.reserve(4096);
}

Recorder::~Recorder() {
    stop();
}

void Recorder::start() {
    if (m_thread.joinable()) {
        return;
    }
    m_stopping = false;
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "tg-recorder");
        loop();
    });
}

void Recorder::stop() {
    if (m_thread.joinable()) {
        {
            std::lock_guard lock(m_controlMutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    m_window.close();
}

void Recorder::runOnce(bool flush) {
    drain();
    if (flush) {
        flushDeltas();
    }
}

void Recorder::setAccessLogPath(const std::string& path) {
    std::lock_guard lock(m_controlMutex);
    m_pendingLogPath = path;
    m_logPathChanged = true;
}

std::string Recorder::prometheusText() const {
    std::string out;
    std::lock_guard lock(m_tableMutex);
    m_table.renderPrometheus(out);
    return out;
}

void Recorder::loop() {
    using namespace std::chrono;
    auto nextFlush = steady_clock::now() + seconds(1);
    for (;;) {
        bool stopping;
        {
            std::unique_lock lock(m_controlMutex);
            // Short naps while traffic flows keep the rings far from full; longer ones when idle.
            m_wake.wait_for(lock, m_batch.empty() ? milliseconds(50) : milliseconds(10),
                            [this] { return m_stopping; });
            stopping = m_stopping;
        }
        drain();
        if (stopping || steady_clock::now() >= nextFlush) {
            flushDeltas();
            nextFlush = steady_clock::now() + seconds(1);
        }
        if (stopping) {
            return;
        }
    }
}

void Recorder::drain() {
    {
        std::lock_guard lock(m_controlMutex);
        if (m_logPathChanged) {
            m_log.setPath(m_pendingLogPath);
            m_logPathChanged = false;
        }
    }
    m_batch.clear();
    for (server::RecordRing* ring : m_rings) {
        ring->drain([this](const RequestRecord& r) { m_batch.push_back(r); });
    }
    if (m_batch.empty()) {
        return;
    }
    {
        std::lock_guard lock(m_tableMutex);
        for (const RequestRecord& r : m_batch) {
            m_table.add(r);
        }
    }
    m_window.append(m_batch); // numbers them
    if (m_log.enabled()) {
        m_lines.clear();
        for (const RequestRecord& r : m_batch) {
            appendRecordJson(m_lines, r);
            m_lines += '\n';
        }
        m_log.write(m_lines, m_batch.size());
    }
}

void Recorder::flushDeltas() {
    std::vector<AggregateDelta> deltas;
    {
        std::lock_guard lock(m_tableMutex);
        m_table.takeDeltas(deltas);
    }
    if (!deltas.empty() && m_sink) {
        m_sink(std::move(deltas));
    }
}

} // namespace tollgate::recording
