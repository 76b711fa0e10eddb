// WebSocket through the gateway: the Upgrade handshake reaches the upstream (Upgrade is not stripped
// for websocket), the client gets 101 with the right Sec-WebSocket-Accept, and frames are echoed.

#include "integration.h"

using namespace tollgate::test;

namespace {

std::string handshake(const std::string& path) {
    return buildRequest("GET", path,
                        {{"Upgrade", "websocket"},
                         {"Connection", "Upgrade"},
                         {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                         {"Sec-WebSocket-Version", "13"}});
}

} // namespace

class WebSocketTest : public QObject {
    Q_OBJECT

private slots:
    void handshakeAndEchoThroughGateway() {
        TestUpstream upstream("ws");
        UpstreamResponse echo;
        echo.action = UpstreamResponse::Action::WebSocketEcho;
        upstream.setResponse(echo);
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(handshake("/api/chat")));
        const auto resp = client.readResponse(5s);
        TG_EXPECT_STATUS(resp, 101, &client);
        QVERIFY(equalsIgnoreCase(resp->header("Upgrade"), "websocket"));
        QCOMPARE(resp->header("Sec-WebSocket-Accept"), std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));

        QVERIFY(upstream.waitForRequests(1));
        const RecordedRequest req = upstream.requests().at(0);
        QCOMPARE(req.path(), std::string("/chat"));
        QVERIFY2(equalsIgnoreCase(req.header("Upgrade"), "websocket"), req.rawHead.c_str());
        QVERIFY2(QString::fromStdString(req.header("Connection")).contains("upgrade", Qt::CaseInsensitive),
                 req.rawHead.c_str());
        QCOMPARE(req.header("Sec-WebSocket-Key"), std::string("dGhlIHNhbXBsZSBub25jZQ=="));

        QVERIFY(client.send(webSocketFrame(0x1, "hello tollgate")));
        auto frame = readWebSocketFrame(client, 5s);
        QVERIFY2(frame, client.lastError().c_str());
        QCOMPARE(frame->opcode, 0x1);
        QVERIFY(!frame->masked);
        QCOMPARE(frame->payload, std::string("hello tollgate"));

        const std::string big(70000, 'z');
        QVERIFY(client.send(webSocketFrame(0x2, big)));
        frame = readWebSocketFrame(client, 5s);
        QVERIFY2(frame, client.lastError().c_str());
        QCOMPARE(frame->opcode, 0x2);
        QCOMPARE(frame->payload.size(), big.size());
        QVERIFY(frame->payload == big);

        QVERIFY(client.send(webSocketFrame(0x8, std::string("\x03\xe8", 2))));
        frame = readWebSocketFrame(client, 5s);
        QVERIFY2(frame, client.lastError().c_str());
        QCOMPARE(frame->opcode, 0x8);
        QVERIFY2(client.waitForClose(5s), "tunnel not closed after the upstream closed");
    }

    void rejectedUpgradeStaysHttp() {
        // An upstream that answers the upgrade with a plain 200 leaves an ordinary HTTP connection.
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(handshake("/api/plain")));
        const auto resp = client.readResponse(5s);
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(resp->body, std::string("upstream GET /plain"));
    }
};

QTEST_GUILESS_MAIN(WebSocketTest)
#include "websocket_test.moc"
