// The gateway's cheap readiness waits (server/read_wait.h): a wait that costs no epoll_ctl does not
// see a FIN that arrived together with the last bytes read (one edge for both). Upstream: the
// gateway must look before it reuses a connection for a request it could not replay (a POST), or
// that request goes to a dead one; a GET that meets a dead one is replayed on a fresh one. Client:
// a client that half-closes right after its request must still see the connection closed.

#include "integration.h"

#include <thread>

using namespace tollgate::test;

namespace {

// The default test gateway in front of `upstream`, on one worker.
std::string oneWorkerYaml(const TestUpstream& upstream) {
    GatewayYaml cfg;
    cfg.targets = {upstream.url()};
    cfg.workers = 1;
    return cfg.toYaml();
}

// The upstream closes every connection right after its response, without saying so. Sends 40
// requests through one client connection, pausing 20 ms after every `pauseEvery`-th: each must be
// answered by the upstream, which sees each exactly once, on a connection of its own.
void throughSilentlyClosingUpstream(const std::string& method, int pauseEvery) {
    TestUpstream upstream;
    upstream.closeAfterEachResponse(/*announce=*/false);
    TollgatedProcess gw;
    TG_START(gw, oneWorkerYaml(upstream));

    RawClient client;
    QVERIFY(client.connect(gw.port()));
    for (int i = 0; i < 40; ++i) {
        const std::string id = std::to_string(i);
        const std::string body = method == "POST" ? "order-" + id : "";
        QVERIFY(client.send(buildRequest(method, "/api/orders/" + id, {}, body)));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(resp->body, "upstream " + method + " /orders/" + id);
        if (i % pauseEvery == 0) {
            std::this_thread::sleep_for(20ms);
        }
    }
    QCOMPARE(upstream.requestCount(), size_t(40));
    QCOMPARE(upstream.connectionCount(), 40);
}

} // namespace

class PerfPooledCloseTest : public QObject {
    Q_OBJECT

private slots:
    void silentCloseRightAfterResponse_isNotReusedForPost() {
        // A POST is not replayed on another connection, so sending one on the closed connection
        // would be a 502: the gateway looks for the FIN before it reuses the connection. The pause
        // lets the FIN arrive before the next request (a request that overtakes the FIN is the
        // keep-alive race no proxy can close).
        throughSilentlyClosingUpstream("POST", /*pauseEvery=*/1);
    }

    void silentCloseRightAfterResponse_getsEveryGetThrough() {
        // For a GET the gateway does not look (that look is a system call per request); a GET
        // that meets the closed connection is sent again on a fresh one.
        throughSilentlyClosingUpstream("GET", /*pauseEvery=*/2); // half the FINs come before the next request
    }

    void clientHalfCloseWithRequest_isClosedAfterResponse() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, oneWorkerYaml(upstream));

        for (int i = 0; i < 5; ++i) {
            RawClient client;
            QVERIFY(client.connect(gw.port()));
            QVERIFY(client.send(buildRequest("GET", "/api/half/" + std::to_string(i))));
            client.shutdownWrite();
            TG_EXPECT_STATUS(client.readResponse(), 200, &client);
            QVERIFY2(client.waitForClose(2s), "connection kept open after the client's FIN");
        }
    }

    void keepAliveUpstream_isStillReused() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, oneWorkerYaml(upstream));

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        for (int i = 0; i < 50; ++i) {
            QVERIFY(client.send(buildRequest("POST", "/api/orders", {}, "order-" + std::to_string(i))));
            TG_EXPECT_STATUS(client.readResponse(), 200, &client);
        }
        QCOMPARE(upstream.connectionCount(), 1);
    }
};

QTEST_GUILESS_MAIN(PerfPooledCloseTest)
#include "perf_pooled_close_test.moc"
