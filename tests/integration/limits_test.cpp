// gateway.limits on real sockets: header bytes and count (431), URI (414), body (413), header timeout
// (408 and close), idle keep-alive timeout. Rejected requests never reach the upstream.

#include "integration.h"

using namespace tollgate::test;

class LimitsTest : public QObject {
    Q_OBJECT

private:
    static GatewayYaml configWithLimits(const TestUpstream& upstream, const std::string& limits) {
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        cfg.limits = limits;
        return cfg;
    }

    // Sends `request`, expects `status`, and checks the upstream saw nothing.
    static void expectRejected(uint16_t port, const TestUpstream& upstream, const std::string& request,
                               int status) {
        RawClient client;
        QVERIFY(client.connect(port));
        QVERIFY(client.send(request));
        const auto resp = client.readResponse(5s);
        TG_EXPECT_STATUS(resp, status, &client);
        QTest::qWait(100);
        QVERIFY2(upstream.bytesReceived() == 0, ("upstream received:\n" + upstream.rawReceived()).c_str());
    }

private slots:
    void headerBytesOverLimitGives431() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    max_header_bytes: 1KiB\n").toYaml());

        // Within the limit: forwarded.
        TG_EXPECT_STATUS(
            roundTrip(gw.port(), buildRequest("GET", "/api/x", {{"X-Pad", std::string(400, 'a')}})), 200,
            nullptr);
        upstream.clear();
        expectRejected(gw.port(), upstream,
                       buildRequest("GET", "/api/x", {{"X-Big", std::string(2000, 'a')}}), 431);
    }

    void headerCountOverLimitGives431() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    max_header_count: 10\n").toYaml());

        HeaderList few;
        for (int i = 0; i < 5; ++i) {
            few.emplace_back("X-H" + std::to_string(i), "v");
        }
        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/x", few)), 200, nullptr);
        upstream.clear();

        HeaderList many;
        for (int i = 0; i < 20; ++i) {
            many.emplace_back("X-H" + std::to_string(i), "v");
        }
        expectRejected(gw.port(), upstream, buildRequest("GET", "/api/x", many), 431);
    }

    void longUriGives414() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    max_uri_bytes: 256\n").toYaml());

        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/" + std::string(100, 'a'))), 200,
                         nullptr);
        upstream.clear();
        expectRejected(gw.port(), upstream, buildRequest("GET", "/api/" + std::string(600, 'a')), 414);
        expectRejected(gw.port(), upstream, buildRequest("GET", "/api/x?q=" + std::string(600, 'a')), 414);
    }

    void declaredBodyOverLimitGives413WithoutReadingIt() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    max_body_bytes: 1KiB\n").toYaml());

        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("POST", "/api/x", {}, std::string(1000, 'b'))),
                         200, nullptr);
        upstream.clear();
        // Only the head is sent: the answer must not wait for the body.
        expectRejected(gw.port(), upstream, "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 2048\r\n\r\n",
                       413);
    }

    void chunkedBodyOverLimitGives413() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    max_body_bytes: 1KiB\n").toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send("POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                            chunkedEncode(std::string(4096, 'c'), 512)));
        const auto resp = client.readResponse(5s);
        TG_EXPECT_STATUS(resp, 413, &client);
        // The upstream may have seen the start of the stream, but never a complete request.
        QVERIFY(!upstream.waitForCompleteRequests(1, 300ms));
    }

    void headerTimeoutGives408AndCloses() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    header_timeout: 500ms\n").toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send("GET /api/x HTTP/1.1\r\nHost: a\r\n")); // half a head
        const auto resp = client.readResponse(5s);
        TG_EXPECT_STATUS(resp, 408, &client);
        QVERIFY2(client.waitForClose(3s), "connection left open after 408");
        QCOMPARE(upstream.bytesReceived(), uint64_t(0));
    }

    void headerTimeoutCoversWholeHeadNotEachByte() {
        // A client trickling one byte every 100 ms never completes its head within 500 ms.
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    header_timeout: 500ms\n").toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        const std::string head = "GET /api/x HTTP/1.1\r\nHost: a\r\nX-Slow: " + std::string(40, 's');
        bool answered = false;
        for (size_t i = 0; i < head.size() && !answered; ++i) {
            if (!client.send(head.substr(i, 1), 1s)) {
                break; // closed on us: fine
            }
            answered = !client.readAvailable(100ms).empty() || client.peerClosed();
        }
        QVERIFY2(answered || client.peerClosed(), "trickling client was never cut off");
        QCOMPARE(upstream.bytesReceived(), uint64_t(0));
    }

    void idleKeepAliveConnectionIsClosed() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configWithLimits(upstream, "    idle_timeout: 500ms\n").toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", "/api/x")));
        TG_EXPECT_STATUS(client.readResponse(), 200, &client);
        // A quick second request on the same connection still works...
        QVERIFY(client.send(buildRequest("GET", "/api/y")));
        TG_EXPECT_STATUS(client.readResponse(), 200, &client);
        // ...and then the idle connection is closed.
        QVERIFY2(client.waitForClose(5s), "idle keep-alive connection was not closed");
    }

    void connectionWithoutRequestIsClosed() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw,
                 configWithLimits(upstream, "    idle_timeout: 500ms\n    header_timeout: 500ms\n").toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY2(client.waitForClose(5s), "silent connection was not closed");
    }
};

QTEST_GUILESS_MAIN(LimitsTest)
#include "limits_test.moc"
