// Self-test of the integration harness, without the gateway: RawClient against TestUpstream directly,
// so that a failure elsewhere can be trusted to be the gateway's.

#include "integration.h"

#include <thread>

using namespace tollgate::test;

class HarnessTest : public QObject {
    Q_OBJECT

private slots:
    void recordsRequestsAndKeepsAlive() {
        TestUpstream upstream("u");
        RawClient client;
        QVERIFY(client.connect(upstream.port()));
        QVERIFY(client.send(buildRequest("POST", "/a?b=c", {{"X-A", "1"}}, "hello") +
                            buildRequest("GET", "/two")));
        auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(resp->body, std::string("u POST /a?b=c"));
        QCOMPARE(resp->header("X-Upstream"), std::string("u"));
        resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(resp->body, std::string("u GET /two"));
        QVERIFY(upstream.waitForCompleteRequests(2));
        const auto reqs = upstream.requests();
        QCOMPARE(reqs.at(0).path(), std::string("/a"));
        QCOMPARE(reqs.at(0).query(), std::string("b=c"));
        QCOMPARE(reqs.at(0).body, std::string("hello"));
        QCOMPARE(reqs.at(0).bodySha256, sha256Hex("hello"));
        QCOMPARE(reqs.at(0).header("x-a"), std::string("1"));
        QCOMPARE(upstream.connectionCount(), 1);
        QVERIFY(upstream.bytesReceived() > 0);
    }

    void chunkedBothWays() {
        TestUpstream upstream;
        UpstreamResponse r;
        r.body = std::string(10000, 'r');
        r.chunked = true;
        r.chunkSize = 999;
        upstream.setResponse(r);
        const std::string body(5000, 'q');
        const auto resp =
            roundTrip(upstream.port(), "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                           chunkedEncode(body, 700));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(resp->chunked);
        QCOMPARE(resp->body, r.body);
        QVERIFY(upstream.waitForCompleteRequests(1));
        QVERIFY(upstream.requests().at(0).chunked);
        QCOMPARE(upstream.requests().at(0).body, body);
    }

    void expectContinueHeadAndNoBodyStatuses() {
        TestUpstream upstream;
        upstream.setHandler([](const RecordedRequest& req) {
            UpstreamResponse r;
            r.status = req.path() == "/204" ? 204 : 200;
            r.body = "abc";
            return r;
        });
        RawClient client;
        QVERIFY(client.connect(upstream.port()));
        QVERIFY(
            client.send("POST /e HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
        ReadOptions interim;
        interim.returnInterim = true;
        TG_EXPECT_STATUS(client.readResponse(interim), 100, &client);
        QVERIFY(client.send("hi"));
        TG_EXPECT_STATUS(client.readResponse(), 200, &client);

        QVERIFY(client.send(buildRequest("HEAD", "/h")));
        ReadOptions head;
        head.headRequest = true;
        const auto h = client.readResponse(head);
        TG_EXPECT_STATUS(h, 200, &client);
        QCOMPARE(h->header("Content-Length"), std::string("3"));
        QVERIFY(client.send(buildRequest("GET", "/204")));
        TG_EXPECT_STATUS(client.readResponse(), 204, &client);
        QVERIFY(client.send(buildRequest("GET", "/x")));
        const auto x = client.readResponse();
        TG_EXPECT_STATUS(x, 200, &client);
        QCOMPARE(x->body, std::string("abc"));
    }

    void closeNeverAnswerAndDelay() {
        TestUpstream upstream;
        upstream.setHandler([](const RecordedRequest& req) {
            UpstreamResponse r;
            if (req.path() == "/close") {
                r.action = UpstreamResponse::Action::CloseWithoutAnswer;
            } else if (req.path() == "/never") {
                r.action = UpstreamResponse::Action::NeverAnswer;
            } else {
                r.delay = 200ms;
            }
            return r;
        });
        RawClient client;
        QVERIFY(client.connect(upstream.port()));
        QVERIFY(client.send(buildRequest("GET", "/close")));
        QVERIFY(!client.readResponse(2s));
        QVERIFY(client.peerClosed());

        QVERIFY(client.connect(upstream.port()));
        QVERIFY(client.send(buildRequest("GET", "/never")));
        QVERIFY(!client.readResponse(300ms));
        QVERIFY(!client.peerClosed());

        const auto start = std::chrono::steady_clock::now();
        TG_EXPECT_STATUS(roundTrip(upstream.port(), buildRequest("GET", "/slow")), 200, nullptr);
        QVERIFY(std::chrono::steady_clock::now() - start >= 200ms);
        QCOMPARE(upstream.connectionCount(), 3);
    }

    void webSocketEcho() {
        TestUpstream upstream;
        UpstreamResponse r;
        r.action = UpstreamResponse::Action::WebSocketEcho;
        upstream.setResponse(r);
        RawClient client;
        QVERIFY(client.connect(upstream.port()));
        QVERIFY(client.send(buildRequest("GET", "/ws",
                                         {{"Upgrade", "websocket"},
                                          {"Connection", "Upgrade"},
                                          {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                          {"Sec-WebSocket-Version", "13"}})));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 101, &client);
        QCOMPARE(resp->header("Sec-WebSocket-Accept"), std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        QVERIFY(client.send(webSocketFrame(1, std::string(300, 'w'))));
        const auto frame = readWebSocketFrame(client);
        QVERIFY(frame);
        QCOMPARE(frame->payload, std::string(300, 'w'));
    }

    void unusedPortIsRefused() {
        RawClient client;
        QVERIFY(!client.connect(unusedPort(), 1s));
    }
};

QTEST_GUILESS_MAIN(HarnessTest)
#include "harness_test.moc"
