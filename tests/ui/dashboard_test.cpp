// The Dashboard: its data adapters (percentiles from histograms, one-second buckets, the store's
// history filled out to the range, quota run-out at the current pace) and the page itself fed by the
// simulator through a running gateway: charts with data, quota gauges, a history range from the store.

#include "bridge/engine_controller.h"
#include "dashboard/dashboard_series.h"
#include "main_window.h"
#include "pages/dashboard_page.h"
#include "ui_test_support.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QDateTimeAxis>
#include <QHorizontalBarSeries>
#include <QLineSeries>
#include <QStandardPaths>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

RequestRecord row(int64_t second, uint16_t status, const char* consumer, uint32_t micros,
                  const char* reason = "", const char* plan = "free") {
    RequestRecord r;
    r.unixMicros = second * 1'000'000 + 1000;
    r.status = status;
    qstrncpy(r.consumer, consumer, sizeof r.consumer);
    r.totalMicros = micros;
    qstrncpy(r.reason, reason, sizeof r.reason);
    qstrncpy(r.api, "orders", sizeof r.api);
    qstrncpy(r.route, "get", sizeof r.route);
    qstrncpy(r.plan, plan, sizeof r.plan);
    return r;
}

} // namespace

class DashboardTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void percentiles_fromHistograms() {
        LatencyHistogram h;
        QCOMPARE(percentileMs(h, 0.5), 0.0);
        for (int i = 0; i < 90; ++i) {
            h.add(900); // bucket (750, 1000]
        }
        for (int i = 0; i < 10; ++i) {
            h.add(40'000); // bucket (30 000, 50 000]
        }
        const double p50 = percentileMs(h, 0.50);
        QVERIFY(p50 > 0.75 && p50 <= 1.0);
        const double p99 = percentileMs(h, 0.99);
        QVERIFY(p99 > 30.0 && p99 <= 50.0);
        QVERIFY(percentileMs(h, 0.95) <= p99);
    }

