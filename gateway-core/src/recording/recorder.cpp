#include "recording/recorder.h"

#include "recording/record_json.h"
#include "server/header_capture.h"
#include "server/telemetry.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <pthread.h>

namespace tollgate::recording {

Recorder::Recorder(std::vector<server::RecordRing*> rings, Sink sink, size_t windowCapacity,
                   std::vector<server::HeaderCaptureRing*> captures)
    : m_rings(std::move(rings)), m_sink(std::move(sink)), m_window(windowCapacity),
      m_captures(std::move(captures)), m_lastCaptureId(m_captures.size(), 0) {}

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
            m_wake.wait_for(lock, m_idle ? milliseconds(50) : milliseconds(10),
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
    // Straight from the workers' rings into the window (one copy), then counted and logged from
    // there, a window's half at a time.
    for (;;) {
        const size_t added = m_window.appendWith([this](size_t budget, auto&& next, auto&& commit) {
            for (server::RecordRing* ring : m_rings) {
                budget -= ring->drainInto(budget, next, commit);
            }
        });
        if (added == 0) {
            m_idle = true;
            return;
        }
        m_idle = false;
        process(m_window.filledSeq() - added + 1, m_window.filledSeq());
        takeCaptures(m_window.filledSeq() - added + 1, m_window.filledSeq());
        m_window.publish(); // counted before readers can see them
        if (added < m_window.capacity() / 2) {
            return;
        }
    }
}

void Recorder::process(uint64_t first, uint64_t last) {
    const bool logging = m_log.enabled();
    size_t used = 0;
    {
        std::lock_guard lock(m_tableMutex);
        for (uint64_t seq = first; seq <= last; ++seq) {
            const RequestRecord& r = m_window.at(seq);
            const std::string& identity = m_table.add(r);
            if (logging) {
                reserveLines(used + maxRecordJson(identity.size()) + 1, used);
                char* end = writeRecordJson(m_lines.get() + used, r, identity);
                *end++ = '\n';
                used = size_t(end - m_lines.get());
            }
        }
    }
    if (logging) {
        m_log.write(std::string_view(m_lines.get(), used), last - first + 1);
    }
}

void Recorder::reserveLines(size_t bytes, size_t used) {
    if (bytes <= m_linesCapacity) {
        return;
    }
    const size_t capacity = std::max(bytes, m_linesCapacity * 2);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (used > 0) {
        std::memcpy(bigger.get(), m_lines.get(), used);
    }
    m_lines = std::move(bigger);
    m_linesCapacity = capacity;
}

void Recorder::takeCaptures(uint64_t first, uint64_t last) {
    if (m_captures.empty()) {
        return;
    }
    bool any = false;
    for (uint64_t seq = first; seq <= last; ++seq) {
        const RequestRecord& r = m_window.at(seq);
        if (r.captureId == 0 || r.worker >= m_captures.size()) {
            continue;
        }
        server::HeaderCaptureRing& ring = *m_captures[r.worker];
        if (server::CaptureSlot* slot = ring.published(r.captureSlot, r.captureId)) {
            m_store.put(seq, r.unixMicros, *slot);
            ring.release(*slot);
        }
        m_lastCaptureId[r.worker] = r.captureId;
        any = true;
    }
    if (any) {
        // Slots whose record the record ring overwrote would stay taken for good.
        for (size_t w = 0; w < m_captures.size(); ++w) {
            if (m_lastCaptureId[w] != 0) {
                m_captures[w]->sweep(m_lastCaptureId[w]);
            }
        }
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
