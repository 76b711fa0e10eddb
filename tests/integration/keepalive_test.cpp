// Connection reuse: client keep-alive, upstream pooling, pipelining, Connection: close and HTTP/1.0,
// and stale pooled upstream connections.

#include "integration.h"

#include <thread>

using namespace tollgate::test;

class KeepAliveTest : public QObject {
    Q_OBJECT

private:
    static GatewayYaml configFor(const TestUpstream& upstream, int workers = 2) {
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        cfg.workers = workers;
        return cfg;
    }

private slots:
    void hundredRequestsOnOneConnectionReuseUpstream() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream, 2).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        for (int i = 0; i < 100; ++i) {
            const std::string path = "/api/seq/" + std::to_string(i);
            QVERIFY2(client.send(buildRequest("GET", path)), client.lastError().c_str());
            const auto resp = client.readResponse();
            TG_EXPECT_STATUS(resp, 200, &client);
            QCOMPARE(resp->body, "upstream GET /seq/" + std::to_string(i));
        }
        QCOMPARE(upstream.requestCount(), size_t(100));
        QVERIFY2(upstream.connectionCount() <= 2,
                 ("upstream saw " + std::to_string(upstream.connectionCount()) + " connections").c_str());
    }

    void upstreamConnectionsArePooledAcrossClients() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream, 2).toYaml());

        for (int i = 0; i < 30; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/c/" + std::to_string(i))), 200,
                             nullptr);
        }
        QVERIFY2(upstream.connectionCount() <= 2,
                 ("upstream saw " + std::to_string(upstream.connectionCount()) + " connections").c_str());
    }

    void pipelinedRequestsAnswerInOrder() {
        TestUpstream upstream;
        // The first request is the slowest: answers must still come back in request order.
        upstream.setHandler([](const RecordedRequest& req) {
            UpstreamResponse r;
            r.body = "upstream " + req.method + " " + req.target;
            r.delay = req.path() == "/p1" ? 300ms : 0ms;
            return r;
        });
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/p1") + buildRequest("POST", "/api/p2", {}, "body-two") +
                            buildRequest("GET", "/api/p3")));
        for (const char* expected : {"upstream GET /p1", "upstream POST /p2", "upstream GET /p3"}) {
            const auto resp = client.readResponse();
            TG_EXPECT_STATUS(resp, 200, &client);
            QCOMPARE(resp->body, std::string(expected));
        }
        QVERIFY(upstream.waitForCompleteRequests(3));
        for (const auto& req : upstream.requests()) {
            if (req.path() == "/p2") {
                QCOMPARE(req.body, std::string("body-two"));
            }
        }
    }

    void localAnswerIsSentOnce_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("target");
        QTest::addColumn<int>("status");
        QTest::newRow("404 route.none") << "GET"
                                        << "/nowhere" << 404;
        QTest::newRow("405 route.method") << "DELETE"
                                          << "/api/x" << 405;
        QTest::newRow("400 path") << "GET"
                                  << "/api/a%2Fb" << 400;
    }

    void localAnswerIsSentOnce() {
        // One request, one answer: a response made by the gateway itself must not repeat, and a
        // keep-alive connection must carry the next request (or be closed, never both).
        QFETCH(QString, method);
        QFETCH(QString, target);
        QFETCH(int, status);
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg = configFor(upstream);
        cfg.routes = "      - { name: get, methods: [GET], path: \"/*\" }\n";
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest(method.toStdString(), target.toStdString())));
        TG_EXPECT_STATUS(client.readResponse(), status, &client);
        const std::string extra = client.readAvailable(300ms, 64 * 1024, 2s);
        QVERIFY2(extra.empty(), ("unrequested bytes after the answer (" + std::to_string(extra.size()) +
                                 "+ bytes): " + extra.substr(0, 200))
                                    .c_str());
        if (!client.peerClosed()) {
            QVERIFY(client.send(buildRequest("GET", "/api/after")));
            const auto next = client.readResponse();
            TG_EXPECT_STATUS(next, 200, &client);
            QCOMPARE(next->body, std::string("upstream GET /after"));
        }
    }

    void clientConnectionCloseIsHonoured() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/bye", {{"Connection", "close"}})));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QVERIFY(equalsIgnoreCase(resp->header("Connection"), "close"));
        QVERIFY2(client.waitForClose(3s), "gateway kept the connection open after Connection: close");
    }

    void http10WithoutKeepAliveIsClosed() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send("GET /api/old HTTP/1.0\r\nHost: a\r\n\r\n"));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(resp->body, std::string("upstream GET /old"));
        QVERIFY2(!resp->chunked, "chunked response to an HTTP/1.0 client");
        QVERIFY2(client.waitForClose(3s), "HTTP/1.0 connection kept open");
    }

    void upstreamClosingAfterEachResponseIsHandled() {
        // The upstream closes every connection after answering, once announced and once silently:
        // the gateway must not reuse a dead pooled connection for the next request.
        for (const bool announce : {true, false}) {
            TestUpstream upstream;
            upstream.closeAfterEachResponse(announce);
            TollgatedProcess gw;
            TG_START(gw, configFor(upstream, 1).toYaml());

            RawClient client;
            QVERIFY(client.connect(gw.port()));
            for (int i = 0; i < 10; ++i) {
                QVERIFY(client.send(buildRequest("GET", "/api/c/" + std::to_string(i))));
                const auto resp = client.readResponse();
                TG_EXPECT_STATUS(resp, 200, &client);
                std::this_thread::sleep_for(50ms);
            }
            QCOMPARE(upstream.requestCount() >= 10, true);
        }
    }
};

QTEST_GUILESS_MAIN(KeepAliveTest)
#include "keepalive_test.moc"
