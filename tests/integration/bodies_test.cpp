// Request and response bodies: Content-Length and chunked uploads, chunked and close-delimited
// responses, a 256 MiB streamed upload with flat gateway memory, Expect: 100-continue, HEAD, 204, 304.

#include "integration.h"

#include <thread>

using namespace tollgate::test;

namespace {

std::string pattern(size_t n, uint32_t seed) {
    std::string out(n, '\0');
    uint32_t x = seed;
    for (size_t i = 0; i < n; ++i) {
        x = x * 1664525u + 1013904223u;
        out[i] = char(x >> 24);
    }
    return out;
}

} // namespace

class BodiesTest : public QObject {
    Q_OBJECT

private:
    static GatewayYaml configFor(const TestUpstream& upstream) {
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        return cfg;
    }

    // After a response, the connection must carry the next exchange cleanly (no stray body bytes).
    static void expectCleanNextExchange(RawClient& client) {
        QVERIFY2(client.readAvailable(200ms).empty(), "stray bytes after a body-less response");
        QVERIFY(client.send(buildRequest("GET", "/api/next")));
        const auto next = client.readResponse();
        TG_EXPECT_STATUS(next, 200, &client);
        QVERIFY2(next->body.find("/next") != std::string::npos, next->body.c_str());
    }

private slots:
    void contentLengthUploadArrivesIntact() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());
        const std::string body = pattern(300 * 1024, 1);

        const auto resp = roundTrip(gw.port(), buildRequest("PUT", "/api/blob", {}, body));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForCompleteRequests(1));
        const RecordedRequest req = upstream.requests().at(0);
        QCOMPARE(req.bodyBytes, uint64_t(body.size()));
        QCOMPARE(req.bodySha256, sha256Hex(body));
    }

    void chunkedUploadIsForwardedChunked() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());
        const std::string body = pattern(300 * 1024 + 17, 2);

        const auto resp = roundTrip(
            gw.port(), "POST /api/stream HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                           chunkedEncode(body, 7000));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForCompleteRequests(1));
        const RecordedRequest req = upstream.requests().at(0);
        QVERIFY2(req.chunked, ("upstream head:\n" + req.rawHead).c_str());
        QVERIFY(!req.hasHeader("Content-Length"));
        QCOMPARE(req.bodyBytes, uint64_t(body.size()));
        QCOMPARE(req.bodySha256, sha256Hex(body));
    }

    void chunkedResponseReachesClient() {
        TestUpstream upstream;
        UpstreamResponse r;
        r.body = pattern(200 * 1024 + 3, 3);
        r.chunked = true;
        r.chunkSize = 4093;
        upstream.setHandler([r](const RecordedRequest& req) {
            UpstreamResponse out = r;
            if (req.path() == "/next") {
                out.body = "/next";
            }
            return out;
        });
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/chunked")));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(resp->body.size(), r.body.size());
        QCOMPARE(sha256Hex(resp->body), sha256Hex(r.body));
        expectCleanNextExchange(client);
    }

    void closeDelimitedResponseIsReframed() {
        TestUpstream upstream;
        upstream.setHandler([](const RecordedRequest& req) {
            UpstreamResponse r;
            r.body = req.path() == "/next" ? "/next" : pattern(50 * 1024, 4);
            r.noContentLength = req.path() != "/next";
            return r;
        });
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/eof")));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(sha256Hex(resp->body), sha256Hex(pattern(50 * 1024, 4)));
        if (!client.peerClosed()) {
            expectCleanNextExchange(client); // re-framed (chunked): the connection stays usable
        }
    }

    void largeStreamedUploadKeepsMemoryFlat() {
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg = configFor(upstream);
        cfg.limits = "    max_body_bytes: 1GiB\n";
        cfg.readTimeout = "30s";
        TG_START(gw, cfg.toYaml());
        // Warm up once so that pools and buffers exist before the baseline.
        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("POST", "/api/warm", {}, pattern(1 << 20, 5))),
                         200, nullptr);
        const long before = gw.rssKiB();
        QVERIFY(before > 0);

        constexpr size_t kTotal = 256u << 20;
        const std::string piece = pattern(1 << 20, 6);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send("POST /api/big HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(kTotal) +
                            "\r\n\r\n"));
        long peak = before;
        for (size_t sent = 0; sent < kTotal; sent += piece.size()) {
            QVERIFY2(client.send(piece, 20s), client.lastError().c_str());
            hash.addData(QByteArrayView(piece.data(), qsizetype(piece.size())));
            if (sent % (16u << 20) == 0) {
                peak = std::max(peak, gw.rssKiB());
            }
        }
        const auto resp = client.readResponse(25s);
        TG_EXPECT_STATUS(resp, 200, &client);
        peak = std::max(peak, gw.rssKiB());
        QVERIFY(upstream.waitForCompleteRequests(2));
        const RecordedRequest req = upstream.requests().at(1);
        QCOMPARE(req.bodyBytes, uint64_t(kTotal));
        QCOMPARE(req.bodySha256, hash.result().toHex().toStdString());
        const long growthKiB = peak - before;
        QVERIFY2(growthKiB < 64 * 1024, ("gateway RSS grew by " + std::to_string(growthKiB / 1024) +
                                         " MiB (from " + std::to_string(before / 1024) + " MiB)")
                                            .c_str());
    }

    void expectContinueGetsInterimBeforeBody() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send("POST /api/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n"
                            "Expect: 100-continue\r\n\r\n"));
        ReadOptions interim;
        interim.returnInterim = true;
        interim.timeout = 5s;
        const auto cont = client.readResponse(interim);
        TG_EXPECT_STATUS(cont, 100, &client);
        QCOMPARE(cont->version, std::string("HTTP/1.1"));
        QVERIFY(client.send("hello world"));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QVERIFY(upstream.waitForCompleteRequests(1));
        QCOMPARE(upstream.requests().at(0).body, std::string("hello world"));
    }

    void headResponseHasNoBody() {
        TestUpstream upstream;
        upstream.setHandler([](const RecordedRequest& req) {
            UpstreamResponse r;
            r.body = req.path() == "/next" ? "/next" : "eleven char";
            return r; // for HEAD: Content-Length: 11, no body
        });
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("HEAD", "/api/thing")));
        ReadOptions head;
        head.headRequest = true;
        const auto resp = client.readResponse(head);
        TG_EXPECT_STATUS(resp, 200, &client);
        QVERIFY(resp->header("Content-Length").empty() || resp->header("Content-Length") == "11");
        QVERIFY(upstream.waitForRequests(1));
        QCOMPARE(upstream.requests().at(0).method, std::string("HEAD"));
        expectCleanNextExchange(client);
    }

    void noContentAndNotModifiedHaveNoBody_data() {
        QTest::addColumn<int>("status");
        QTest::newRow("204") << 204;
        QTest::newRow("304") << 304;
    }

    void noContentAndNotModifiedHaveNoBody() {
        QFETCH(int, status);
        TestUpstream upstream;
        upstream.setHandler([status](const RecordedRequest& req) {
            UpstreamResponse r;
            if (req.path() == "/next") {
                r.body = "/next";
            } else {
                r.status = status;
                r.headers = {{"ETag", "\"v1\""}};
            }
            return r;
        });
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/thing", {{"If-None-Match", "\"v1\""}})));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, status, &client);
        QVERIFY2(!resp->hasHeader("Transfer-Encoding"), resp->rawHead.c_str());
        if (status == 204) {
            QVERIFY2(!resp->hasHeader("Content-Length"), resp->rawHead.c_str());
        }
        QCOMPARE(resp->header("ETag"), std::string("\"v1\""));
        expectCleanNextExchange(client);
    }
};

QTEST_GUILESS_MAIN(BodiesTest)
#include "bodies_test.moc"
