#include "simulator/traffic_simulator.h"

#include <curl/curl.h>
#include <pthread.h>

#include <chrono>
#include <random>
#include <vector>

namespace tollgate::ui {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMaxInFlight = 64;
constexpr auto kBurstEvery = std::chrono::seconds(4);
constexpr int kBurstSize = 60;

size_t discard(char*, size_t size, size_t count, void*) {
    return size * count;
}

struct Transfer {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string url;
    bool busy = false;
};

} // namespace

TrafficSimulator::~TrafficSimulator() {
    stop();
}

void TrafficSimulator::start(std::string baseUrl, SimulationPlan plan, double requestsPerSecond) {
    stop();
    m_stop = false;
    m_thread = std::thread(
        [this, baseUrl = std::move(baseUrl), plan = std::move(plan), requestsPerSecond]() mutable {
            run(std::move(baseUrl), std::move(plan), requestsPerSecond);
        });
}

void TrafficSimulator::stop() {
    m_stop = true;
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

TrafficSimulator::Counts TrafficSimulator::counts() const {
    return {m_sent.load(), m_success.load(), m_clientErrors.load(), m_serverErrors.load(), m_failed.load()};
}

void TrafficSimulator::run(std::string baseUrl, SimulationPlan plan, double rate) {
    // Named so that per-thread CPU figures tell the load generator from the console and the gateway.
    pthread_setname_np(pthread_self(), "tg-simulator");
    if (plan.requests.empty() || rate <= 0) {
        return;
    }
    CURLM* multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, long(kMaxInFlight));
    std::vector<Transfer> transfers(kMaxInFlight);
    for (Transfer& t : transfers) {
        t.easy = curl_easy_init();
        curl_easy_setopt(t.easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(t.easy, CURLOPT_TIMEOUT_MS, 5000L);
        curl_easy_setopt(t.easy, CURLOPT_PRIVATE, &t);
    }

    std::mt19937 random(std::random_device{}());
    std::vector<int> weights;
    for (const SimulatedRequest& r : plan.requests) {
        weights.push_back(r.weight);
    }
    std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
    std::uniform_int_distribution<int> number(1, 9999);
    std::vector<std::string> consumers;
    for (const auto& [name, key] : plan.keys) {
        consumers.push_back(name);
    }

    const auto interval =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / rate));
    auto nextSend = Clock::now();
    auto nextBurst = Clock::now() + kBurstEvery;
    int burstLeft = 0;
    std::string burstConsumer;
    int inFlight = 0;

    auto launch = [&](const SimulatedRequest& r, const std::string& consumer) {
        Transfer* t = nullptr;
        for (Transfer& candidate : transfers) {
            if (!candidate.busy) {
                t = &candidate;
                break;
            }
        }
        if (!t) {
            return false;
        }
        std::string path = r.path.toStdString();
        if (const size_t at = path.find("{n}"); at != std::string::npos) {
            path.replace(at, 3, std::to_string(number(random)));
        }
        t->url = baseUrl + path;
        curl_slist_free_all(t->headers);
        t->headers = nullptr;
        if (const auto key = plan.keys.find(consumer); key != plan.keys.end()) {
            t->headers = curl_slist_append(nullptr, ("apikey: " + key->second).c_str());
        }
        curl_easy_setopt(t->easy, CURLOPT_URL, t->url.c_str());
        curl_easy_setopt(t->easy, CURLOPT_CUSTOMREQUEST, r.method.constData());
        curl_easy_setopt(t->easy, CURLOPT_NOBODY, r.method == "HEAD" ? 1L : 0L);
        curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
        t->busy = true;
        curl_multi_add_handle(multi, t->easy);
        ++inFlight;
        ++m_sent;
        return true;
    };

    while (!m_stop) {
        const auto now = Clock::now();
        if (now >= nextBurst && !consumers.empty()) {
            burstConsumer = consumers[size_t(number(random)) % consumers.size()];
            burstLeft = kBurstSize;
            nextBurst = now + kBurstEvery;
        }
        // A burst: one consumer's GETs as fast as connections allow, into its rate limit.
        while (burstLeft > 0 && inFlight < kMaxInFlight) {
            SimulatedRequest r = plan.requests[pick(random)];
            r.method = "GET";
            if (!launch(r, burstConsumer)) {
                break;
            }
            --burstLeft;
        }
        // The steady part: catch up with the schedule, without piling up after a stall.
        if (now - nextSend > std::chrono::seconds(1)) {
            nextSend = now;
        }
        while (nextSend <= now && inFlight < kMaxInFlight) {
            const SimulatedRequest& r = plan.requests[pick(random)];
            launch(r, r.consumer);
            nextSend += interval;
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            Transfer* t = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
            long status = 0;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            if (msg->data.result != CURLE_OK || status == 0) {
                ++m_failed;
            } else if (status >= 500) {
                ++m_serverErrors;
            } else if (status >= 400) {
                ++m_clientErrors;
            } else {
                ++m_success;
            }
            curl_multi_remove_handle(multi, msg->easy_handle);
            if (t) {
                t->busy = false;
            }
            --inFlight;
        }
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(nextSend - Clock::now());
        curl_multi_poll(multi, nullptr, 0, int(std::clamp<long long>(wait.count(), 0, 50)), nullptr);
    }
    for (Transfer& t : transfers) {
        if (t.busy) {
            curl_multi_remove_handle(multi, t.easy);
        }
        curl_easy_cleanup(t.easy);
        curl_slist_free_all(t.headers);
    }
    curl_multi_cleanup(multi);
}

} // namespace tollgate::ui
