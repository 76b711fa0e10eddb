// EngineController against a real engine on a temporary workspace: the states in order, status
// snapshots while running, a taken port reported with a free one to offer, explain and route
// matching answered off the UI thread.

#include "bridge/engine_controller.h"
#include "bridge/free_port.h"
#include "ui_test_support.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

QList<GatewayState> states(const QSignalSpy& spy) {
    QList<GatewayState> out;
    for (const QList<QVariant>& args : spy) {
        out << args.at(0).value<GatewayState>();
    }
    return out;
}

// One GET over a plain socket; returns the status line.
QByteArray get(quint16 port, const QByteArray& path, const QByteArray& key) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(3000)) {
        return {};
    }
    socket.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\napikey: " + key +
                 "\r\nConnection: close\r\n\r\n");
    QByteArray answer;
    while (socket.waitForReadyRead(3000)) {
        answer += socket.readAll();
    }
    return answer.left(answer.indexOf("\r\n"));
}

} // namespace

class EngineControllerTest : public QObject {
    Q_OBJECT
private slots:
    void startPollStop_onPortZero() {
        QTemporaryDir dir;
        EngineController controller(nullptr, std::chrono::milliseconds(50));
        controller.setConfig(test::loadShared(test::writeDemoWorkspace(dir, 0)));
        QSignalSpy stateSpy(&controller, &EngineController::stateChanged);
        QSignalSpy statusSpy(&controller, &EngineController::statusUpdated);

        controller.start();
        QCOMPARE(controller.state(), GatewayState::Starting); // at once: the UI thread did not wait
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayState::Running, 10000);
        QTRY_VERIFY(statusSpy.count() >= 2);
        const EngineStatus first = statusSpy.first().at(0).value<EngineStatus>();
        QCOMPARE(first.listeners.size(), size_t(1));
        const quint16 port = first.listeners.front().port;
        QVERIFY(port != 0);
        QCOMPARE(controller.status().listeners.front().port, port);

        QCOMPARE(get(port, "/orders/v1/42", "demo-key-acme"), QByteArray("HTTP/1.1 200 OK"));
        QTRY_VERIFY(controller.status().metrics.requests >= 1);
        QVERIFY(controller.status().uptimeSeconds > 0);

        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayState::Stopped, 10000);
        QCOMPARE(states(stateSpy), (QList<GatewayState>{GatewayState::Starting, GatewayState::Running,
                                                        GatewayState::Stopping, GatewayState::Stopped}));
        QVERIFY(controller.status().listeners.empty());
        const int polled = statusSpy.count();
        QTest::qWait(200);
        QCOMPARE(statusSpy.count(), polled); // no snapshots once stopped
    }

    void restart_goesThroughStoppingAndStartingAgain() {
        QTemporaryDir dir;
        EngineController controller;
        controller.setConfig(test::loadShared(test::writeDemoWorkspace(dir, 0)));
        controller.start();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayState::Running, 10000);
        QSignalSpy stateSpy(&controller, &EngineController::stateChanged);
        controller.restart();
        QTRY_COMPARE_WITH_TIMEOUT(stateSpy.count(), 3, 10000);
        QCOMPARE(states(stateSpy), (QList<GatewayState>{GatewayState::Stopping, GatewayState::Starting,
                                                        GatewayState::Running}));
    }

    void portInUse_failsAndOffersAFreePort() {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        const quint16 taken = squatter.serverPort();
        QTemporaryDir dir;
        EngineController controller;
        controller.setConfig(test::loadShared(test::writeDemoWorkspace(dir, taken)));
        QSignalSpy inUse(&controller, &EngineController::addressInUse);

        controller.start();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayState::Failed, 10000);
        QTRY_COMPARE(inUse.count(), 1);
        QCOMPARE(inUse.first().at(0).toString(), QStringLiteral("127.0.0.1:%1").arg(taken));
        const auto offered = inUse.first().at(1).value<quint16>();
        QVERIFY(offered != 0 && offered != taken);
        QVERIFY(portIsFree(QStringLiteral("127.0.0.1"), offered));
        QVERIFY(controller.lastError().contains(QStringLiteral("in use")));
    }

    void otherStartFailure_isNotReportedAsAddressInUse() {
        QTemporaryDir dir;
        EngineController controller;
        auto config = std::make_shared<Config>(*test::loadShared(test::writeDemoWorkspace(dir, 0)));
        config->gateway.listen.front().host = "192.0.2.1"; // TEST-NET: not an address of this machine
        controller.setConfig(config);
        QSignalSpy inUse(&controller, &EngineController::addressInUse);
        controller.start();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), GatewayState::Failed, 10000);
        QCOMPARE(inUse.count(), 0);
        QVERIFY(!controller.lastError().isEmpty());
    }

    void commandsThatMakeNoSense_areIgnored() {
        EngineController controller;
        controller.start(); // no config
        QCOMPARE(controller.state(), GatewayState::Stopped);
        controller.stop();
        QCOMPARE(controller.state(), GatewayState::Stopped);
    }

    void explain_allowedAndDenied() {
        EngineController controller;
        controller.setConfig(std::make_shared<const Config>(test::demoConfig()));
        QSignalSpy spy(&controller, &EngineController::explained);
        ExplainQuery q;
        q.consumer = "acme";
        q.method = "GET";
        q.path = "/orders/v1/42";
        const quint64 allowedTicket = controller.explain(q);
        q.method = "DELETE";
        q.path = "/orders/v1/admin/x";
        const quint64 deniedTicket = controller.explain(q);
        QTRY_COMPARE(spy.count(), 2);
        QCOMPARE(spy.at(0).at(0).value<quint64>(), allowedTicket);
        const auto allowed = spy.at(0).at(1).value<ExplainResult>();
        QCOMPARE(allowed.status, 200);
        QCOMPARE(spy.at(1).at(0).value<quint64>(), deniedTicket);
        const auto denied = spy.at(1).at(1).value<ExplainResult>();
        QCOMPARE(denied.status, 403);
        QCOMPARE(denied.reason, std::string("deny.explicit"));
    }

    void matchRoute_findsTheRoute() {
        EngineController controller;
        controller.setConfig(std::make_shared<const Config>(test::demoConfig()));
        QSignalSpy spy(&controller, &EngineController::routeMatched);
        controller.matchRoute(QStringLiteral("GET"), QStringLiteral("/orders/v1/42"));
        QTRY_COMPARE(spy.count(), 1);
        const auto m = spy.first().at(1).value<RouteMatchResult>();
        QCOMPARE(m.kind, RouteMatchResult::Kind::Found);
        QCOMPARE(m.apiIndex, 0);
        QCOMPARE(m.routeIndex, 1);
        QCOMPARE(m.pattern, std::string("/orders/v1/{id}"));
    }

    void findFreePort_prefersTheNextPorts() {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        const quint16 taken = squatter.serverPort();
        QVERIFY(!portIsFree(QStringLiteral("127.0.0.1"), taken));
        const quint16 offered = findFreePort(QStringLiteral("127.0.0.1"), taken);
        QVERIFY(offered != 0 && offered != taken);
        QVERIFY(findFreePort(QStringLiteral("127.0.0.1")) != 0);
    }
};

QTEST_GUILESS_MAIN(EngineControllerTest)
#include "engine_controller_test.moc"
