// Strict HTTP/1.1 framing: ambiguous or malformed requests get an error status, the connection is
// closed, and the upstream receives nothing at all.

#include "integration.h"

using namespace tollgate::test;

class FramingTest : public QObject {
    Q_OBJECT

private slots:
    void wellFormedRequestIsForwarded() {
        // Control case: the same shape of request, well formed, reaches the upstream.
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());
        const auto resp = roundTrip(
            gw.port(),
            "POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForCompleteRequests(1));
        QCOMPARE(upstream.requests().at(0).body, std::string("hello"));
    }

    void rejectsAndCloses_data() {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        const auto row = [](const char* name, const std::string& bytes, int status) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << status;
        };
        row("content-length and transfer-encoding",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
            "0\r\n\r\n",
            400);
        row("differing duplicate content-length",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400);
        row("differing content-length list",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!", 400);
        row("negative content-length", "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400);
        row("signed content-length", "POST /api/x HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello",
            400);
        row("bad chunk size",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            400);
        row("chunk size with junk",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n",
            400);
        row("obs-fold", "GET /api/x HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n", 400);
        row("bare LF everywhere", "GET /api/x HTTP/1.1\nHost: a\n\n", 400);
        row("bare LF in one header", "GET /api/x HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n", 400);
        row("invalid header-name char", "GET /api/x HTTP/1.1\r\nHost: a\r\nX(Bad): v\r\n\r\n", 400);
        row("space in header name", "GET /api/x HTTP/1.1\r\nHost: a\r\nX Bad: v\r\n\r\n", 400);
        row("space before colon", "GET /api/x HTTP/1.1\r\nHost: a\r\nX-Bad : v\r\n\r\n", 400);
        row("NUL in header value",
            std::string("GET /api/x HTTP/1.1\r\nHost: a\r\nX-A: a") + '\0' + "b\r\n\r\n", 400);
        row("missing host", "GET /api/x HTTP/1.1\r\nX-A: b\r\n\r\n", 400);
        row("two hosts", "GET /api/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400);
        row("garbage request line", "HELLO\r\n\r\n", 400);
        // An unknown coding under a final chunked: framing is known, the coding is not (501).
        row("unknown transfer-coding",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n", 501);
        // Chunked not final: the length cannot be determined, RFC 9112 6.3 requires 400.
        row("sole unknown transfer-coding",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo\r\n\r\n", 400);
        row("chunked then unknown",
            "POST /api/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, foo\r\n\r\n0\r\n\r\n", 400);
    }

    void rejectsAndCloses() {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(request.toStdString()));
        const auto resp = client.readResponse(5s);
        TG_EXPECT_STATUS(resp, status, &client);
        QVERIFY2(client.waitForClose(3s), ("connection left open; pending: " + client.pending()).c_str());
        QTest::qWait(100);
        QVERIFY2(upstream.bytesReceived() == 0, ("upstream received:\n" + upstream.rawReceived()).c_str());
        QCOMPARE(upstream.connectionCount(), 0);
    }

    void smugglingAttemptDoesNotReachUpstream() {
        // A request hidden in a CL+TE body must never be seen as a second request.
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(
            "POST /api/a HTTP/1.1\r\nHost: a\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\n\r\n"
            "0\r\n\r\nGET /api/smuggled HTTP/1.1\r\nHost: a\r\n\r\n"));
        const auto resp = client.readResponse(5s);
        TG_EXPECT_STATUS(resp, 400, &client);
        QVERIFY(client.waitForClose(3s));
        QTest::qWait(100);
        QCOMPARE(upstream.bytesReceived(), uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(FramingTest)
#include "framing_test.moc"
