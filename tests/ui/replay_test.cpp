// Headers and Replay on the Traffic page against a running embedded gateway: a selected request shows
// its request and response headers with the key redacted; the HAR export carries them; Replay with
// the right key gets 200 and with a wrong one 401 and its reason code; a credential remembered for
// the session comes back in the next Replay and is found nowhere on disk nor in QSettings.

#include "bridge/engine_controller.h"
#include "main_window.h"
#include "pages/traffic_page.h"
#include "replay/replay_dialog.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTextBrowser>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

const QByteArray kKey = "demo-key-acme";

void get(QNetworkAccessManager& net, const QString& url, const QByteArray& key) {
    QNetworkRequest request{QUrl(url)};
    request.setRawHeader("apikey", key);
    request.setRawHeader("Cookie", "session=cookie-secret-42");
    QNetworkReply* reply = net.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    reply->deleteLater();
}

// The demo names its keys in comments: the workspace must not, so a key found on disk came from us.
QString writeWorkspaceWithoutClearKeys(const QTemporaryDir& dir) {
    const QString path = test::writeDemoWorkspace(dir, 0);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        return {};
    }
    QByteArray text = f.readAll();
    f.close();
    text.replace("demo-key-", "the demo's key ");
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size()) {
        return {};
    }
    return path;
}

QString headerValue(const QJsonArray& headers, const QString& name) {
    for (const QJsonValue& v : headers) {
        if (v[QStringLiteral("name")].toString().compare(name, Qt::CaseInsensitive) == 0) {
            return v[QStringLiteral("value")].toString();
        }
    }
    return {};
}

} // namespace

class ReplayTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void headersRedacted_harCarriesThem_replayRightAndWrongKey_rememberedInMemoryOnly() {
        QTemporaryDir dir;
        const QString workspace = writeWorkspaceWithoutClearKeys(dir);
        QVERIFY(!workspace.isEmpty());
        MainWindow w;
        QVERIFY(w.openWorkspace(workspace, true));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        QTRY_VERIFY(!w.gatewayUrl().isEmpty());
        w.showPage(MainWindow::Traffic);
        TrafficPage* page = w.trafficPage();
        QVERIFY(page);

