// HTTP/1.0 clients: the gateway asks the upstream in HTTP/1.0 (so it never chunks the answer) while
// keeping the upstream connection alive, and honours the client's keep-alive choice.

#include "integration.h"

using namespace tollgate::test;

class Http10Test : public QObject {
    Q_OBJECT

private slots:
    void upstreamIsAskedInTheClientsVersion() {
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send("GET /api/old HTTP/1.0\r\nHost: a\r\n\r\n"));
        const auto r = client.readResponse();
        TG_EXPECT_STATUS(r, 200, &client);
        QVERIFY(client.waitForClose()); // 1.0 without keep-alive: one request per connection
        QVERIFY(upstream.waitForRequests(1));
        const RecordedRequest req = upstream.requests().back();
        QCOMPARE(req.version, std::string("HTTP/1.0"));
        QCOMPARE(req.header("Connection"), std::string("keep-alive"));
    }

    void keepAliveClientKeepsItsConnection() {
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        for (int i = 0; i < 3; ++i) {
            QVERIFY(client.send("GET /api/k HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n"));
            const auto r = client.readResponse();
            TG_EXPECT_STATUS(r, 200, &client);
            QCOMPARE(r->header("Connection"), std::string("keep-alive"));
        }
        QCOMPARE(upstream.requestCount(), size_t(3));
    }
};

QTEST_GUILESS_MAIN(Http10Test)
#include "http10_test.moc"
