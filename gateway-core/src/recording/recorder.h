#pragma once
// The one place finished requests go after the workers: a thread that drains every worker's record
// ring about every 10 ms and feeds, from each record, the running totals (Prometheus), the
// per-minute aggregates (handed to the store's writer about once a second), the access log and
// the window of recent records the console and the admin API read. Workers only ever copy a
// record into their own ring.

#include "recording/access_log.h"
#include "recording/capture_store.h"
#include "recording/recent_window.h"
#include "recording/series_table.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tollgate::server {
class RecordRing;
class HeaderCaptureRing;
} // namespace tollgate::server

namespace tollgate::recording {

class Recorder {
public:
    using Sink = std::function<void(std::vector<AggregateDelta>&&)>;

    // `captures[w]` is worker w's header capture ring (none: headers are never resolved).
    Recorder(std::vector<server::RecordRing*> rings, Sink sink, size_t windowCapacity = 10'000,
             std::vector<server::HeaderCaptureRing*> captures = {});
    ~Recorder(); // stop()s
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    void start();
    // Drains what the workers left (call after they stopped), hands the last deltas to the sink,
    // closes the window for waiters, joins.
    void stop();
    // One drain on the caller's thread; only while the thread is not running (tests).
    void runOnce(bool flushDeltas);

    // Any thread; applied by the recorder thread before its next write.
    void setAccessLogPath(const std::string& path);
    void reopenAccessLog() { m_log.requestReopen(); }
    const AccessLog& accessLog() const { return m_log; }

    const RecentWindow& window() const { return m_window; }
    const CaptureStore& captures() const { return m_store; }
    CaptureStore& captures() { return m_store; }
    std::string prometheusText() const;

private:
    void loop();
    void drain();
    void flushDeltas();

    std::vector<server::RecordRing*> m_rings;
    Sink m_sink;
    RecentWindow m_window;
    AccessLog m_log;
    mutable std::mutex m_tableMutex; // the recorder writes, prometheusText() reads
    SeriesTable m_table;

    void process(uint64_t firstSeq, uint64_t lastSeq);
    // Room for `bytes` in m_lines, keeping the first `used`.
    void reserveLines(size_t bytes, size_t used);
    // The captured heads the records of this batch name, moved from the workers' slots to m_store.
    void takeCaptures(uint64_t firstSeq, uint64_t lastSeq);

    std::vector<server::HeaderCaptureRing*> m_captures;
    std::vector<uint32_t> m_lastCaptureId; // per worker, the newest capture id resolved
    CaptureStore m_store;

    bool m_idle = true;
    // The access log lines of one drain, written in place (see writeRecordJson); grows, never shrinks.
    std::unique_ptr<char[]> m_lines;
    size_t m_linesCapacity = 0;

    std::mutex m_controlMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::string m_pendingLogPath;
    bool m_logPathChanged = false;
    std::thread m_thread;
};

} // namespace tollgate::recording
