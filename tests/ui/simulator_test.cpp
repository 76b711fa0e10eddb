// The traffic simulator: a plan made from the workspace, session keys that reach the engine but not
// the file, and a running simulation that fills the Traffic page with allowed and refused requests.

#include "bridge/engine_controller.h"
#include "main_window.h"
#include "pages/traffic_page.h"
#include "simulator/simulation_plan.h"
#include "simulator/traffic_simulator.h"
#include "stall_probe.h"
#include "tollgate/credentials.h"
#include "ui_test_support.h"

#include <QAction>
#include <QStandardPaths>
#include <QtTest>

#include <set>

using namespace tollgate;
using namespace tollgate::ui;

class SimulatorTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void plan_coversEveryConsumerWithItsOwnKey() {
        const Config demo = test::demoConfig();
        const SimulationPlan plan = planSimulation(demo);
        QCOMPARE(plan.keys.size(), demo.consumers.size());
        std::set<std::string> consumers;
        std::set<std::string> keys;
        bool anonymous = false;
        for (const SimulatedRequest& r : plan.requests) {
            QVERIFY(r.path.startsWith('/'));
            QVERIFY(r.weight > 0);
            consumers.insert(r.consumer);
            anonymous |= r.consumer.empty();
        }
        QVERIFY(anonymous);
        for (const ConsumerConfig& c : demo.consumers) {
            QVERIFY(consumers.count(c.name));
            QCOMPARE(apiKeyHash(plan.keys.at(c.name)), plan.hashes.at(c.name));
            keys.insert(plan.keys.at(c.name));
        }
        QCOMPARE(keys.size(), demo.consumers.size());

        const auto withKeys = withSimulationKeys(demo, plan.hashes);
        const auto again = withSimulationKeys(*withKeys, plan.hashes);
        QCOMPARE(again->consumers[0].credentials.size(), demo.consumers[0].credentials.size() + 1);
        QCOMPARE(withSimulationKeys(*again, {})->consumers[0].credentials.size(),
                 demo.consumers[0].credentials.size());
    }

    void simulation_fillsTheTrafficPageAndLeavesTheFileAlone() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), false));
        w.showPage(MainWindow::Traffic);
        w.startSimulation(400);
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        QVERIFY(w.action(QStringLiteral("simulate"))->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(w.simulator() && w.simulator()->counts().sent > 300, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(
            w.simulator()->counts().success > 0 && w.simulator()->counts().clientErrors > 0, 10000);
        QCOMPARE(w.simulator()->counts().failed, uint64_t(0));

        // Allowed calls (the simulator's keys work) and refusals both reach the table.
        TrafficModel* traffic = w.trafficPage()->model();
        QTRY_VERIFY_WITH_TIMEOUT(traffic->rowCount() > 200, 10000);
        int ok = 0;
        int refused = 0;
        for (int i = 0; i < traffic->rowCount(); ++i) {
            const std::optional<TrafficRow> r = traffic->rowAt(i);
            ok += r->status == 200 && !r->consumer.isEmpty();
            refused += r->status >= 400;
        }
        QVERIFY(ok > 0);
        QVERIFY(refused > 0);

        // The session keys never reach the document.
        QVERIFY(!w.document()->isModified());
        QVERIFY(
            !QString::fromStdString(w.document()->text()).contains(QLatin1String(kSimulationCredentialId)));
        w.stopSimulation();
        QVERIFY(!w.simulator());
        QVERIFY(!w.action(QStringLiteral("simulate"))->isChecked());
        for (const ConsumerConfig& c : w.controller()->config()->consumers) {
            for (const CredentialConfig& k : c.credentials) {
                QVERIFY(k.id != kSimulationCredentialId);
            }
        }
        QVERIFY(w.stallProbe()->ticks() > 0);
    }
};

QTEST_MAIN(SimulatorTest)
#include "simulator_test.moc"
