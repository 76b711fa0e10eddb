// What a real tollgate::Engine in this process tells about the traffic it carried, under concurrent
// keep-alive clients: every request becomes exactly one record (numbered 1..N without gaps, none
// dropped) with the consumer, plan, API, route, method, path and status it was answered with; the
// Prometheus counters and the access log agree with what the clients received; the access log
// rotates through Engine::reopenAccessLog(); status() names the running config by its digest.

#include "http/message.h"
#include "prometheus_text.h"
#include "raw_client.h"
#include "tollgate/config.h"
#include "tollgate/credentials.h"
#include "tollgate/engine.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::test;
using nlohmann::json;

namespace {

const std::string kAcmeKey = "acme-records-key";
constexpr int kThreads = 8;
constexpr int kPerThread = 500;
constexpr int kTotal = kThreads * kPerThread; // fits the engine's window of 10,000

// orders (key auth, granted to acme's plan), billing (key auth, not granted: 403), status (public).
std::string configText(const std::string& dir) {
    return "version: 1\n"
           "gateway:\n"
           "  listen: [\"127.0.0.1:0\"]\n"
           "  workers: 2\n"
           "  store: \"" +
           dir + "/store.db\"\n" + "  access_log: \"" + dir +
           "/access.log\"\n"
           "services:\n"
           "  - name: echo\n"
           "    targets: [ { url: \"builtin:echo\" } ]\n"
           "apis:\n"
           "  - { name: orders, version: v1, base_path: /orders, service: echo, auth: [key],\n"
           "      routes: [ { name: items, path: \"/*\" } ] }\n"
           "  - { name: billing, version: v2, base_path: /billing, service: echo, auth: [key],\n"
           "      routes: [ { name: invoices, path: \"/*\" } ] }\n"
           "  - { name: status, base_path: /pub, service: echo, public: true,\n"
           "      routes: [ { name: ping, path: \"/*\" } ] }\n"
           "plans:\n"
           "  - name: basic\n"
           "    rate_limits: [ { requests: 1000000000, per: day } ]\n"
           "    grants: [ { api: orders } ]\n"
           "consumers:\n"
           "  - { name: acme, plan: basic, credentials: [ { type: key, id: a, hash: \"" +
           apiKeyHash(kAcmeKey) + "\" } ] }\n";
}

// What one request should leave in its record.
struct Expected {
    std::string method;
    int status = 0;
    std::string consumer;
    std::string plan;
    std::string api;
    std::string version;
    std::string route;
};

struct Sent {
    std::string request;
    std::string path;
    Expected expected;
};

// Request `j` of client `t`: five kinds in turn, each with a unique path.
Sent makeRequest(int t, int j) {
    const std::string tail = "/t" + std::to_string(t) + "/r" + std::to_string(j);
    Sent s;
    switch ((t + j) % 5) {
    case 0:
        s.path = "/orders" + tail;
        s.request = buildRequest("GET", s.path, {{"apikey", kAcmeKey}});
        s.expected = {"GET", 200, "acme", "basic", "orders", "v1", "items"};
        break;
    case 1:
        s.path = "/pub" + tail;
        s.request = buildRequest("POST", s.path, {}, "hello");
        s.expected = {"POST", 200, "", "", "status", "", "ping"};
        break;
    case 2:
        s.path = "/orders" + tail;
        s.request = buildRequest("GET", s.path);
        s.expected = {"GET", 401, "", "", "orders", "v1", "items"};
        break;
    case 3:
        s.path = "/billing" + tail;
        s.request = buildRequest("DELETE", s.path, {{"apikey", kAcmeKey}});
        s.expected = {"DELETE", 403, "acme", "basic", "billing", "v2", "invoices"};
        break;
    default:
        s.path = "/nothing" + tail;
        s.request = buildRequest("GET", s.path);
        s.expected = {"GET", 404, "", "", "", "", ""};
        break;
    }
    return s;
}

std::vector<std::string> readLines(const QString& path) {
    std::vector<std::string> lines;
    std::ifstream in(path.toStdString());
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// Polls until the file has at least `n` lines or `bound` passes; returns its lines.
std::vector<std::string> waitForLines(const QString& path, size_t n, std::chrono::milliseconds bound = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    std::vector<std::string> lines = readLines(path);
    while (lines.size() < n && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(20ms);
        lines = readLines(path);
    }
    return lines;
}

// Waits (bounded) until the engine numbered `n` records.
bool waitForSeq(const Engine& engine, uint64_t n, std::chrono::milliseconds bound = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (engine.lastRecordSeq() < n && std::chrono::steady_clock::now() < deadline) {
        engine.waitForRecords(engine.lastRecordSeq(), 100ms);
    }
    return engine.lastRecordSeq() >= n;
}

std::string field(const char* text, size_t capacity) {
    return std::string(text, strnlen(text, capacity));
}
#define TG_FIELD(r, name) field((r).name, sizeof((r).name))

// One request per call on a keep-alive connection, reconnecting when the gateway closes it.
struct Client {
    RawClient raw;
    uint16_t port = 0;
    std::string error;

    std::optional<HttpResponse> call(const std::string& request) {
        if (!raw.isConnected() && !raw.connect(port)) {
            error = "connect: " + raw.lastError();
            return std::nullopt;
        }
        if (!raw.send(request)) {
            error = "send: " + raw.lastError();
            return std::nullopt;
        }
        auto response = raw.readResponse(10s);
        if (!response) {
            error = "read: " + raw.lastError();
            return std::nullopt;
        }
        if (equalsIgnoreCase(response->header("Connection"), "close") || raw.peerClosed()) {
            raw.close();
        }
        return response;
    }
};

} // namespace

class EngineRecordsTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void concurrentClients_oneIntactRecordPerRequest_countersAndLogAgree() {
        const std::string text = configText(m_dir.path().toStdString());
        const LoadResult loaded = loadConfigText(text, "records.yaml");
        QVERIFY2(loaded.ok(), loaded.errors.empty() ? "?" : loaded.errors[0].format().c_str());
        Engine engine;
        std::string error;
        QVERIFY2(engine.start(*loaded.config, error), error.c_str());
        QCOMPARE(engine.listeners().size(), size_t(1));
        const uint16_t port = engine.listeners()[0].port;
        QVERIFY(port != 0);
        QCOMPARE(engine.lastRecordSeq(), uint64_t(0));

