// Load balancing across real upstreams: weighted round robin, least_conn, consistent_hash on a header.

#include "integration.h"

#include <map>
#include <thread>

using namespace tollgate::test;

class BalancingTest : public QObject {
    Q_OBJECT

private slots:
    void weightedRoundRobinFollowsWeights() {
        TestUpstream a("a");
        TestUpstream b("b");
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {a.url(), b.url()};
        cfg.weights = {3, 1};
        cfg.workers = 4; // overridden on the command line: --workers 1 makes the split exact
        TG_START(gw, cfg.toYaml(), QStringList{"--workers", "1"});

        std::map<std::string, int> served;
        for (int i = 0; i < 400; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/w/" + std::to_string(i)));
            TG_EXPECT_STATUS(resp, 200, nullptr);
            ++served[resp->header("X-Upstream")];
        }
        QCOMPARE(int(a.requestCount()), served["a"]);
        QCOMPARE(int(b.requestCount()), served["b"]);
        const std::string split = std::to_string(served["a"]) + ":" + std::to_string(served["b"]);
        QVERIFY2(served["a"] >= 270 && served["a"] <= 330, ("split was " + split).c_str());
        QVERIFY2(served["b"] >= 70 && served["b"] <= 130, ("split was " + split).c_str());
    }

    void leastConnAvoidsBusyTarget() {
        TestUpstream a("a");
        TestUpstream b("b");
        const auto handler = [](const RecordedRequest& req) {
            UpstreamResponse r;
            r.body = req.path();
            r.delay = req.path() == "/slow" ? 2000ms : 0ms;
            return r;
        };
        a.setHandler(handler);
        b.setHandler(handler);
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {a.url(), b.url()};
        cfg.balance = "least_conn";
        cfg.workers = 1;
        TG_START(gw, cfg.toYaml());

        std::optional<HttpResponse> slow;
        std::thread slowThread([&] { slow = roundTrip(gw.port(), buildRequest("GET", "/api/slow"), 10s); });
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (a.requestCount() + b.requestCount() == 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
        }
        const bool slowOnA = a.requestCount() == 1;
        QVERIFY2(a.requestCount() + b.requestCount() == 1, "slow request did not reach an upstream");

        std::map<std::string, int> served;
        for (int i = 0; i < 10; ++i) {
            const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/fast/" + std::to_string(i)));
            if (resp) {
                ++served[resp->header("X-Upstream")];
            }
        }
        slowThread.join();
        TG_EXPECT_STATUS(slow, 200, nullptr);
        const std::string idle = slowOnA ? "b" : "a";
        QVERIFY2(served[idle] == 10,
                 ("fast requests on the idle target: " + std::to_string(served[idle]) +
                  " of 10 (the busy one got " + std::to_string(served[slowOnA ? "a" : "b"]) + ")")
                     .c_str());
    }

    void consistentHashKeepsUserOnOneTarget() {
        TestUpstream a("a");
        TestUpstream b("b");
        TestUpstream c("c");
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {a.url(), b.url(), c.url()};
        cfg.balance = "consistent_hash";
        cfg.serviceExtra = "    hash_on: \"header:X-User\"\n";
        TG_START(gw, cfg.toYaml());

        std::map<std::string, std::string> targetOf;
        std::map<std::string, int> perTarget;
        for (int round = 0; round < 3; ++round) {
            for (int u = 0; u < 20; ++u) {
                const std::string user = "user-" + std::to_string(u);
                const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/h", {{"X-User", user}}));
                TG_EXPECT_STATUS(resp, 200, nullptr);
                const std::string target = resp->header("X-Upstream");
                if (round == 0) {
                    targetOf[user] = target;
                    ++perTarget[target];
                } else {
                    QVERIFY2(targetOf[user] == target,
                             (user + " moved from " + targetOf[user] + " to " + target).c_str());
                }
            }
        }
        QVERIFY2(perTarget.size() >= 2, "20 users all hashed onto one target");
    }
};

QTEST_GUILESS_MAIN(BalancingTest)
#include "balancing_test.moc"
