#include "upstream/health_checker.h"

#include <curl/curl.h>
#include <pthread.h>

#include <algorithm>
#include <map>
#include <mutex>

namespace tollgate::upstream {

namespace {

using SteadyClock = std::chrono::steady_clock;

// Longest sleep between looks at the schedule: a reload wakes the thread anyway, this only bounds
// the damage of a missed wake-up.
constexpr auto kMaxSleep = std::chrono::milliseconds(1000);

int64_t unixSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Bodies are not looked at; the status is the verdict.
size_t discard(char*, size_t size, size_t count, void*) {
    return size * count;
}

void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct InFlight {
    uint64_t id = 0;
    char errbuf[CURL_ERROR_SIZE] = {};
};

CURL* makeProbe(const HealthProbe& p) {
    CURL* h = curl_easy_init();
    if (h == nullptr) {
        return nullptr;
    }
    curl_easy_setopt(h, CURLOPT_URL, p.url.c_str());
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(std::max<int64_t>(1, p.timeout.count())));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(std::max<int64_t>(1, p.connectTimeout.count())));
    curl_easy_setopt(h, CURLOPT_USERAGENT, "tollgate-health/" TOLLGATE_VERSION);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    if (!p.caFile.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, p.caFile.c_str());
    }
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, p.verify ? 1L : 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, p.verify ? 2L : 0L);
    return h;
}

// Short words for the log line ("down (3 failures: connection refused)"), curl's text otherwise.
ProbeOutcome outcomeOf(CURL* h, CURLcode rc, const InFlight& slot) {
    ProbeOutcome o;
    curl_off_t micros = 0;
    curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &micros);
    o.latencyMicros = int64_t(micros);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CURLE_OK) {
        o.ok = status >= 200 && status < 400;
        if (!o.ok) {
            o.error = "status " + std::to_string(status);
        }
        return o;
    }
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        o.error = "connection refused";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        o.error = "timeout";
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        o.error = "cannot resolve host";
        break;
    default:
        o.error = slot.errbuf[0] != '\0' ? slot.errbuf : curl_easy_strerror(rc);
    }
    return o;
}

} // namespace

HealthChecker::HealthChecker() {
    initCurlOnce();
    m_multi = curl_multi_init();
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "tg-health");
        run();
    });
}

HealthChecker::~HealthChecker() {
    m_stopping.store(true);
    wake();
    m_thread.join();
    curl_multi_cleanup(static_cast<CURLM*>(m_multi));
}

void HealthChecker::wake() {
    if (m_multi != nullptr) {
        curl_multi_wakeup(static_cast<CURLM*>(m_multi));
    }
}

void HealthChecker::run() {
    auto* multi = static_cast<CURLM*>(m_multi);
    if (multi == nullptr) {
        return;
    }
    // Owned by this thread only; a node's address is stable, so curl may keep a pointer to it.
    std::map<CURL*, InFlight> inFlight;
    while (!m_stopping.load()) {
        auto now = SteadyClock::now();
        for (const HealthProbe& p : m_table.takeDue(now)) {
            CURL* h = makeProbe(p);
            if (h == nullptr) {
                m_table.record(p.id, {false, "cannot create a transfer", 0}, now, unixSeconds());
                continue;
            }
            auto& stored = inFlight[h];
            stored.id = p.id;
            curl_easy_setopt(h, CURLOPT_ERRORBUFFER, stored.errbuf);
            curl_multi_add_handle(multi, h);
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            CURL* h = msg->easy_handle;
            const auto it = inFlight.find(h);
            if (it != inFlight.end()) {
                const ProbeOutcome o = outcomeOf(h, msg->data.result, it->second);
                m_table.record(it->second.id, o, SteadyClock::now(), unixSeconds());
                inFlight.erase(it);
            }
            curl_multi_remove_handle(multi, h);
            curl_easy_cleanup(h);
        }
        now = SteadyClock::now();
        const auto next = m_table.nextDue();
        auto sleep = kMaxSleep;
        if (next <= now) {
            sleep = std::chrono::milliseconds(0);
        } else if (next - now < sleep) {
            sleep = std::chrono::ceil<std::chrono::milliseconds>(next - now);
        }
        if (running > 0 || sleep.count() > 0) {
            curl_multi_poll(multi, nullptr, 0, int(sleep.count()), nullptr);
        }
    }
    for (auto& [h, slot] : inFlight) {
        curl_multi_remove_handle(multi, h);
        curl_easy_cleanup(h);
    }
}

} // namespace tollgate::upstream
