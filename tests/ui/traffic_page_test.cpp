// The Traffic page against a running embedded gateway: requests appear, the filter bar narrows them
// (and says what is wrong with a bad expression), a selected request explains itself, and the
// exports are valid HAR 1.2 and CSV.

#include "bridge/engine_controller.h"
#include "main_window.h"
#include "pages/traffic_page.h"
#include "traffic/traffic_export.h"
#include "ui_test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTextBrowser>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

void get(QNetworkAccessManager& net, const QString& url, const QByteArray& key) {
    QNetworkRequest request{QUrl(url)};
    if (!key.isEmpty()) {
        request.setRawHeader("apikey", key);
    }
    QNetworkReply* reply = net.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    reply->deleteLater();
}

// The HAR 1.2 structure (http://www.softwareishard.com/blog/har-12-spec/): required members and types.
void checkHar(const QJsonObject& har, int entries) {
    const QJsonObject log = har.value(QStringLiteral("log")).toObject();
    QCOMPARE(log.value(QStringLiteral("version")).toString(), QStringLiteral("1.2"));
    QVERIFY(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("name")).isString());
    QVERIFY(log.value(QStringLiteral("creator")).toObject().value(QStringLiteral("version")).isString());
    const QJsonArray list = log.value(QStringLiteral("entries")).toArray();
    QCOMPARE(list.size(), entries);
    for (const QJsonValue& v : list) {
        const QJsonObject e = v.toObject();
        QVERIFY(
            QDateTime::fromString(e.value(QStringLiteral("startedDateTime")).toString(), Qt::ISODateWithMs)
                .isValid());
        QVERIFY(e.value(QStringLiteral("time")).isDouble());
        QVERIFY(e.value(QStringLiteral("cache")).isObject());
        const QJsonObject req = e.value(QStringLiteral("request")).toObject();
        for (const char* key : {"method", "url", "httpVersion"}) {
            QVERIFY2(req.value(QLatin1String(key)).isString(), key);
        }
        for (const char* key : {"cookies", "headers", "queryString"}) {
            QVERIFY2(req.value(QLatin1String(key)).isArray(), key);
        }
        QVERIFY(req.value(QStringLiteral("headersSize")).isDouble());
        QVERIFY(req.value(QStringLiteral("bodySize")).isDouble());
        QVERIFY(QUrl(req.value(QStringLiteral("url")).toString()).isValid());
        const QJsonObject res = e.value(QStringLiteral("response")).toObject();
        QVERIFY(res.value(QStringLiteral("status")).isDouble());
        for (const char* key : {"statusText", "httpVersion", "redirectURL"}) {
            QVERIFY2(res.value(QLatin1String(key)).isString(), key);
        }
        QVERIFY(res.value(QStringLiteral("cookies")).isArray());
        QVERIFY(res.value(QStringLiteral("headers")).isArray());
        const QJsonObject content = res.value(QStringLiteral("content")).toObject();
        QVERIFY(content.value(QStringLiteral("size")).isDouble());
        QVERIFY(content.value(QStringLiteral("mimeType")).isString());
        const QJsonObject t = e.value(QStringLiteral("timings")).toObject();
        for (const char* key : {"send", "wait", "receive"}) {
            QVERIFY2(t.value(QLatin1String(key)).toDouble() >= 0, key);
        }
        // The timings add up to the entry's time, as HAR requires.
        QVERIFY(qAbs(t.value(QStringLiteral("send")).toDouble() + t.value(QStringLiteral("wait")).toDouble() +
                     t.value(QStringLiteral("receive")).toDouble() -
                     e.value(QStringLiteral("time")).toDouble()) < 0.01);
    }
}

} // namespace

class TrafficPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void liveRequestsFilterExplainAndExport() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), true));
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        QTRY_VERIFY(!w.gatewayUrl().isEmpty());
        w.showPage(MainWindow::Traffic);
        TrafficPage* page = w.trafficPage();
        QVERIFY(page);

        QNetworkAccessManager net;
        for (int i = 0; i < 5; ++i) {
            get(net, w.gatewayUrl() + QStringLiteral("/orders/v1/%1").arg(i), "demo-key-acme");
        }
        get(net, w.gatewayUrl() + QStringLiteral("/orders/v1/7"), "demo-key-umbrella"); // suspended: 403
        get(net, w.gatewayUrl() + QStringLiteral("/orders/v1/8"), QByteArray());        // no key: 401
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 7, 5000);

        QTest::keyClicks(page->filterField(), QStringLiteral("status:4xx"));
        page->applyFilter();
        QCOMPARE(page->model()->rowCount(), 2);
        page->filterField()->clear();
        QTest::keyClicks(page->filterField(), QStringLiteral("stauts:4xx"));
        page->applyFilter();
        QVERIFY(page->filterError()->isVisibleTo(page));
        QVERIFY(page->filterError()->text().contains(QStringLiteral("did you mean status")));
        QCOMPARE(page->model()->rowCount(), 2); // the last good filter stays
        page->filterField()->setText(QStringLiteral("consumer:umbrella"));
        page->applyFilter();
        QVERIFY(!page->filterError()->isVisibleTo(page));
        QCOMPARE(page->model()->rowCount(), 1);

        // The detail pane says what happened and asks the core why.
        page->view()->setCurrentIndex(page->model()->index(0, 0));
        QVERIFY(page->detail()->toPlainText().contains(QStringLiteral("consumer.suspended")));
        QTRY_VERIFY_WITH_TIMEOUT(page->detail()->toPlainText().contains(QStringLiteral("suspended")) &&
                                     page->detail()->toPlainText().contains(QStringLiteral("Why")),
                                 5000);

        // Pause holds new rows back until resume.
        page->filterField()->clear();
        page->applyFilter();
        page->pauseButton()->click();
        get(net, w.gatewayUrl() + QStringLiteral("/orders/v1/9"), "demo-key-acme");
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->pendingCount(), size_t(1), 5000);
        QCOMPARE(page->model()->rowCount(), 7);
        page->pauseButton()->click();
        QCOMPARE(page->model()->rowCount(), 8);

        const QString harPath = dir.filePath(QStringLiteral("traffic.har"));
        QVERIFY(page->exportTo(harPath, true, true));
        QFile har(harPath);
        QVERIFY(har.open(QIODevice::ReadOnly));
        const QJsonDocument doc = QJsonDocument::fromJson(har.readAll());
        checkHar(doc.object(), 8);
        const QJsonArray entries =
            doc.object()[QStringLiteral("log")].toObject()[QStringLiteral("entries")].toArray();
        QVERIFY(entries[0]
                    .toObject()[QStringLiteral("request")]
                    .toObject()[QStringLiteral("url")]
                    .toString()
                    .startsWith(w.gatewayUrl() + QStringLiteral("/orders/v1/")));

        const QString csvPath = dir.filePath(QStringLiteral("traffic.csv"));
        page->view()->selectRow(0);
        QVERIFY(page->exportTo(csvPath, false, false));
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QVERIFY(lines[0].startsWith("seq,time,consumer,plan,method,path"));
        QVERIFY(lines[1].contains(",acme,") && lines[1].contains(",GET,/orders/v1/0,"));
    }

    void csv_quotesWhatNeedsIt() {
        TrafficRow r;
        r.path = QStringLiteral("/a,b");
        r.consumer = QStringLiteral("say \"hi\"");
        const QByteArray csv = trafficCsv({r});
        QVERIFY(csv.contains("\"/a,b\""));
        QVERIFY(csv.contains("\"say \"\"hi\"\"\""));
    }
};

QTEST_MAIN(TrafficPageTest)
#include "traffic_page_test.moc"