    void live_oneBucketPerSecondWithRatesAndTops() {
        LiveSeries live(10);
        const int64_t now = 1'800'000'000;
        for (int i = 0; i < 8; ++i) {
            live.add(row(now, 200, "acme", 1000));
        }
        live.add(row(now, 429, "globex", 100, "limit.rate"));
        live.add(row(now, 502, "globex", 30'000, "upstream.connect"));
        live.add(row(now - 3, 200, "acme", 1000));
        live.add(row(now - 60, 200, "acme", 1000)); // left the window long ago
        const DashboardData d = live.data(now);
        QCOMPARE(d.points.size(), size_t(10));
        QCOMPARE(d.points.back().start, now);
        QCOMPARE(d.points.back().perSecond[2], 8.0);
        QCOMPARE(d.points.back().perSecond[4], 1.0);
        QCOMPARE(d.points.back().perSecond[5], 1.0);
        QCOMPARE(d.points.back().errorRate, 0.1);
        QCOMPARE(d.points.back().refusalRate, 0.1);
        QCOMPARE(d.points[size_t(10 - 1 - 3)].perSecond[2], 1.0);
        QCOMPARE(d.points[0].perSecond[2], 0.0); // quiet seconds are there, at zero
        QCOMPARE(d.requests, uint64_t(11));
        QCOMPARE(d.topConsumers.front().name, QStringLiteral("acme"));
        QCOMPARE(d.topConsumers.front().requests, uint64_t(9));
        QCOMPARE(d.topRoutes.front().name, QStringLiteral("orders/get"));

        // Filters apply when drawn, to what was already counted.
        const DashboardData globex = live.data(now, {QString(), QString(), QStringLiteral("globex")});
        QCOMPARE(globex.requests, uint64_t(2));
        QCOMPARE(globex.points.back().perSecond[2], 0.0);
        QCOMPARE(globex.topConsumers.size(), size_t(1));
        QCOMPARE(globex.topRoutes.front().requests, uint64_t(2));
        QCOMPARE(live.data(now, {QStringLiteral("orders"), QStringLiteral("free"), QString()}).requests,
                 uint64_t(11));
        QCOMPARE(live.data(now, {QString(), QStringLiteral("gold"), QString()}).requests, uint64_t(0));
        QCOMPARE(live.data(now, {QString(), QString(), QStringLiteral("nobody")}).requests, uint64_t(0));
    }

    void live_dropsNamesWithTheirSeconds() {
        // The window forgets what left it: a flood of distinct consumers does not stay in memory.
        LiveSeries live(5);
        for (int i = 0; i < 1000; ++i) {
            const QByteArray name = "c" + QByteArray::number(i);
            live.add(row(1000 + i, 200, name.constData(), 1));
        }
        const DashboardData d = live.data(1999);
        QCOMPARE(d.requests, uint64_t(5));
        QCOMPARE(d.topConsumers.size(), size_t(5));
        QCOMPARE(d.topConsumers.front().name, QStringLiteral("c995")); // ties: by name
        QCOMPARE(d.topConsumers.back().name, QStringLiteral("c999"));
        QCOMPARE(live.namesHeld(), size_t(5 + 3)); // five consumers, and free, orders, get
        live.clear();
        QCOMPARE(live.namesHeld(), size_t(0));
    }

    void history_fillsTheRangeAtItsGranularity() {
        UsageHistory h;
        h.query.granularity = Granularity::Hour;
        UsagePoint p;
        p.start = 7200;
        p.totals.requests = 3600;
        p.totals.byStatusClass[2] = 3600;
        p.totals.latency.add(2000, 3600);
        p.refused = 360;
        h.series.push_back(p);
        h.totals = p.totals;
        h.topConsumers = {{"", 3000}, {"acme", 600}};
        h.topRoutes = {{"orders/list", 3600}};
        const DashboardData d = historyData(h, 0, 4 * 3600);
        QCOMPARE(d.bucketSeconds, 3600);
        QCOMPARE(d.points.size(), size_t(4));
        QCOMPARE(d.points[2].perSecond[2], 1.0);
        QCOMPARE(d.points[1].perSecond[2], 0.0);
        QVERIFY(d.points[2].p50Ms > 1.5 && d.points[2].p50Ms <= 2.0);
        QCOMPARE(d.points[2].refusalRate, 0.1);
        QCOMPARE(d.topConsumers.size(), size_t(2));
        QCOMPARE(d.topConsumers[0].name, QStringLiteral("(anonymous)"));
        QCOMPARE(d.topConsumers[1].requests, uint64_t(600));
        QCOMPARE(d.topRoutes[0].name, QStringLiteral("orders/list"));
    }

    void quota_runsOutAtThePaceSoFar() {
        ConsumerUsage u;
        u.consumer = "acme";
        u.plan = "free";
        QVERIFY(!quotaGauge(u, 100).has_value());
        QuotaUsage q;
        q.quota = 1000;
        q.used = 500;
        q.remaining = 500;
        q.periodStart = 0;
        q.periodEnd = 10'000;
        u.quota = q;
        const auto g = quotaGauge(u, 1000); // 500 in 1000 s: the rest lasts another 1000 s
        QVERIFY(g.has_value());
        QCOMPARE(g->fraction(), 0.5);
        QCOMPARE(*g->runsOutAt, int64_t(2000));
        u.quota->used = 5;
        u.quota->remaining = 995;
        QVERIFY(!quotaGauge(u, 1000)->runsOutAt.has_value()); // lasts past the period
    }

    void page_drawsLiveTrafficAndQuotas() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(test::openDemoWindow(w, dir));
        w.showPage(MainWindow::Dashboard);
        w.startSimulation(300);
        QTRY_COMPARE_WITH_TIMEOUT(w.controller()->state(), GatewayState::Running, 10000);
        DashboardPage* page = w.dashboardPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->shown().requests > 100, 15000);
        QCOMPARE(page->shown().points.size(), size_t(300));
        QCOMPARE(page->chart(0)->series().size(), 4); // 2xx 3xx 4xx 5xx bands
        auto* band = qobject_cast<QAreaSeries*>(page->chart(0)->series().first());
        QVERIFY(band);
        double top = 0;
        for (const QPointF& p : band->upperSeries()->points()) {
            top = std::max(top, p.y());
        }
        QVERIFY(top > 0);
        QCOMPARE(page->chart(1)->series().size(), 3); // p50 p95 p99
        // Live points sit at seconds before now, on an axis that stays put from tick to tick.
        for (int c = 0; c < 3; ++c) {
            auto* x = qobject_cast<QCategoryAxis*>(page->chart(c)->axes(Qt::Horizontal).value(0));
            QVERIFY(x);
            QCOMPARE(x->min(), -300.0);
            QCOMPARE(x->max(), 0.0);
            QCOMPARE(x->categoriesLabels().last(), QStringLiteral("now"));
        }
        const QList<QPointF> live = band->upperSeries()->points();
        QVERIFY(live.first().x() >= -301 && live.first().x() < -295);
        QVERIFY(live.last().x() <= 0 && live.last().x() > -3);
        QVERIFY(!page->shown().topConsumers.empty());
        QTRY_VERIFY_WITH_TIMEOUT(page->gaugeCount() > 0, 10000); // the demo's plans have quotas
        QVERIFY(!page->grab().isNull());

        // A history range comes from the store (aggregates are flushed once a second).
        QTest::qWait(1500);
        page->setRange(DashboardPage::Range::Hour);
        QTRY_VERIFY_WITH_TIMEOUT(page->shown().requests > 0, 10000);
        QCOMPARE(page->shown().bucketSeconds, 60);
        // History has dates on its x axis, and live gets its own axis back.
        auto* dates = qobject_cast<QDateTimeAxis*>(page->chart(0)->axes(Qt::Horizontal).value(0));
        QVERIFY(dates);
        QVERIFY(dates->min().secsTo(dates->max()) >= 3600);
        QCOMPARE(band->attachedAxes().count(dates), 1);
        page->setRange(DashboardPage::Range::Live);
        QVERIFY(qobject_cast<QCategoryAxis*>(page->chart(0)->axes(Qt::Horizontal).value(0)));
        QCOMPARE(page->chart(0)->axes(Qt::Horizontal).size(), 1);
        w.stopSimulation();
    }
};

QTEST_MAIN(DashboardTest)
#include "dashboard_test.moc"
