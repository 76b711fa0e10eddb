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

} // namespace

class PerfPooledCloseTest : public QObject {
    Q_OBJECT

private slots:
    void silentCloseRightAfterResponse_isNotReusedForPost() {
        // The upstream closes every connection right after its response, without saying so. A POST
        // is not retried on another connection, so sending one on the closed connection is a 502.
        // The pause lets the FIN arrive before the next request (a request that overtakes the FIN
        // is the keep-alive race no proxy can close).
        TestUpstream upstream;
        upstream.setHandler([](const RecordedRequest& req) {
            UpstreamResponse r;
            r.body = "upstream " + req.method + " " + req.target;
            r.closeAfter = true;
            r.announceClose = false;
            return r;
        });
        TollgatedProcess gw;
        TG_START(gw, oneWorkerYaml(upstream));

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        for (int i = 0; i < 40; ++i) {
            const std::string path = "/api/orders/" + std::to_string(i);
            QVERIFY(client.send(buildRequest("POST", path, {}, "order-" + std::to_string(i))));
            const auto resp = client.readResponse();
            TG_EXPECT_STATUS(resp, 200, &client);
            QCOMPARE(resp->body, "upstream POST /orders/" + std::to_string(i));
            std::this_thread::sleep_for(20ms);
        }
        QCOMPARE(upstream.requestCount(), size_t(40));
    }

    void silentCloseRightAfterResponse_getsEveryGetThrough() {
        // The same upstream, but GETs: the gateway does not look for the FIN before reusing the
        // connection (that look is a system call per request); a GET that meets the closed
        // connection is sent again on a fresh one. Every request reaches the upstream exactly once.
        TestUpstream upstream;
        upstream.setHandler([](const RecordedRequest& req) {
            UpstreamResponse r;
            r.body = "upstream " + req.method + " " + req.target;
            r.closeAfter = true;
            r.announceClose = false;
            return r;
        });
        TollgatedProcess gw;
        TG_START(gw, oneWorkerYaml(upstream));

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        for (int i = 0; i < 40; ++i) {
            const std::string path = "/api/items/" + std::to_string(i);
            QVERIFY(client.send(buildRequest("GET", path)));
            const auto resp = client.readResponse();
            TG_EXPECT_STATUS(resp, 200, &client);
            QCOMPARE(resp->body, "upstream GET /items/" + std::to_string(i));
            if (i % 2 == 0) {
                std::this_thread::sleep_for(20ms); // half the FINs arrive before the next request
            }
        }
        QCOMPARE(upstream.requestCount(), size_t(40));
        QCOMPARE(upstream.connectionCount(), 40);
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