        QNetworkAccessManager net;
        get(net, w.gatewayUrl() + QStringLiteral("/orders/v1/42"), kKey);
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 1, 5000);

        // Beside the detail, both heads, the key and the cookie redacted.
        QVERIFY(!page->replayButton()->isEnabled());
        page->view()->setCurrentIndex(page->model()->index(0, 0));
        QTRY_VERIFY_WITH_TIMEOUT(
            page->headersView()->toPlainText().contains(QStringLiteral("Response headers")), 5000);
        const QString detail = page->headersView()->toPlainText();
        QVERIFY(detail.contains(QStringLiteral("GET /orders/v1/42 HTTP/1.1")));
        QVERIFY(detail.contains(QStringLiteral("apikey")));
        QVERIFY(detail.contains(QStringLiteral("[redacted]")));
        QVERIFY(detail.contains(QStringLiteral("HTTP/1.1 200 OK")));
        QVERIFY(!detail.contains(QString::fromLatin1(kKey)));
        QVERIFY(!detail.contains(QStringLiteral("cookie-secret-42")));
        QVERIFY(page->replayButton()->isEnabled());

        // HAR: the headers are there, redacted, with their sizes.
        const QString harPath = dir.filePath(QStringLiteral("exports/traffic.har"));
        QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("exports"))));
        QSignalSpy exported(page, &TrafficPage::exported);
        page->exportWhenReady(harPath, true, true);
        QTRY_COMPARE_WITH_TIMEOUT(exported.count(), 1, 5000);
        QVERIFY(exported.first().at(0).toBool());
        QFile har(harPath);
        QVERIFY(har.open(QIODevice::ReadOnly));
        const QByteArray harBytes = har.readAll();
        QVERIFY(!harBytes.contains(kKey));
        const QJsonObject entry =
            QJsonDocument::fromJson(harBytes)[QStringLiteral("log")][QStringLiteral("entries")][0].toObject();
        const QJsonObject request = entry[QStringLiteral("request")].toObject();
        const QJsonObject response = entry[QStringLiteral("response")].toObject();
        QCOMPARE(headerValue(request[QStringLiteral("headers")].toArray(), QStringLiteral("apikey")),
                 QStringLiteral("[redacted]"));
        QCOMPARE(headerValue(request[QStringLiteral("headers")].toArray(), QStringLiteral("Cookie")),
                 QStringLiteral("[redacted]"));
        QVERIFY(request[QStringLiteral("headersSize")].toDouble() > 0);
        QVERIFY(!headerValue(response[QStringLiteral("headers")].toArray(), QStringLiteral("Content-Type"))
                     .isEmpty());
        QVERIFY(response[QStringLiteral("headersSize")].toDouble() > 0);

        // Replay (Ctrl+R): the dialog asks for the key, as the capture found it in the apikey header.
        page->view()->setFocus();
        QTest::keyClick(page->view(), Qt::Key_R, Qt::ControlModifier);
        QPointer<ReplayDialog> dialog = page->replayDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->request().method, QStringLiteral("GET"));
        QCOMPARE(dialog->targetField()->text(), QStringLiteral("/orders/v1/42"));
        QVERIFY(!dialog->headersField()->toPlainText().contains(QStringLiteral("redacted")));
        QVERIFY(dialog->request().leftOut.contains(QStringLiteral("Cookie")));
        QVERIFY(!dialog->bodyField()->isEnabled()); // GET: nothing to type
        QVERIFY(dialog->credentialField());
        QVERIFY(dialog->credentialField()->text().isEmpty());
        QVERIFY(dialog->originalView()->toPlainText().contains(QStringLiteral("200")));

        QSignalSpy answered(dialog.data(), &ReplayDialog::answered);
        QTest::keyClicks(dialog->credentialField(), QStringLiteral("not-the-key"));
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(answered.wait(10000));
        QCOMPARE(dialog->lastResult().status, 401);
        QCOMPARE(dialog->lastResult().reason, QStringLiteral("auth.invalid"));
        QVERIFY(dialog->answerView()->toPlainText().contains(QStringLiteral("auth.invalid")));

        dialog->credentialField()->clear();
        QTest::keyClicks(dialog->credentialField(), QString::fromLatin1(kKey));
        QTest::mouseClick(dialog->rememberBox(), Qt::LeftButton);
        QVERIFY(dialog->rememberBox()->isChecked());
        QTest::mouseClick(dialog->sendButton(), Qt::LeftButton);
        QVERIFY(answered.wait(10000));
        QCOMPARE(dialog->lastResult().status, 200);
        QVERIFY(dialog->lastResult().reason.isEmpty());
        QVERIFY(dialog->answerView()->toPlainText().contains(QStringLiteral("200")));
        QVERIFY(dialog->answerView()->toPlainText().contains(QStringLiteral("Content-Type")));
        dialog->close();
        QTRY_VERIFY(!dialog);

        // The replays went through the gateway: they are traffic too.
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 3, 5000);

        // Remembered for the session: the next Replay for acme has it.
        page->view()->setCurrentIndex(page->model()->index(0, 0));
        QTRY_VERIFY(page->replayButton()->isEnabled());
        QTest::mouseClick(page->replayButton(), Qt::LeftButton);
        dialog = page->replayDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->credentialField()->text(), QString::fromLatin1(kKey));
        QVERIFY(dialog->rememberBox()->isChecked());

        // ...and nowhere else: not in QSettings, the document or any file under the workspace.
        QVERIFY(w.saveDocument());
        QSettings settings;
        settings.sync();
        for (const QString& key : settings.allKeys()) {
            QVERIFY2(!settings.value(key).toString().contains(QString::fromLatin1(kKey)), qPrintable(key));
        }
        QFile settingsFile(settings.fileName());
        if (settingsFile.open(QIODevice::ReadOnly)) {
            QVERIFY(!settingsFile.readAll().contains(kKey));
        }
        QVERIFY(!QString::fromStdString(w.document()->text()).contains(QString::fromLatin1(kKey)));
        QDirIterator files(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int checked = 0;
        while (files.hasNext()) {
            QFile f(files.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(kKey), qPrintable(f.fileName()));
            ++checked;
        }
        QVERIFY(checked >= 2); // the workspace and the export at least
        dialog->close();
    }
};

QTEST_MAIN(ReplayTest)
#include "replay_test.moc"
