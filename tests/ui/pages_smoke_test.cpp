// Every page of the window, fed 20,000 synthetic request records through the controller's traffic
// signal (no gateway running): the Traffic table and the Dashboard take them in, and each page renders
// at 1280x800 with something drawn on it.

#include "bridge/engine_controller.h"
#include "main_window.h"
#include "pages/dashboard_page.h"
#include "pages/traffic_page.h"
#include "ui_test_support.h"

#include <QCheckBox>
#include <QDateTime>
#include <QImage>
#include <QLineEdit>
#include <QScrollBar>
#include <QSet>
#include <QStandardPaths>
#include <QTableView>
#include <QTextBrowser>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

RecordBatch syntheticTraffic(size_t n, uint64_t firstSeq = 1) {
    const char* consumers[] = {"acme", "globex", "initech", ""};
    const char* routes[] = {"list", "get", "create"};
    const uint16_t statuses[] = {200, 200, 200, 201, 404, 429, 403, 502};
    const char* reasons[] = {"", "", "", "", "", "limit.rate", "deny.no_grant", "upstream.connect"};
    auto records = std::make_shared<std::vector<RequestRecord>>(n);
    const int64_t now = QDateTime::currentMSecsSinceEpoch() * 1000;
    for (size_t i = 0; i < n; ++i) {
        RequestRecord& r = (*records)[i];
        r.seq = firstSeq + i;
        r.unixMicros = now - int64_t(n - i) * 3000; // the last minute
        r.status = statuses[i % 8];
        r.totalMicros = uint32_t(200 + (i * 37) % 90'000);
        r.upstreamMicros = r.totalMicros / 2;
        r.bytesOut = 100 + i % 5000;
        r.method = 1;
        qstrncpy(r.consumer, consumers[i % 4], sizeof r.consumer);
        qstrncpy(r.plan, i % 4 == 3 ? "" : "free", sizeof r.plan);
        qstrncpy(r.api, "orders", sizeof r.api);
        qstrncpy(r.route, routes[i % 3], sizeof r.route);
        qstrncpy(r.reason, reasons[i % 8], sizeof r.reason);
        qstrncpy(r.path, ("/orders/v1/" + std::to_string(i)).c_str(), sizeof r.path);
        qstrncpy(r.clientIp, "10.0.0.7", sizeof r.clientIp);
    }
    return records;
}

// Distinct colours in a sample of the image: a blank or single-colour page has one or two.
int colours(const QImage& image) {
    QSet<QRgb> seen;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7) {
            seen.insert(image.pixel(x, y));
        }
    }
    return int(seen.size());
}

} // namespace

class PagesSmokeTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void everyPageRendersWithSyntheticTraffic() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(test::openDemoWindow(w, dir));
        w.showPage(MainWindow::Dashboard);
        emit w.controller()->trafficArrived(syntheticTraffic(20'000));

        // Another page is shown: the table holds the rows back, and shows them with its page.
        QTRY_COMPARE(w.trafficPage()->model()->pendingCount(), size_t(20'000));
        QCOMPARE(w.trafficPage()->model()->keptCount(), size_t(0));
        w.showPage(MainWindow::Traffic);
        QTRY_COMPARE(w.trafficPage()->model()->keptCount(), size_t(20'000));
        QCOMPARE(w.trafficPage()->model()->pendingCount(), size_t(0));
        w.trafficPage()->filterField()->setText(QStringLiteral("status:4xx consumer:acme"));
        w.trafficPage()->applyFilter();
        // acme is every 4th record; its statuses are 200, 404 and 403 in turn: a 4xx every other one.
        QCOMPARE(w.trafficPage()->model()->rowCount(), 2'500);

        for (int p = 0; p < MainWindow::PageCount; ++p) {
            w.showPage(MainWindow::Page(p));
            QTest::qWait(50);
            const QImage image = w.grab().toImage();
            QCOMPARE(image.size(), QSize(1280, 800));
            QVERIFY2(colours(image) > 8, qPrintable(QStringLiteral("page %1 looks empty").arg(p)));
        }
        w.showPage(MainWindow::Dashboard);
        w.dashboardPage()->refresh();
        QCOMPARE(w.dashboardPage()->shown().requests, uint64_t(20'000));
        QCOMPARE(w.dashboardPage()->shown().topConsumers.size(), size_t(4));
    }

    void fullTableKeepsSelectionAndViewOnTheirRequests() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(test::openDemoWindow(w, dir));
        w.showPage(MainWindow::Traffic);
        TrafficPage* page = w.trafficPage();
        TrafficModel* model = page->model();
        emit w.controller()->trafficArrived(syntheticTraffic(100'000));
        QTRY_COMPARE(model->rowCount(), 100'000);
        page->followBox()->setChecked(false);
        page->view()->selectRow(60'000);
        page->view()->scrollTo(model->index(60'000, 0), QAbstractItemView::PositionAtTop);
        const int top = page->view()->rowAt(0);
        QCOMPARE(model->rowAt(60'000)->seq, uint64_t(60'001));

        // 5,000 more: as many leave the top. The selection, the current row and the rows in view
        // stay with their requests.
        emit w.controller()->trafficArrived(syntheticTraffic(5'000, 100'001));
        QTRY_COMPARE(model->rowAt(99'999)->seq, uint64_t(105'000));
        QCOMPARE(model->rowCount(), 100'000);
        QCOMPARE(page->view()->currentIndex().row(), 55'000);
        QCOMPARE(model->rowAt(page->view()->currentIndex().row())->seq, uint64_t(60'001));
        const QModelIndexList selected = page->view()->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), 55'000);
        QCOMPARE(page->view()->rowAt(0), top - 5'000);

        // A selected request that leaves the table leaves the selection and the detail pane.
        page->view()->selectRow(10);
        QVERIFY(!page->detail()->toPlainText().isEmpty());
        emit w.controller()->trafficArrived(syntheticTraffic(20'000, 105'001));
        QTRY_COMPARE(model->rowAt(99'999)->seq, uint64_t(125'000));
        QVERIFY(!page->view()->currentIndex().isValid());
        QVERIFY(!page->view()->selectionModel()->hasSelection());
        QVERIFY(page->detail()->toPlainText().isEmpty());
    }
};

QTEST_MAIN(PagesSmokeTest)
#include "pages_smoke_test.moc"
