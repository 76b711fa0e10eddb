// Editing as a user meets it in the window: undo and redo from the toolbar, the title's unsaved
// mark, Save, Apply with its diff swapping the config into the running gateway, an invalid edit
// holding Apply back, and a file changed by another program offered for reload.

#include "bridge/engine_controller.h"
#include "dialogs/apply_dialog.h"
#include "main_window.h"
#include "notice_bar.h"
#include "ui_test_support.h"

#include <QAction>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// GET url with the demo's umbrella key; the status, or 0 on a transport error.
int getStatus(QNetworkAccessManager& net, const QString& url, QByteArray* reason = nullptr) {
    QNetworkRequest request{QUrl(url)};
    request.setRawHeader("apikey", "demo-key-umbrella");
    QNetworkReply* reply = net.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(10000)) {
        return 0;
    }
    if (reason) {
        *reason = reply->rawHeader("X-Tollgate-Reason");
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return status;
}

int umbrellaIndex(ConfigDocument* doc) {
    for (size_t i = 0; i < doc->config()->consumers.size(); ++i) {
        if (doc->config()->consumers[i].name == "umbrella") {
            return int(i);
        }
    }
    return -1;
}

} // namespace

class EditingTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void undoRedoAndSave_fromTheToolbar() {
        QTemporaryDir dir;
        const QString path = test::writeDemoWorkspace(dir, 0);
        MainWindow w;
        QVERIFY(w.openWorkspace(path, false));
        QVERIFY(!w.isWindowModified());
        QVERIFY(!w.action(QStringLiteral("undo"))->isEnabled());

        QVERIFY(w.document()->setValue(QStringLiteral("plans[0].quota.requests"), QStringLiteral("777"),
                                       QStringLiteral("Change quota")));
        QVERIFY(w.isWindowModified());
        QVERIFY(w.windowTitle().contains(QStringLiteral("[*]")));
        QVERIFY(w.action(QStringLiteral("undo"))->text().contains(QStringLiteral("Change quota")));

        w.action(QStringLiteral("undo"))->trigger();
        QVERIFY(!w.isWindowModified());
        QCOMPARE(w.document()->scalar(QStringLiteral("plans[0].quota.requests")), QStringLiteral("10000"));
        w.action(QStringLiteral("redo"))->trigger();
        QVERIFY(w.isWindowModified());
        QCOMPARE(w.document()->config()->plans[0].quota->requests, uint64_t(777));

        w.action(QStringLiteral("save"))->trigger();
        QVERIFY(!w.isWindowModified());
        const LoadResult saved = loadConfigFile(path.toStdString());
        QVERIFY(saved.ok());
        QCOMPARE(saved.config->plans[0].quota->requests, uint64_t(777));
    }

    void apply_showsTheDiffAndTheRunningGatewayTakesIt() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), true));
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        QTRY_VERIFY(!w.gatewayUrl().isEmpty());
        QNetworkAccessManager net;
        const QString url = w.gatewayUrl() + QStringLiteral("/orders/v1/42");
        QByteArray reason;
        QCOMPARE(getStatus(net, url, &reason), 403); // umbrella is suspended in the demo
        QCOMPARE(reason, QByteArray("consumer.suspended"));

        const int umbrella = umbrellaIndex(w.document());
        QVERIFY(umbrella >= 0);
        QVERIFY(w.document()->setValue(QStringLiteral("consumers[%1].status").arg(umbrella),
                                       QStringLiteral("active"), QStringLiteral("Activate umbrella")));
        QVERIFY(w.action(QStringLiteral("apply"))->isEnabled());
        w.action(QStringLiteral("apply"))->trigger();
        auto* dialog = w.findChild<ApplyDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->diffText().contains(QStringLiteral("- ")));
        QVERIFY(dialog->diffText().contains(QStringLiteral("+ ")));
        QVERIFY(dialog->diffText().contains(QStringLiteral("active")));
        QSignalSpy applied(w.controller(), &EngineController::applied);
        dialog->findChild<QPushButton*>(QStringLiteral("applyButton"))->click();
        QVERIFY(applied.wait(10000));
        QVERIFY(applied.first().at(0).toBool());
        QCOMPARE(getStatus(net, url), 200);
        // Applying is not saving.
        QVERIFY(w.isWindowModified());
    }

    void invalidEdit_holdsApplyBack() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), false));
        QVERIFY(w.document()->setValue(QStringLiteral("consumers[0].plan"), QStringLiteral("platinum"),
                                       QStringLiteral("Change plan")));
        QVERIFY(!w.action(QStringLiteral("apply"))->isEnabled());
        QVERIFY(w.notice()->isVisibleTo(&w));
        QVERIFY(w.notice()->text().contains(QStringLiteral("platinum")));
        w.action(QStringLiteral("undo"))->trigger();
        QVERIFY(w.action(QStringLiteral("apply"))->isEnabled());
        QVERIFY(!w.notice()->isVisibleTo(&w));
    }

    void outsideChange_isOfferedForReload() {
        QTemporaryDir dir;
        const QString path = test::writeDemoWorkspace(dir, 0);
        MainWindow w;
        QVERIFY(w.openWorkspace(path, false));
        QByteArray text = readAll(path);
        text.replace("requests: 10000", "requests: 12345");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        QTRY_VERIFY_WITH_TIMEOUT(w.notice()->isVisibleTo(&w), 5000);
        QVERIFY(w.notice()->text().contains(QStringLiteral("changed by another program")));
        QPushButton* reload = nullptr;
        for (QPushButton* b : w.notice()->actionButtons()) {
            if (b->text() == QStringLiteral("Reload")) {
                reload = b;
            }
        }
        QVERIFY(reload);
        reload->click();
        QCOMPARE(w.document()->config()->plans[0].quota->requests, uint64_t(12345));
        QVERIFY(!w.isWindowModified());
    }
};

QTEST_MAIN(EditingTest)
#include "editing_test.moc"
