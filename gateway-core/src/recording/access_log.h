#pragma once
// gateway.access_log: one JSON object per line, appended by the recorder thread in batches (one
// write per batch, never on a worker). reopen() is how log rotation works: logrotate renames the
// file, then SIGUSR1 makes the next batch go to a fresh file at the configured path.

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>

namespace tollgate::recording {

class AccessLog {
public:
    AccessLog() = default;
    ~AccessLog();
    AccessLog(const AccessLog&) = delete;
    AccessLog& operator=(const AccessLog&) = delete;

    // Recorder thread. An empty path turns the log off. A failure is kept in error() and retried
    // on the next write.
    void setPath(const std::string& path);
    // Writes whole lines; on a short write or an error the batch is dropped and counted, never
    // retried forever (a full disk must not grow memory without bound).
    void write(std::string_view lines, uint64_t records);
    bool enabled() const { return !m_path.empty(); }

    // Any thread: the next write reopens the file.
    void requestReopen() { m_reopen.store(true, std::memory_order_relaxed); }

    // Any thread.
    std::string path() const;
    std::string error() const;
    uint64_t recordsLost() const { return m_lost.load(std::memory_order_relaxed); }

private:
    bool openFile();
    void setError(std::string message);

    std::string m_path;
    int m_fd = -1;
    std::atomic<bool> m_reopen{false};
    std::atomic<uint64_t> m_lost{0};
    mutable std::mutex m_mutex; // guards m_error and the copy of the path other threads read
    std::string m_error;
    std::string m_sharedPath;
};

} // namespace tollgate::recording
