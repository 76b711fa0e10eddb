#include "recording/access_log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace tollgate::recording {

AccessLog::~AccessLog() {
    if (m_fd >= 0) {
        ::close(m_fd);
    }
}

void AccessLog::setPath(const std::string& path) {
    if (path == m_path) {
        return;
    }
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    m_path = path;
    {
        std::lock_guard lock(m_mutex);
        m_sharedPath = path;
        m_error.clear();
    }
    if (!m_path.empty()) {
        openFile();
    }
}

bool AccessLog::openFile() {
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (m_fd < 0) {
        setError("cannot open " + m_path + ": " + std::strerror(errno));
        return false;
    }
    setError("");
    return true;
}

void AccessLog::setError(std::string message) {
    std::lock_guard lock(m_mutex);
    m_error = std::move(message);
}

void AccessLog::write(std::string_view lines, uint64_t records) {
    if (m_path.empty()) {
        return;
    }
    if (m_reopen.exchange(false, std::memory_order_relaxed) && m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (m_fd < 0 && !openFile()) {
        m_lost.fetch_add(records, std::memory_order_relaxed);
        return;
    }
    while (!lines.empty()) {
        const ssize_t n = ::write(m_fd, lines.data(), lines.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            setError("cannot write " + m_path + ": " + std::strerror(errno));
            m_lost.fetch_add(records, std::memory_order_relaxed);
            // Reopen next time: the file may have been replaced or the disk freed.
            ::close(m_fd);
            m_fd = -1;
            return;
        }
        lines.remove_prefix(static_cast<size_t>(n));
    }
}

std::string AccessLog::path() const {
    std::lock_guard lock(m_mutex);
    return m_sharedPath;
}

std::string AccessLog::error() const {
    std::lock_guard lock(m_mutex);
    return m_error;
}

} // namespace tollgate::recording
