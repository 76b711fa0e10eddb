#include "stages/authn_jwt/jwks_cache.h"

#include <curl/curl.h>
#include <pthread.h>

namespace tollgate::stages {

namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now().time_since_epoch())
        .count();
}

struct Transfer {
    std::string body;
    size_t maxBytes = 0;
    bool tooLarge = false;
    const std::atomic<bool>* stopping = nullptr;
};

size_t onData(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const size_t n = size * count;
    if (t->body.size() + n > t->maxBytes) {
        t->tooLarge = true;
        return 0; // aborts the transfer
    }
    t->body.append(data, n);
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<Transfer*>(user)->stopping->load(std::memory_order_relaxed) ? 1 : 0;
}

void initCurlOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

} // namespace

JwksCache::JwksCache() : JwksCache(Options{}) {}

JwksCache::JwksCache(Options options) : m_options(options) {
    initCurlOnce();
    m_thread = std::thread([this] {
        pthread_setname_np(pthread_self(), "tg-jwks");
        run();
    });
}

JwksCache::~JwksCache() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_stopping.store(true);
    m_wake.notify_all();
    m_thread.join();
}

void JwksCache::setUrls(std::vector<std::string> urls) {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::map<std::string, std::shared_ptr<Source>> next;
    for (std::string& url : urls) {
        auto it = m_sources.find(url);
        if (it != m_sources.end()) {
            next.emplace(url, it->second);
        } else if (!next.count(url)) {
            next.emplace(url, std::make_shared<Source>(url)); // m_due in the past: fetched now
        }
    }
    m_sources.swap(next);
    m_wake.notify_all();
}

std::shared_ptr<JwksCache::Source> JwksCache::source(const std::string& url) {
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& slot = m_sources[url];
    if (!slot) {
        slot = std::make_shared<Source>(url);
        m_wake.notify_all();
    }
    return slot;
}

std::shared_ptr<const KeySet> JwksCache::keys(const std::string& url) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_sources.find(url);
    return it == m_sources.end() ? nullptr : it->second->keys();
}

std::string JwksCache::lastError(const std::string& url) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_sources.find(url);
    return it == m_sources.end() ? std::string() : it->second->m_lastError;
}

void JwksCache::requestRefresh(const std::string& url) {
    std::shared_ptr<Source> s;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto it = m_sources.find(url);
        if (it == m_sources.end()) {
            return;
        }
        s = it->second;
    }
    requestRefresh(*s);
}

void JwksCache::requestRefresh(Source& source) {
    // Lock-free rate limit first: a flood of unknown kids costs one atomic load each.
    const int64_t now = nowNs();
    const int64_t minGap =
        std::chrono::duration_cast<std::chrono::nanoseconds>(m_options.minRefreshInterval).count();
    int64_t last = source.m_lastAttemptNs.load(std::memory_order_relaxed);
    if (now - last < minGap || !source.m_lastAttemptNs.compare_exchange_strong(last, now)) {
        return;
    }
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        source.m_due = SteadyClock::time_point{}; // due now
    }
    m_wake.notify_all();
}

void JwksCache::run() {
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stop) {
        const auto now = SteadyClock::now();
        std::shared_ptr<Source> due;
        auto next = SteadyClock::time_point::max();
        for (auto& [url, s] : m_sources) {
            if (s->m_due <= now) {
                due = s;
                break;
            }
            next = std::min(next, s->m_due);
        }
        if (!due) {
            if (next == SteadyClock::time_point::max()) {
                m_wake.wait(lock);
            } else {
                m_wake.wait_until(lock, next);
            }
            continue;
        }
        due->m_due = SteadyClock::time_point::max(); // a requestRefresh during the fetch lowers it
        lock.unlock();
        fetch(*due);
        lock.lock();
    }
}

void JwksCache::fetch(Source& source) {
    source.m_lastAttemptNs.store(nowNs());
    source.m_fetches.fetch_add(1, std::memory_order_relaxed);
    Transfer t;
    t.maxBytes = m_options.maxBodyBytes;
    t.stopping = &m_stopping;
    std::string error;
    CURL* h = curl_easy_init();
    if (h == nullptr) {
        error = "cannot create a transfer";
    } else {
        char errbuf[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(h, CURLOPT_URL, source.m_url.c_str());
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, long(m_options.connectTimeout.count()));
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, long(m_options.totalTimeout.count()));
        curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(m_options.maxBodyBytes));
        curl_easy_setopt(h, CURLOPT_USERAGENT, "tollgate-jwks/" TOLLGATE_VERSION);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, onData);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
        const CURLcode rc = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(h);
        if (t.tooLarge || rc == CURLE_FILESIZE_EXCEEDED) {
            error = "JWKS larger than " + std::to_string(m_options.maxBodyBytes) + " bytes";
        } else if (rc != CURLE_OK) {
            error = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
        } else if (status != 200) {
            error = "HTTP status " + std::to_string(status);
        }
    }
    auto set = std::make_shared<KeySet>();
    if (error.empty() && jwt::parseJwks(t.body, *set, error)) {
        source.m_keys.store(std::move(set), std::memory_order_release);
    } else {
        source.m_failures.fetch_add(1, std::memory_order_relaxed);
        if (error.empty()) {
            error = "invalid JWKS";
        }
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    source.m_lastError = error.empty() ? std::string() : source.m_url + ": " + error;
    if (source.m_due == SteadyClock::time_point::max()) {
        source.m_due =
            SteadyClock::now() + (error.empty() ? m_options.refreshInterval : m_options.minRefreshInterval);
    }
}

} // namespace tollgate::stages