        // Each client records what it sent, by path, and the status it received.
        std::mutex mutex; // guards sent, received and errors
        std::map<std::string, Expected> sent;
        std::map<int, int> received; // status -> count
        std::vector<std::string> errors;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                Client client;
                client.port = port;
                std::map<std::string, Expected> mine;
                std::map<int, int> statuses;
                std::string firstError;
                for (int j = 0; j < kPerThread; ++j) {
                    const Sent s = makeRequest(t, j);
                    const auto response = client.call(s.request);
                    if (!response) {
                        firstError = s.path + ": " + client.error;
                        break;
                    }
                    if (response->status != s.expected.status && firstError.empty()) {
                        firstError = s.path + ": expected " + std::to_string(s.expected.status) + ", got " +
                                     response->rawHead;
                    }
                    statuses[response->status]++;
                    mine[s.path] = s.expected;
                }
                std::lock_guard lock(mutex);
                sent.merge(mine);
                for (const auto& [status, n] : statuses) {
                    received[status] += n;
                }
                if (!firstError.empty()) {
                    errors.push_back(firstError);
                }
            });
        }
        for (std::thread& t : threads) {
            t.join();
        }
        QVERIFY2(errors.empty(), errors.empty() ? "" : errors[0].c_str());
        QCOMPARE(sent.size(), size_t(kTotal));
        const std::map<int, int> expectedStatuses{
            {200, 2 * kTotal / 5}, {401, kTotal / 5}, {403, kTotal / 5}, {404, kTotal / 5}};
        QCOMPARE(received, expectedStatuses);

        // The recorder numbers every record within a bounded wait.
        QVERIFY2(waitForSeq(engine, kTotal), std::to_string(engine.lastRecordSeq()).c_str());
        QCOMPARE(engine.lastRecordSeq(), uint64_t(kTotal));

        uint64_t cursor = 0;
        std::vector<RequestRecord> records;
        QCOMPARE(engine.recordsSince(cursor, records, 100'000), size_t(kTotal));
        QCOMPARE(cursor, uint64_t(kTotal));
        std::map<int, int> recordedStatuses;
        std::map<std::string, int> seenPaths;
        for (size_t i = 0; i < records.size(); ++i) {
            const RequestRecord& r = records[i];
            QCOMPARE(r.seq, uint64_t(i + 1)); // no gaps, in order
            const std::string path = TG_FIELD(r, path);
            const auto it = sent.find(path);
            QVERIFY2(it != sent.end(), ("a record for a path never sent: " + path).c_str());
            QVERIFY2(++seenPaths[path] == 1, ("two records for " + path).c_str());
            const Expected& e = it->second;
            recordedStatuses[r.status]++;
            QCOMPARE(int(r.status), e.status);
            QCOMPARE(std::string(http::methodName(static_cast<http::Method>(r.method))), e.method);
            QCOMPARE(TG_FIELD(r, consumer), e.consumer);
            QCOMPARE(TG_FIELD(r, plan), e.plan);
            QCOMPARE(TG_FIELD(r, api), e.api);
            QCOMPARE(TG_FIELD(r, apiVersion), e.version);
            QCOMPARE(TG_FIELD(r, route), e.route);
            QCOMPARE(TG_FIELD(r, clientIp), std::string("127.0.0.1"));
            QVERIFY(r.worker < 2);
            QVERIFY(r.bytesIn > 0);
            QVERIFY(r.bytesOut > 0);
            QVERIFY(r.unixMicros > 0);
            if (e.status == 200) {
                QCOMPARE(TG_FIELD(r, target), std::string("builtin:echo"));
                QCOMPARE(TG_FIELD(r, reason), std::string());
            } else {
                QVERIFY2(!TG_FIELD(r, reason).empty(), path.c_str()); // a refusal says why
            }
        }
        QCOMPARE(recordedStatuses, received);

        const MetricsSnapshot m = engine.metrics();
        QCOMPARE(m.recordsDropped, uint64_t(0));
        QCOMPARE(m.requests, uint64_t(kTotal));
        QCOMPARE(m.status2xx, uint64_t(received[200]));
        QCOMPARE(m.status4xx, uint64_t(received[401] + received[403] + received[404]));

        // Prometheus: well-formed, and tollgate_requests_total per status adds up to what was received.
        std::vector<PromSample> samples;
        std::string parseError;
        const std::string prometheus = engine.prometheusText();
        QVERIFY2(parsePrometheusText(prometheus, samples, parseError), parseError.c_str());
        std::map<int, int> promStatuses;
        double promTotal = 0;
        for (const PromSample& s : samplesNamed(samples, "tollgate_requests_total")) {
            promStatuses[std::stoi(s.label("status"))] += static_cast<int>(s.value);
            promTotal += s.value;
        }
        QCOMPARE(promTotal, double(kTotal));
        QCOMPARE(promStatuses, received);
        const auto dropped = samplesNamed(samples, "tollgate_records_dropped_total");
        QCOMPARE(dropped.size(), size_t(1));
        QCOMPARE(dropped[0].value, 0.0);
        // The acme 200s on orders/items are one labelled line.
        double acmeOk = 0;
        for (const PromSample& s : samplesNamed(samples, "tollgate_requests_total")) {
            if (s.label("consumer") == "acme" && s.label("status") == "200") {
                QCOMPARE(s.label("api"), std::string("orders"));
                QCOMPARE(s.label("route"), std::string("items"));
                acmeOk += s.value;
            }
        }
        QCOMPARE(acmeOk, double(kTotal / 5));

        // The access log: exactly one JSON line per request, numbered like the records.
        const QString logPath = m_dir.filePath("access.log");
        const std::vector<std::string> lines = waitForLines(logPath, kTotal);
        QCOMPARE(lines.size(), size_t(kTotal));
        for (size_t i = 0; i < lines.size(); ++i) {
            json j;
            try {
                j = json::parse(lines[i]);
            } catch (const json::exception& e) {
                QFAIL((std::string(e.what()) + ": " + lines[i]).c_str());
            }
            QCOMPARE(j.at("seq").get<uint64_t>(), uint64_t(i + 1));
            const Expected& e = sent.at(j.at("path").get<std::string>());
            QCOMPARE(j.at("status").get<int>(), e.status);
            if (e.consumer.empty()) {
                QVERIFY(j.at("consumer").is_null());
            } else {
                QCOMPARE(j.at("consumer").get<std::string>(), e.consumer);
            }
        }

        // Rotation through the engine: rename, reopen, and the new lines go to a fresh file.
        const QString rotated = m_dir.filePath("access.log.1");
        QVERIFY(QFile::rename(logPath, rotated));
        engine.reopenAccessLog();
        Client client;
        client.port = port;
        constexpr int kMore = 5;
        for (int j = 0; j < kMore; ++j) {
            const auto response = client.call(buildRequest("GET", "/pub/after/" + std::to_string(j)));
            QVERIFY2(response, client.error.c_str());
            QCOMPARE(response->status, 200);
        }
        QVERIFY(waitForSeq(engine, kTotal + kMore));
        const std::vector<std::string> fresh = waitForLines(logPath, kMore);
        QCOMPARE(fresh.size(), size_t(kMore));
        for (int j = 0; j < kMore; ++j) {
            const json line = json::parse(fresh[j]);
            QCOMPARE(line.at("seq").get<uint64_t>(), uint64_t(kTotal + j + 1));
            QCOMPARE(line.at("path").get<std::string>(), "/pub/after/" + std::to_string(j));
        }
        QCOMPARE(readLines(rotated).size(), size_t(kTotal));

        // status(): the running config by digest, two workers, the real listener, the log.
        const EngineStatus status = engine.status();
        QCOMPARE(status.configDigest, "sha256:" + sha256Hex(text));
        QCOMPARE(status.workers, 2);
        QCOMPARE(status.listeners.size(), size_t(1));
        QCOMPARE(status.listeners[0].port, port);
        QCOMPARE(status.listeners[0].scheme, std::string("http"));
        QCOMPARE(status.accessLogPath, logPath.toStdString());
        QCOMPARE(status.accessLogError, std::string());
        QCOMPARE(status.metrics.requests, uint64_t(kTotal + kMore));
        QVERIFY(!status.version.empty());
        QVERIFY(status.startedUnix > 0);

        QCOMPARE(engine.stop(1s), size_t(0));
    }
};

QTEST_GUILESS_MAIN(EngineRecordsTest)
#include "engine_records_test.moc"
