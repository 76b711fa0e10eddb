// The window as a user meets it: every page reachable from the sidebar and the keyboard, the
// gateway started and stopped from the toolbar, a taken port offered a free one, "why?" and the
// path tester answering.

#include "bridge/engine_controller.h"
#include "main_window.h"
#include "models/explain_chain_model.h"
#include "notice_bar.h"
#include "pages/apis_page.h"
#include "pages/why_page.h"
#include "ui_test_support.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void everyPageIsReachable() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), false));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* sidebar = w.findChild<QListWidget*>(QStringLiteral("sidebar"));
        QVERIFY(sidebar);
        QCOMPARE(sidebar->count(), int(MainWindow::PageCount));
        for (int i = 0; i < MainWindow::PageCount; ++i) {
            sidebar->setCurrentRow(i);
            QCOMPARE(int(w.currentPage()), i);
            QVERIFY(w.page(static_cast<MainWindow::Page>(i))->isVisible());
        }
        QTest::keyClick(&w, Qt::Key_7, Qt::ControlModifier);
        QCOMPARE(w.currentPage(), MainWindow::Why);
        QTest::keyClick(&w, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(w.currentPage(), MainWindow::Settings);
        QTest::keyClick(&w, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(w.currentPage(), MainWindow::Apis);
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("workspace.yaml")));
    }

    void toolbarStartsAndStopsTheGateway() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), false));
        QCOMPARE(w.controller()->state(), GatewayState::Stopped);
        QVERIFY(w.action(QStringLiteral("start"))->isEnabled());
        QVERIFY(!w.action(QStringLiteral("stop"))->isEnabled());
        w.action(QStringLiteral("start"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        QTRY_VERIFY(w.gatewayUrl().startsWith(QStringLiteral("http://127.0.0.1:")));
        QVERIFY(w.findChild<QLabel*>(QStringLiteral("gatewayUrl"))->text().contains(w.gatewayUrl()));
        QVERIFY(w.action(QStringLiteral("copyUrl"))->isEnabled());
        QVERIFY(!w.action(QStringLiteral("start"))->isEnabled());
        w.action(QStringLiteral("stop"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Stopped, 10000);
        QVERIFY(w.gatewayUrl().isEmpty());
        QVERIFY(!w.action(QStringLiteral("copyUrl"))->isEnabled());
    }

    void takenPort_offersAFreeOneThatWorks() {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        const quint16 taken = squatter.serverPort();
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, taken), true));
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Failed, 10000);
        QTRY_VERIFY(w.notice()->isVisibleTo(&w));
        QVERIFY(w.notice()->text().contains(QStringLiteral("already in use")));
        const QList<QPushButton*> buttons = w.notice()->actionButtons();
        QVERIFY(!buttons.isEmpty());
        QVERIFY(buttons.first()->text().startsWith(QStringLiteral("Use port ")));
        buttons.first()->click();
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        QTRY_VERIFY(!w.gatewayUrl().isEmpty());
        QVERIFY(!w.gatewayUrl().endsWith(QStringLiteral(":%1").arg(taken)));
        QVERIFY(!w.notice()->isVisibleTo(&w));
    }

    void brokenWorkspace_saysSoAndCannotStart() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.yaml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("version: 1\nservices: 3\n");
        f.close();
        MainWindow w;
        QVERIFY(!w.openWorkspace(path, true));
        QVERIFY(w.notice()->isVisibleTo(&w));
        QVERIFY(w.notice()->text().contains(QStringLiteral("broken.yaml")));
        QVERIFY(!w.action(QStringLiteral("start"))->isEnabled());
        QCOMPARE(w.controller()->state(), GatewayState::Stopped);
    }

    void whyPage_allowedAndDenied() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), false));
        WhyPage* why = w.whyPage();
        QSignalSpy spy(why, &WhyPage::resultReady);
        why->ask(QStringLiteral("acme"), QStringLiteral("GET"), QStringLiteral("/orders/v1/42"));
        QTRY_COMPARE(spy.count(), 1);
        QCOMPARE(why->lastResult().status, 200);
        QVERIFY(why->chainModel()->rowCount() > 0);

        why->ask(QStringLiteral("acme"), QStringLiteral("DELETE"), QStringLiteral("/orders/v1/admin/x"));
        QTRY_COMPARE(spy.count(), 2);
        QCOMPARE(why->lastResult().status, 403);
        QCOMPARE(why->lastResult().reason, std::string("deny.explicit"));

        why->ask(QString(), QStringLiteral("GET"), QStringLiteral("/orders/v1/42")); // anonymous
        QTRY_COMPARE(spy.count(), 3);
        QCOMPARE(why->lastResult().status, 401);
    }

    void apisPage_pathTesterNamesTheRoute() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), false));
        w.apisPage()->testPath(QStringLiteral("GET"), QStringLiteral("/orders/v1/42"));
        QTRY_VERIFY(w.apisPage()->resultLabel()->text().contains(QStringLiteral("orders v1 / get")));
        w.apisPage()->testPath(QStringLiteral("GET"), QStringLiteral("/nowhere"));
        QTRY_VERIFY(w.apisPage()->resultLabel()->text().contains(QStringLiteral("route.none")));
    }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
