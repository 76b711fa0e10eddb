// Header capture through a real tollgate::Engine: off by default and then nothing is kept; on, every
// record's seq leads to the heads of that very exchange (request as received, response as sent),
// credentials redacted whatever their kind; long heads are cut within the bound; several workers
// and clients at once never mix exchanges up; turning capture off forgets what was kept.

#include "raw_client.h"
#include "test_upstream.h"
#include "tollgate/config.h"
#include "tollgate/credentials.h"
#include "tollgate/engine.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::test;

namespace {

const std::string kKey = "acme-SECRET-key-0001";

std::string configText(const std::string& dir, const std::string& upstreamUrl, int workers) {
    return "version: 1\n"
           "gateway:\n"
           "  listen: [\"127.0.0.1:0\"]\n"
           "  workers: " +
           std::to_string(workers) + "\n  store: \"" + dir +
           "/store.db\"\n"
           "services:\n"
           "  - name: echo\n"
           "    targets: [ { url: \"builtin:echo\" } ]\n"
           "  - name: shop\n"
           "    targets: [ { url: \"" +
           upstreamUrl +
           "\" } ]\n"
           "apis:\n"
           "  - { name: orders, version: v1, base_path: /orders, service: echo, auth: [key], key_in_query: "
           "true,\n"
           "      routes: [ { name: items, path: \"/*\" } ] }\n"
           "  - { name: shop, base_path: /shop, service: shop, public: true,\n"
           "      routes: [ { name: any, path: \"/*\" } ] }\n"
           "  - { name: status, base_path: /pub, service: echo, public: true,\n"
           "      routes: [ { name: ping, path: \"/*\" } ] }\n"
           "plans:\n"
           "  - name: basic\n"
           "    rate_limits: [ { requests: 1000000000, per: day } ]\n"
           "    grants: [ { api: orders } ]\n"
           "consumers:\n"
           "  - { name: acme, plan: basic, credentials: [ { type: key, id: a, hash: \"" +
           apiKeyHash(kKey) + "\" } ] }\n";
}

bool waitForSeq(const Engine& engine, uint64_t n, std::chrono::milliseconds bound = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (engine.lastRecordSeq() < n && std::chrono::steady_clock::now() < deadline) {
        engine.waitForRecords(engine.lastRecordSeq(), 100ms);
    }
    return engine.lastRecordSeq() >= n;
}

std::vector<RequestRecord> allRecords(const Engine& engine) {
    uint64_t cursor = 0;
    std::vector<RequestRecord> out;
    engine.recordsSince(cursor, out, 100'000);
    return out;
}

std::string header(const std::vector<HeaderLine>& headers, std::string_view name) {
    for (const HeaderLine& h : headers) {
        if (equalsIgnoreCase(h.name, name)) {
            return h.value;
        }
    }
    return {};
}

// Every byte of the exchange as kept for readers, to look for secrets in.
std::string everything(const CapturedExchange& x) {
    std::string all = x.requestLine + x.statusLine;
    for (const auto* list : {&x.requestHeaders, &x.responseHeaders}) {
        for (const HeaderLine& h : *list) {
            all += h.name + h.value;
        }
    }
    return all;
}

class Gateway {
public:
    bool start(const std::string& dir, const std::string& upstreamUrl, int workers, std::string& error) {
        const LoadResult loaded = loadConfigText(configText(dir, upstreamUrl, workers), "headers.yaml");
        if (!loaded.ok()) {
            error = loaded.errors.empty() ? "?" : loaded.errors[0].format();
            return false;
        }
        return engine.start(*loaded.config, error);
    }
    uint16_t port() const { return engine.listeners()[0].port; }
    Engine engine;
};

} // namespace

class EngineHeadersTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestUpstream m_upstream{"shop"};

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        UpstreamResponse r;
        r.headers = {{"Set-Cookie", "session=cookie-SECRET-9; HttpOnly"}, {"X-Shop", "open"}};
        r.body = "shop says hi";
        m_upstream.setResponse(r);
    }

    void captureOff_byDefault_nothingKept() {
        Gateway gw;
        std::string error;
        QVERIFY2(gw.start(m_dir.path().toStdString() + "/off", m_upstream.url(), 1, error), error.c_str());
        QVERIFY(!gw.engine.headerCapture());
        const auto response = roundTrip(gw.port(), buildRequest("GET", "/pub/a", {{"X-Probe", "1"}}));
        QVERIFY(response && response->status == 200);
        QVERIFY(waitForSeq(gw.engine, 1));
        const auto records = allRecords(gw.engine);
        QCOMPARE(records.size(), size_t(1));
        QCOMPARE(records[0].captureId, uint32_t(0));
        QVERIFY(!gw.engine.capturedExchange(records[0].seq));
        QCOMPARE(gw.engine.metrics().headerCapturesDropped, uint64_t(0));
    }

    void captureOn_seqLeadsToItsExchange_everyCredentialRedacted() {
        Gateway gw;
        std::string error;
        QVERIFY2(gw.start(m_dir.path().toStdString() + "/on", m_upstream.url(), 2, error), error.c_str());
        gw.engine.setHeaderCapture(true);
        QVERIFY(gw.engine.headerCapture());

        // Key in a header (and a cookie), key in the query, a bearer token to a public API, and an
        // upstream answer with Set-Cookie.
        QCOMPARE(roundTrip(gw.port(), buildRequest("GET", "/orders/1",
                                                   {{"apikey", kKey}, {"Cookie", "sid=sid-SECRET-3"}}))
                     ->status,
                 200);
        QCOMPARE(roundTrip(gw.port(), buildRequest("GET", "/orders/2?x=1&apikey=" + kKey))->status, 200);
        QCOMPARE(
            roundTrip(gw.port(), buildRequest("GET", "/pub/3", {{"Authorization", "Bearer tok-SECRET-7"}}))
                ->status,
            200);
        QCOMPARE(roundTrip(gw.port(),
                           buildRequest("GET", "/shop/4", {{"Proxy-Authorization", "Basic pw-SECRET-8"}}))
                     ->status,
                 200);
        QCOMPARE(
            roundTrip(gw.port(), buildRequest("GET", "/orders/5", {{"apikey", "wrong-SECRET-6"}}))->status,
            401);
        QVERIFY(waitForSeq(gw.engine, 5));
        const auto records = allRecords(gw.engine);
        QCOMPARE(records.size(), size_t(5));

        std::map<std::string, CapturedExchange> byPath;
        for (const RequestRecord& r : records) {
            QVERIFY(r.captureId != 0);
            const auto x = gw.engine.capturedExchange(r.seq);
            QVERIFY(x.has_value());
            QCOMPARE(x->seq, r.seq);
            QCOMPARE(x->unixMicros, r.unixMicros);
            // The seq leads to this record's own exchange.
            QVERIFY2(x->requestLine.starts_with("GET " + std::string(r.path)), x->requestLine.c_str());
            QVERIFY2(x->statusLine.starts_with("HTTP/1.1 " + std::to_string(r.status)),
                     x->statusLine.c_str());
            QVERIFY(x->requestHeadBytes > 0 && x->responseHeadBytes > 0);
            QVERIFY2(everything(*x).find("SECRET") == std::string::npos, everything(*x).c_str());
            byPath[r.path] = *x;
        }
        QCOMPARE(header(byPath["/orders/1"].requestHeaders, "apikey"), std::string(kRedactedValue));
        QCOMPARE(header(byPath["/orders/1"].requestHeaders, "Cookie"), std::string(kRedactedValue));
        QCOMPARE(header(byPath["/orders/1"].requestHeaders, "Host"), std::string("gateway.test"));
        QCOMPARE(byPath["/orders/2"].requestLine,
                 std::string("GET /orders/2?x=1&apikey=[redacted] HTTP/1.1"));
        QCOMPARE(header(byPath["/pub/3"].requestHeaders, "Authorization"), std::string("Bearer [redacted]"));
        QCOMPARE(header(byPath["/shop/4"].requestHeaders, "Proxy-Authorization"),
                 std::string("Basic [redacted]"));
        QCOMPARE(header(byPath["/shop/4"].responseHeaders, "Set-Cookie"), std::string(kRedactedValue));
        QCOMPARE(header(byPath["/shop/4"].responseHeaders, "X-Shop"), std::string("open"));
        QCOMPARE(byPath["/shop/4"].statusLine, std::string("HTTP/1.1 200 OK"));
        // The gateway's own answers are captured as sent, their stage headers included.
        QVERIFY(!header(byPath["/orders/5"].responseHeaders, "WWW-Authenticate").empty());

        // Off: what was kept is forgotten and nothing new is kept.
        gw.engine.setHeaderCapture(false);
        QVERIFY(!gw.engine.capturedExchange(records[0].seq));
        QCOMPARE(roundTrip(gw.port(), buildRequest("GET", "/pub/6"))->status, 200);
        QVERIFY(waitForSeq(gw.engine, 6));
        QVERIFY(!gw.engine.capturedExchange(6));
    }

    void longHead_cutWithinTheBound() {
        Gateway gw;
        std::string error;
        QVERIFY2(gw.start(m_dir.path().toStdString() + "/long", m_upstream.url(), 1, error), error.c_str());
        gw.engine.setHeaderCapture(true);
        HeaderList headers;
        for (int i = 0; i < 90; ++i) {
            headers.push_back({"X-Filler-" + std::to_string(i), std::string(90, 'f')});
        }
        const std::string request = buildRequest("GET", "/pub/long", headers);
        QCOMPARE(roundTrip(gw.port(), request)->status, 200);
        QVERIFY(waitForSeq(gw.engine, 1));
        const auto x = gw.engine.capturedExchange(1);
        QVERIFY(x.has_value());
        QVERIFY(x->requestCut);
        QVERIFY(!x->responseCut);
        QCOMPARE(x->requestHeadBytes, uint32_t(request.size()));
        QVERIFY(x->requestHeaders.size() < headers.size());
        QVERIFY(x->requestHeaders.size() > 40);
        QCOMPARE(x->requestHeaders.back().value, std::string(90, 'f')); // whole lines only
        QVERIFY(everything(*x).size() <= kCapturedExchangeBytes);
    }

    void severalWorkersAndClients_neverMixExchanges() {
        Gateway gw;
        std::string error;
        QVERIFY2(gw.start(m_dir.path().toStdString() + "/many", m_upstream.url(), 4, error), error.c_str());
        gw.engine.setHeaderCapture(true);
        constexpr int kThreads = 6, kPerThread = 150;
        std::mutex mutex; // guards failures
        std::vector<std::string> failures;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                RawClient client;
                for (int j = 0; j < kPerThread; ++j) {
                    const std::string id = std::to_string(t) + "-" + std::to_string(j);
                    if (!client.isConnected() && !client.connect(gw.port())) {
                        break;
                    }
                    const std::string path = (j % 2 ? "/pub/" : "/orders/") + id;
                    client.send(buildRequest("GET", path, {{"X-Probe", id}, {"apikey", kKey}}));
                    const auto response = client.readResponse(10s);
                    if (!response || response->status != 200) {
                        std::lock_guard lock(mutex);
                        failures.push_back(path);
                        return;
                    }
                }
            });
        }
        for (std::thread& t : threads) {
            t.join();
        }
        QVERIFY2(failures.empty(), failures.empty() ? "" : failures[0].c_str());
        constexpr uint64_t kTotal = kThreads * kPerThread;
        QVERIFY(waitForSeq(gw.engine, kTotal));
        const auto records = allRecords(gw.engine);
        QCOMPARE(records.size(), size_t(kTotal));
        uint64_t captured = 0;
        for (const RequestRecord& r : records) {
            const auto x = gw.engine.capturedExchange(r.seq);
            if (!x) {
                continue;
            }
            ++captured;
            const std::string path = r.path;
            const std::string probe = path.substr(path.rfind('/') + 1);
            QCOMPARE(x->requestLine, "GET " + path + " HTTP/1.1");
            QCOMPARE(header(x->requestHeaders, "X-Probe"), probe);
            QCOMPARE(header(x->requestHeaders, "apikey"), std::string(kRedactedValue));
        }
        // Whatever found no free slot is counted; the rest is all there (the store keeps 1,024).
        QCOMPARE(captured + gw.engine.metrics().headerCapturesDropped, kTotal);
    }
};

QTEST_GUILESS_MAIN(EngineHeadersTest)
#include "engine_headers_test.moc"
