#pragma once
// Keys fetched from JWKS URLs, kept fresh by one background thread (libcurl), read by workers
// without locks. Owned by the Engine and outliving every snapshot.
// - A URL is fetched when it first appears, then every refreshInterval; a failed fetch keeps the
//   last good set and is retried after minRefreshInterval.
// - requestRefresh (a token with an unknown kid) wakes the fetcher at most once per
//   minRefreshInterval per URL; it never blocks on the network.
// - Limits per fetch: connect 2 s, total 5 s, body 1 MiB, http/https only, no redirects.
// Thread safety: every method may be called from any thread; keys()/Source::keys() are cheap.

#include "stages/authn_jwt/jwk.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tollgate::stages {

class JwksCache {
public:
    struct Options {
        std::chrono::milliseconds refreshInterval{10 * 60 * 1000};
        std::chrono::milliseconds minRefreshInterval{60 * 1000};
        std::chrono::milliseconds connectTimeout{2000};
        std::chrono::milliseconds totalTimeout{5000};
        size_t maxBodyBytes = 1024 * 1024;
    };

    // One URL's keys; stages keep a shared_ptr to it and read it per request.
    class Source {
    public:
        explicit Source(std::string url) : m_url(std::move(url)) {}
        const std::string& url() const { return m_url; }
        // The last good key set (nullptr before the first successful fetch). Lock-free.
        std::shared_ptr<const KeySet> keys() const { return m_keys.load(std::memory_order_acquire); }
        uint64_t fetchCount() const { return m_fetches.load(std::memory_order_relaxed); }
        uint64_t failureCount() const { return m_failures.load(std::memory_order_relaxed); }

    private:
        friend class JwksCache;
        using TimePoint = std::chrono::steady_clock::time_point;
        const std::string m_url;
        std::atomic<std::shared_ptr<const KeySet>> m_keys;
        std::atomic<uint64_t> m_fetches{0}; // attempts, successful or not
        std::atomic<uint64_t> m_failures{0};
        std::atomic<int64_t> m_lastAttemptNs{INT64_MIN / 2}; // steady clock, for requestRefresh
        // Guarded by JwksCache::m_mutex:
        TimePoint m_due{}; // next scheduled fetch
        std::string m_lastError;
    };

    JwksCache();
    explicit JwksCache(Options options);
    ~JwksCache(); // stops the fetcher (an ongoing transfer is aborted)
    JwksCache(const JwksCache&) = delete;
    JwksCache& operator=(const JwksCache&) = delete;

    // The URLs of the applied config: new ones are fetched now, absent ones are dropped from the
    // refresh schedule (a snapshot still holding their Source keeps its last keys).
    void setUrls(std::vector<std::string> urls);
    // The Source of `url`, registered (and fetched in the background) if new.
    std::shared_ptr<Source> source(const std::string& url);
    // Keys of a registered URL (nullptr when unknown or not fetched yet). Takes a mutex: for
    // tooling; the request path reads through a Source.
    std::shared_ptr<const KeySet> keys(const std::string& url) const;
    // Asks for an early fetch; ignored within minRefreshInterval of the previous attempt.
    void requestRefresh(const std::string& url);
    void requestRefresh(Source& source);
    // Last fetch error of `url` ("" when the last fetch succeeded or none happened).
    std::string lastError(const std::string& url) const;

private:
    void run();
    void fetch(Source& source);

    const Options m_options;
    mutable std::mutex m_mutex; // guards m_sources, m_stop, Source::m_due, Source::m_lastError
    std::condition_variable m_wake;
    std::map<std::string, std::shared_ptr<Source>> m_sources;
    bool m_stop = false;
    std::atomic<bool> m_stopping{false}; // read by the transfer progress callback
    std::thread m_thread;
};

} // namespace tollgate::stages
