// Configuration reload: SIGHUP under continuous load loses no request and makes the new route live;
// the file watcher reloads without a signal; an invalid file keeps the old config serving.

#include "integration.h"

#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

using namespace tollgate::test;

namespace {

// A stable route the load hits, plus one route that changes with each generation.
std::string configGeneration(const TestUpstream& upstream, int generation) {
    GatewayYaml cfg;
    cfg.targets = {upstream.url()};
    cfg.routes = "      - { name: stable, path: \"/stable/*\" }\n"
                 "      - { name: gen, path: \"/v" +
                 std::to_string(generation) + "/*\" }\n";
    return cfg.toYaml();
}

// Sends requests until stopped, on one keep-alive connection or a new connection each time.
class LoadThread {
public:
    LoadThread(uint16_t port, bool keepAlive) : m_thread([this, port, keepAlive] { run(port, keepAlive); }) {}
    ~LoadThread() { stop(); }

    void stop() {
        m_stop = true;
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }
    int ok() const { return m_ok; }
    int failed() const { return m_failed; }
    std::string firstFailure() {
        std::lock_guard lock(m_mutex);
        return m_firstFailure;
    }

private:
    void fail(const std::string& what) {
        ++m_failed;
        std::lock_guard lock(m_mutex);
        if (m_firstFailure.empty()) {
            m_firstFailure = what;
        }
    }

    void run(uint16_t port, bool keepAlive) {
        RawClient client;
        for (int i = 0; !m_stop; ++i) {
            if (!keepAlive || !client.isConnected() || client.peerClosed()) {
                if (!client.connect(port)) {
                    fail("connect: " + client.lastError());
                    continue;
                }
            }
            const std::string path = "/api/stable/" + std::to_string(i);
            if (!client.send(buildRequest("GET", path))) {
                fail("send " + path + ": " + client.lastError());
                client.close();
                continue;
            }
            const auto resp = client.readResponse(5s);
            if (!resp || resp->status != 200) {
                fail(path + ": " + describe(resp, &client));
                client.close();
                continue;
            }
            ++m_ok;
            if (!keepAlive) {
                client.close();
            }
        }
    }

    std::atomic<bool> m_stop{false};
    std::atomic<int> m_ok{0};
    std::atomic<int> m_failed{0};
    std::mutex m_mutex; // guards m_firstFailure
    std::string m_firstFailure;
    std::thread m_thread;
};

int statusOf(uint16_t port, const std::string& path) {
    const auto resp = roundTrip(port, buildRequest("GET", path));
    return resp ? resp->status : 0;
}

} // namespace

class ReloadTest : public QObject {
    Q_OBJECT

private slots:
    void reloadUnderLoadLosesNothing() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configGeneration(upstream, 0));
        QCOMPARE(statusOf(gw.port(), "/api/v0/x"), 200);

        LoadThread keepAlive(gw.port(), true);
        LoadThread fresh(gw.port(), false);
        for (int gen = 1; gen <= 5; ++gen) {
            std::this_thread::sleep_for(150ms);
            QVERIFY(gw.writeConfig(configGeneration(upstream, gen)));
            const auto result = gw.reload();
            QVERIFY2(result == TollgatedProcess::ReloadResult::Reloaded, gw.diagnostics().c_str());
            QCOMPARE(statusOf(gw.port(), "/api/v" + std::to_string(gen) + "/x"), 200);
            QCOMPARE(statusOf(gw.port(), "/api/v" + std::to_string(gen - 1) + "/x"), 404);
        }
        std::this_thread::sleep_for(150ms);
        keepAlive.stop();
        fresh.stop();
        QVERIFY2(keepAlive.failed() == 0, ("keep-alive load failed " + std::to_string(keepAlive.failed()) +
                                           " times; first: " + keepAlive.firstFailure())
                                              .c_str());
        QVERIFY2(fresh.failed() == 0, ("new-connection load failed " + std::to_string(fresh.failed()) +
                                       " times; first: " + fresh.firstFailure())
                                          .c_str());
        QVERIFY2(keepAlive.ok() > 10 && fresh.ok() > 10, "the load threads barely ran");
        QVERIFY(gw.isRunning());
    }

    void invalidReloadKeepsOldConfig() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configGeneration(upstream, 1));

        std::string broken = configGeneration(upstream, 2);
        const std::string good = "balance: round_robin";
        broken.replace(broken.find(good), good.size(), "balance: sideways");
        QVERIFY(gw.writeConfig(broken));
        QVERIFY2(gw.reload() == TollgatedProcess::ReloadResult::Failed, gw.diagnostics().c_str());
        QVERIFY2(
            gw.waitForOutput("tollgate.yaml:" + std::to_string(lineOf(broken, "sideways")) + ":", 3s, true),
            gw.diagnostics().c_str());
        QVERIFY(gw.stderrText().find("sideways") != std::string::npos ||
                gw.stderrText().find("balance") != std::string::npos);

        QCOMPARE(statusOf(gw.port(), "/api/v1/x"), 200);
        QCOMPARE(statusOf(gw.port(), "/api/v2/x"), 404);
        QVERIFY(gw.isRunning());

        // Fixing the file brings the new config in.
        QVERIFY(gw.writeConfig(configGeneration(upstream, 2)));
        QVERIFY2(gw.reload() == TollgatedProcess::ReloadResult::Reloaded, gw.diagnostics().c_str());
        QCOMPARE(statusOf(gw.port(), "/api/v2/x"), 200);
    }

    void yamlSyntaxErrorOnReloadKeepsOldConfig() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configGeneration(upstream, 1));
        QVERIFY(gw.writeConfig(configGeneration(upstream, 2) + "apis: [ { name: \"unterminated\n"));
        QVERIFY2(gw.reload() == TollgatedProcess::ReloadResult::Failed, gw.diagnostics().c_str());
        QCOMPARE(statusOf(gw.port(), "/api/v1/x"), 200);
    }

    void fileChangeIsReloadedWithoutSignal() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configGeneration(upstream, 1));
        std::this_thread::sleep_for(1100ms); // a new modification time, even at one-second resolution
        const size_t reloaded = gw.countInStdout("tollgated: config reloaded");
        QVERIFY(gw.writeConfig(configGeneration(upstream, 22)));
        QVERIFY2(gw.waitForReload(reloaded, 0, 6s) == TollgatedProcess::ReloadResult::Reloaded,
                 gw.diagnostics().c_str());
        QCOMPARE(statusOf(gw.port(), "/api/v22/x"), 200);
        QCOMPARE(statusOf(gw.port(), "/api/v1/x"), 404);
    }
};

QTEST_GUILESS_MAIN(ReloadTest)
#include "reload_test.moc"
