#include "recording/recent_window.h"

#include <algorithm>

namespace tollgate::recording {

RecentWindow::RecentWindow(size_t capacity) : m_slots(std::max<size_t>(capacity, 1)) {}

void RecentWindow::append(std::vector<RequestRecord>& batch) {
    if (batch.empty()) {
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        const size_t cap = m_slots.size();
        for (RequestRecord& r : batch) {
            r.seq = ++m_filled;
            m_slots[(r.seq - 1) % cap] = r;
        }
        m_last = m_filled;
    }
    m_changed.notify_all();
}

void RecentWindow::publish() {
    {
        std::lock_guard lock(m_mutex);
        if (m_last == m_filled) {
            return;
        }
        m_last = m_filled;
    }
    m_changed.notify_all();
}

void RecentWindow::close() {
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_changed.notify_all();
}

size_t RecentWindow::since(uint64_t& cursor, std::vector<RequestRecord>& out, size_t max) const {
    std::lock_guard lock(m_mutex);
    const uint64_t cap = m_slots.size();
    const uint64_t oldest = m_last > cap ? m_last - cap + 1 : 1;
    uint64_t next = std::max(cursor + 1, oldest);
    size_t n = 0;
    for (; next <= m_last && n < max; ++next) {
        const RequestRecord& r = m_slots[(next - 1) % cap];
        if (r.seq != next) {
            continue; // reused by a record not yet published, or a torn copy (see appendWith)
        }
        out.push_back(r);
        ++n;
    }
    if (next - 1 > cursor) {
        cursor = next - 1;
    }
    return n;
}

bool RecentWindow::wait(uint64_t cursor, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [&] { return m_closed || m_last > cursor; }) && m_last > cursor;
}

uint64_t RecentWindow::lastSeq() const {
    std::lock_guard lock(m_mutex);
    return m_last;
}

} // namespace tollgate::recording
