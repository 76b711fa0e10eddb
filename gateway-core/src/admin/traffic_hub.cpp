#include "admin/traffic_hub.h"

#include "recording/record_json.h"
#include "tollgate/engine.h"

#include <algorithm>

namespace tollgate::admin {
namespace {

constexpr size_t kBatch = 4096;

} // namespace

TrafficHub::TrafficHub(const Engine& engine, asio::io_context& io, std::chrono::milliseconds pollInterval,
                       std::chrono::milliseconds keepAliveInterval)
    : m_engine(engine), m_timer(io), m_pollInterval(pollInterval), m_keepAliveInterval(keepAliveInterval) {}

void TrafficHub::appendEvent(std::string& out, const RequestRecord& record) {
    out += "id: ";
    out += std::to_string(record.seq);
    out += "\nevent: request\ndata: ";
    recording::appendRecordJson(out, record);
    out += "\n\n";
}

void TrafficHub::skipToNewest() {
    std::vector<RequestRecord> scratch;
    for (;;) {
        scratch.clear();
        if (m_engine.recordsSince(m_cursor, scratch, kBatch) < kBatch) {
            return;
        }
    }
}

void TrafficHub::subscribe(std::shared_ptr<StreamSink> sink, std::optional<uint64_t> lastEventId) {
    if (m_stopped) {
        return;
    }
    if (m_subscribers.empty()) {
        // Nobody was listening, so the poller stood still: what happened meanwhile is history, not news.
        skipToNewest();
    } else {
        // The poller may be up to one interval behind: bring the others up to date first, so that the
        // newcomer's replay and the broadcast meet exactly at m_cursor (no record twice, none missed).
        deliverPending(false);
    }
    if (lastEventId && *lastEventId < m_cursor) {
        uint64_t cursor = *lastEventId;
        std::vector<RequestRecord> records;
        std::string bytes;
        while (cursor < m_cursor) {
            records.clear();
            if (m_engine.recordsSince(cursor, records, kBatch) == 0) {
                break;
            }
            for (const RequestRecord& r : records) {
                if (r.seq <= m_cursor) {
                    appendEvent(bytes, r);
                }
            }
        }
        if (!bytes.empty() && !sink->push(bytes)) {
            return;
        }
    }
    m_subscribers.push_back(std::move(sink));
    if (!m_polling) {
        m_polling = true;
        m_lastKeepAlive = std::chrono::steady_clock::now();
        schedule();
    }
}

void TrafficHub::stop() {
    m_stopped = true;
    m_timer.cancel();
    m_subscribers.clear();
}

void TrafficHub::schedule() {
    m_timer.expires_after(m_pollInterval);
    m_timer.async_wait([this](const asio::error_code& ec) {
        if (!ec && !m_stopped) {
            tick();
        }
    });
}

void TrafficHub::tick() {
    std::erase_if(m_subscribers, [](const auto& s) { return !s->isOpen(); });
    if (m_subscribers.empty()) {
        m_polling = false;
        return;
    }
    deliverPending(true);
    schedule();
}

bool TrafficHub::deliverPending(bool keepAliveDue) {
    std::vector<RequestRecord> records;
    std::string events;
    for (;;) {
        records.clear();
        const size_t n = m_engine.recordsSince(m_cursor, records, kBatch);
        for (const RequestRecord& r : records) {
            appendEvent(events, r);
        }
        if (n < kBatch) {
            break;
        }
    }
    const auto now = std::chrono::steady_clock::now();
    const bool keepAlive = keepAliveDue && now - m_lastKeepAlive >= m_keepAliveInterval;
    if (keepAlive) {
        m_lastKeepAlive = now;
    }
    for (const auto& s : m_subscribers) {
        if (!events.empty()) {
            s->push(events);
        } else if (keepAlive) {
            s->push(": keep-alive\n\n");
        }
    }
    std::erase_if(m_subscribers, [](const auto& s) { return !s->isOpen(); });
    return !events.empty();
}

} // namespace tollgate::admin
