// tollgated reopens gateway.access_log on SIGUSR1: after logrotate renamed the file, new lines go to a
// fresh file under the configured name, the renamed one keeps what was written before. A log that
// cannot be written is reported, never stops traffic, and is written again once it can be.

#include "integration.h"

#include <QDir>

#include <csignal>
#include <cstdio>
#include <thread>

using namespace tollgate::test;

namespace {

bool waitForText(const std::string& path, const std::string& needle, std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (readFile(path).find(needle) != std::string::npos) {
            return true;
        }
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

} // namespace

class AccessLogReopenTest : public QObject {
    Q_OBJECT

private slots:
    void sigusr1_reopensTheRenamedLog() {
        GatewayYaml cfg;
        cfg.targets = {"builtin:echo"};
        cfg.gatewayExtra = "  access_log: access.jsonl\n";
        TollgatedProcess gw;
        TG_START(gw, cfg.toYaml());
        const std::string log = gw.dir() + "/access.jsonl";
        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/before")), 200, nullptr);
        QVERIFY2(waitForText(log, "/before"), readFile(log).c_str());
        QCOMPARE(std::rename(log.c_str(), (log + ".1").c_str()), 0);
        QVERIFY(gw.sendSignal(SIGUSR1));
        // The reopen happens on the gateway's own schedule; keep sending until the new file shows up.
        bool reopened = false;
        for (int i = 0; i < 50 && !reopened; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/after")), 200, nullptr);
            reopened = waitForText(log, "/after", 100ms);
        }
        QVERIFY2(reopened, gw.diagnostics().c_str());
        QVERIFY(readFile(log).find("/before") == std::string::npos);
        QVERIFY(readFile(log + ".1").find("/before") != std::string::npos);
        QVERIFY(gw.isRunning());
    }

    void unwritableLog_isReportedAndTrafficGoesOn() {
        GatewayYaml cfg;
        cfg.targets = {"builtin:echo"};
        cfg.gatewayExtra = "  access_log: logs/access.jsonl\n"; // the folder does not exist yet
        TollgatedProcess gw;
        TG_START(gw, cfg.toYaml());
        TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/lost")), 200, nullptr);
        QVERIFY2(gw.waitForOutput("tollgated: access log: cannot open", 5s, true), gw.diagnostics().c_str());
        QVERIFY(QDir(QString::fromStdString(gw.dir())).mkdir("logs"));
        const std::string log = gw.dir() + "/logs/access.jsonl";
        bool written = false;
        for (int i = 0; i < 50 && !written; ++i) {
            TG_EXPECT_STATUS(roundTrip(gw.port(), buildRequest("GET", "/api/kept")), 200, nullptr);
            written = waitForText(log, "/kept", 100ms);
        }
        QVERIFY2(written, gw.diagnostics().c_str());
        QVERIFY2(gw.waitForOutput("tollgated: access log: writing again", 5s, true),
                 gw.diagnostics().c_str());
    }
};

QTEST_GUILESS_MAIN(AccessLogReopenTest)
#include "access_log_reopen_test.moc"
