// Store consumption aggregates: schema 2 migration, exact sums over minute/hour/day rows, query
// granularity and filters, quantiles from summed histograms, retention pruning, day rows for billing.

#include "sqlite_raw.h"
#include "store/store.h"
#include "store/usage_query.h"
#include "usage_deltas.h"

#include <QtTest>

#include <sqlite3.h>

#include <string>
#include <vector>

using tollgate::Granularity;
using tollgate::RetentionConfig;
using tollgate::UsageHistory;
using tollgate::UsageQuery;
using tollgate::recording::AggregateDelta;
using tollgate::store::Store;
using tollgate::test::rawQuery;
using tollgate::test::usageDelta;

namespace {

constexpr int64_t kDay = 86'400;
constexpr int64_t kT0 = 1'767'225'600; // 2026-01-01 00:00 UTC

UsageQuery query(std::string consumer, int64_t from, int64_t to, Granularity g = Granularity::Auto,
                 std::string api = "") {
    UsageQuery q;
    q.consumer = std::move(consumer);
    q.api = std::move(api);
    q.fromUnix = from;
    q.toUnix = to;
    q.granularity = g;
    return q;
}

} // namespace

class UsageStoreTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;
    std::string freshPath() { return m_dir.filePath(QString("u%1.db").arg(++m_files)).toStdString(); }

    std::unique_ptr<Store> open(const std::string& path) {
        std::string error;
        auto store = Store::open(path, error);
        if (!store) {
            qWarning("open failed: %s", error.c_str());
        }
        return store;
    }

    UsageHistory run(Store& store, const UsageQuery& q, int64_t now) {
        UsageHistory h;
        std::string error;
        if (!store.queryUsage(q, RetentionConfig{}, now, h, error)) {
            qWarning("query failed: %s", error.c_str());
        }
        return h;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void migrationFromVersion1KeepsCounters() {
        const std::string path = freshPath();
        rawQuery(path,
                 "CREATE TABLE counters(consumer TEXT NOT NULL, kind TEXT NOT NULL, period INTEGER NOT NULL,"
                 " value INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY(consumer, kind, period))"
                 " WITHOUT ROWID");
        rawQuery(path, "INSERT INTO counters VALUES('acme', 'quota.used.month', 673, 42, 1)");
        rawQuery(path, "PRAGMA user_version = 1");
        auto store = open(path);
        QVERIFY(store);
        QCOMPARE(rawQuery(path, "PRAGMA user_version"), std::string("2"));
        std::string error;
        const auto rows = store->loadCounters(error);
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].consumer, std::string("acme"));
        QCOMPARE(rows[0].value, int64_t(42));
        for (const char* table : {"series", "usage_minute", "usage_hour", "usage_day"}) {
            const std::string sql =
                "SELECT count(*) FROM sqlite_schema WHERE name = '" + std::string(table) + "'";
            QCOMPARE(rawQuery(path, sql.c_str()), std::string("1"));
        }
        QVERIFY(store->addUsage({usageDelta(kT0, "acme", "/a", 1)}, error));
    }

    void addUsageSumsExactlyAcrossMinuteHourAndDayBoundaries() {
        const std::string path = freshPath();
        auto store = open(path);
        QVERIFY(store);
        std::string error;
        // 23:58, 23:59 of Dec 31, then 00:00, 00:01 of Jan 1; each minute written by several calls.
        const int64_t minutes[] = {kT0 - 120, kT0 - 60, kT0, kT0 + 60};
        uint64_t expected = 0;
        for (int round = 0; round < 5; ++round) {
            std::vector<AggregateDelta> batch;
            for (size_t i = 0; i < std::size(minutes); ++i) {
                batch.push_back(usageDelta(minutes[i], "acme", "/a", 1 + i + round));
                expected += 1 + i + round;
            }
            QVERIFY2(store->addUsage(batch, error), error.c_str());
        }
        const int64_t now = kT0 + 3600;
        const UsageHistory byMinute =
            run(*store, query("acme", kT0 - 120, kT0 + 120, Granularity::Minute), now);
        QCOMPARE(byMinute.series.size(), size_t(4));
        QCOMPARE(byMinute.totals.requests, expected);
        for (size_t i = 0; i < 4; ++i) {
            QCOMPARE(byMinute.series[i].start, minutes[i]);
            QCOMPARE(byMinute.series[i].totals.requests, uint64_t(5 * (1 + i) + 10));
        }
        const UsageHistory byHour =
            run(*store, query("acme", kT0 - 3600, kT0 + 3600, Granularity::Hour), now);
        QCOMPARE(byHour.series.size(), size_t(2));
        QCOMPARE(byHour.series[0].start, kT0 - 3600);
        QCOMPARE(byHour.series[0].totals.requests, uint64_t(5 + 10 + 10 + 10));
        QCOMPARE(byHour.totals.requests, expected);
        const UsageHistory byDay = run(*store, query("acme", kT0 - kDay, kT0 + kDay, Granularity::Day), now);
        QCOMPARE(byDay.series.size(), size_t(2));
        QCOMPARE(byDay.series[1].start, kT0);
        QCOMPARE(byDay.totals.requests, expected);
        QCOMPARE(byDay.totals.bytesOut, expected * 100);
        QCOMPARE(byDay.totals.byStatusClass[2], expected);
        QCOMPARE(byDay.totals.latency.total(), expected);
        // One series and its all-consumer rollup, in every table.
        QCOMPARE(rawQuery(path, "SELECT count(*) FROM series"), std::string("2"));
        for (const char* table : {"usage_minute", "usage_hour", "usage_day"}) {
            const std::string sql = "SELECT sum(requests) FROM " + std::string(table);
            QCOMPARE(rawQuery(path, sql.c_str()), std::to_string(2 * expected));
        }
    }

    void autoGranularityFollowsRangeAndRetention() {
        const RetentionConfig keep;
        const int64_t now = kT0 + 100 * kDay;
        const auto resolve = [&](int64_t from, int64_t to, Granularity g = Granularity::Auto) {
            return tollgate::store::resolveUsageQuery(query("", from, to, g), keep, now);
        };
        QCOMPARE(resolve(now - 6 * 3600, now).granularity, Granularity::Minute);
        QCOMPARE(resolve(now - 6 * 3600 - 1, now).granularity, Granularity::Hour);
        QCOMPARE(resolve(now - 31 * kDay, now).granularity, Granularity::Hour);
        QCOMPARE(resolve(now - 32 * kDay, now).granularity, Granularity::Day);
        // Minutes are kept 7 days, hours 90: an older `from` goes to the next table that still has it.
        QCOMPARE(resolve(now - 8 * kDay, now - 8 * kDay + 60).granularity, Granularity::Hour);
        QCOMPARE(resolve(now - 8 * kDay, now, Granularity::Minute).granularity, Granularity::Hour);
        QCOMPARE(resolve(now - 91 * kDay, now - 91 * kDay + 60).granularity, Granularity::Day);
        QCOMPARE(resolve(now - 1000 * kDay, now, Granularity::Day).granularity, Granularity::Day);
        // Bounds aligned outward to the bucket.
        const int64_t base = now - 2 * kDay;
        const UsageQuery q = resolve(base + 3600 + 59, base + 7200 + 1, Granularity::Minute);
        QCOMPARE(q.fromUnix, base + 3600);
        QCOMPARE(q.toUnix, base + 7200 + 60);
        const UsageQuery h = resolve(base + 3601, base + kDay - 1, Granularity::Hour);
        QCOMPARE(h.fromUnix, base + 3600);
        QCOMPARE(h.toUnix, base + kDay);
        const UsageQuery d = resolve(base - 40 * kDay + 1, base + 1);
        QCOMPARE(d.granularity, Granularity::Day);
        QCOMPARE(d.fromUnix, base - 40 * kDay);
        QCOMPARE(d.toUnix, base + kDay);
    }

    void queryAnswersWithTheResolvedGranularity() {
        auto store = open(freshPath());
        QVERIFY(store);
        std::string error;
        const int64_t now = kT0 + 20 * kDay;
        QVERIFY(store->addUsage({usageDelta(now - 10 * kDay + 120, "acme", "/a", 3)}, error));
        const UsageHistory h = run(*store, query("acme", now - 10 * kDay, now, Granularity::Minute), now);
        QCOMPARE(h.query.granularity, Granularity::Hour);
        QCOMPARE(h.series.size(), size_t(1));
        QCOMPARE(h.series[0].start, now - 10 * kDay);
        QCOMPARE(h.totals.requests, uint64_t(3));
    }

    void queryFiltersByConsumerAndApi() {
        auto store = open(freshPath());
        QVERIFY(store);
        std::string error;
        QVERIFY(store->addUsage({usageDelta(kT0, "acme", "/a", 1, 2, "", "shop"),
                                 usageDelta(kT0, "acme", "/p", 10, 2, "", "pay"),
                                 usageDelta(kT0 + 60, "bolt", "/a", 100, 4, "auth.missing", "shop"),
                                 usageDelta(kT0 + 60, "", "/a", 1000, 4, "auth.missing", "shop"),
                                 usageDelta(kT0 + 120, "bolt", "/p", 10000, 5, "upstream.timeout", "pay")},
                                error));
        const int64_t now = kT0 + 600;
        const auto total = [&](std::string consumer, std::string api) {
            return run(*store, query(consumer, kT0, kT0 + 300, Granularity::Minute, api), now).totals;
        };
        QCOMPARE(total("", "").requests, uint64_t(11111));
        QCOMPARE(total("acme", "").requests, uint64_t(11));
        QCOMPARE(total("bolt", "").requests, uint64_t(10100));
        QCOMPARE(total("", "shop").requests, uint64_t(1101));
        QCOMPARE(total("", "pay").requests, uint64_t(10010));
        QCOMPARE(total("acme", "pay").requests, uint64_t(10));
        QCOMPARE(total("nobody", "").requests, uint64_t(0));
        const auto all = total("", "");
        QCOMPARE(all.byStatusClass[2], uint64_t(11));
        QCOMPARE(all.byStatusClass[4], uint64_t(1100));
        QCOMPARE(all.byStatusClass[5], uint64_t(10000));
        const UsageHistory bolt = run(*store, query("bolt", kT0, kT0 + 300, Granularity::Minute), now);
        QCOMPARE(bolt.series.size(), size_t(2)); // only minutes with traffic
        QCOMPARE(bolt.series[0].start, kT0 + 60);
        QCOMPARE(bolt.series[1].start, kT0 + 120);
    }

    void rankedQueryTopsAndRefusals() {
        auto store = open(freshPath());
        QVERIFY(store);
        std::string error;
        QVERIFY(store->addUsage({usageDelta(kT0, "acme", "/a", 5, 2, "", "shop"),
                                 usageDelta(kT0, "acme", "/p", 7, 4, "limit.rate", "pay"),
                                 usageDelta(kT0 + 60, "bolt", "/a", 30, 4, "auth.missing", "shop"),
                                 usageDelta(kT0 + 60, "bolt", "/a", 2, 4, "", "shop"), // the upstream's 404
                                 usageDelta(kT0 + 120, "", "/p", 3, 4, "auth.missing", "pay")},
                                error));
        UsageQuery q = query("", kT0, kT0 + 300, Granularity::Minute);
        QVERIFY(run(*store, q, kT0 + 600).topConsumers.empty()); // only when asked
        q.ranked = true;
        const UsageHistory all = run(*store, q, kT0 + 600);
        QCOMPARE(all.topConsumers.size(), size_t(3));
        QCOMPARE(all.topConsumers[0].name, std::string("bolt"));
        QCOMPARE(all.topConsumers[0].requests, uint64_t(32));
        QCOMPARE(all.topConsumers[1].name, std::string("acme"));
        QCOMPARE(all.topConsumers[2].name, std::string("")); // anonymous
        QCOMPARE(all.topRoutes.size(), size_t(2));
        QCOMPARE(all.topRoutes[0].name, std::string("shop//a"));
        QCOMPARE(all.topRoutes[0].requests, uint64_t(37));
        QCOMPARE(all.topRoutes[1].name, std::string("pay//p"));
        QCOMPARE(all.refused, uint64_t(40)); // 7 + 30 + 3: not the upstream's own 404s
        QCOMPARE(all.series.size(), size_t(3));
        QCOMPARE(all.series[0].refused, uint64_t(7));
        QCOMPARE(all.series[1].refused, uint64_t(30));
        QCOMPARE(all.series[2].refused, uint64_t(3));

        q.consumer = "acme";
        const UsageHistory acme = run(*store, q, kT0 + 600);
        QCOMPARE(acme.topConsumers.size(), size_t(1));
        QCOMPARE(acme.topRoutes.size(), size_t(2));
        QCOMPARE(acme.refused, uint64_t(7));
        q.consumer.clear();
        q.api = "pay";
        q.granularity = Granularity::Hour;
        const UsageHistory pay = run(*store, q, kT0 + 600);
        QCOMPARE(pay.topRoutes.size(), size_t(1));
        QCOMPARE(pay.refused, uint64_t(10));
        QCOMPARE(pay.series.size(), size_t(1));
        QCOMPARE(pay.series[0].refused, uint64_t(10));
    }

    void rankingOverAWeekCountsWholeDays() {
        auto store = open(freshPath());
        QVERIFY(store);
        std::string error;
        QVERIFY(store->addUsage(
            {usageDelta(kT0 + 3600, "early", "/a", 4), usageDelta(kT0 + 3 * kDay, "acme", "/a", 9)}, error));
        UsageQuery q = query("", kT0 + 7200, kT0 + 8 * kDay);
        q.ranked = true;
        const UsageHistory h = run(*store, q, kT0 + 8 * kDay);
        QCOMPARE(h.query.granularity, Granularity::Hour);
        QCOMPARE(h.totals.requests, uint64_t(9));   // the series: from 02:00 on the first day
        QCOMPARE(h.topConsumers.size(), size_t(2)); // the ranking: that whole first day
        QCOMPARE(h.topConsumers[0].name, std::string("acme"));
        QCOMPARE(h.topConsumers[1].name, std::string("early"));
    }

    void quantilesComeFromSummedHistograms() {
        auto store = open(freshPath());
        QVERIFY(store);
        std::string error;
        // 90 fast requests on one route, 10 slow on another, in different minutes of one hour.
        QVERIFY(store->addUsage({usageDelta(kT0, "acme", "/fast", 90, 2, "", "shop", 200),
                                 usageDelta(kT0 + 600, "acme", "/slow", 10, 2, "", "shop", 40'000)},
                                error));
        const UsageHistory h = run(*store, query("", kT0, kT0 + 3600, Granularity::Hour), kT0 + 3600);
        QCOMPARE(h.series.size(), size_t(1));
        const auto& latency = h.totals.latency;
        QCOMPARE(latency.total(), uint64_t(100));
        const double p50 = latency.quantileMicros(0.5);
        const double p95 = latency.quantileMicros(0.95);
        QVERIFY2(p50 > 100 && p50 <= 250, std::to_string(p50).c_str());
        QVERIFY2(p95 > 30'000 && p95 <= 50'000, std::to_string(p95).c_str());
    }

    void queryRejectsAnEmptyRange() {
        auto store = open(freshPath());
        QVERIFY(store);
        UsageHistory h;
        std::string error;
        QVERIFY(!store->queryUsage(query("", kT0, kT0), RetentionConfig{}, kT0, h, error));
        QVERIFY2(error.find("empty") != std::string::npos, error.c_str());
    }

    void pruneDeletesRowsPastRetentionAndOrphanSeries() {
        const std::string path = freshPath();
        auto store = open(path);
        QVERIFY(store);
        std::string error;
        const int64_t now = kT0 + 1000 * kDay;
        QVERIFY(store->addUsage(
            {usageDelta(now - 800 * kDay, "old", "/a", 1), usageDelta(now - 100 * kDay, "acme", "/a", 2),
             usageDelta(now - 8 * kDay, "acme", "/a", 4), usageDelta(now - 3600, "acme", "/a", 8)},
            error));
        QVERIFY2(store->pruneUsage(now, RetentionConfig{}, error) > 0, error.c_str());
        QCOMPARE(rawQuery(path, "SELECT sum(requests) FROM usage_minute WHERE series_id IN"
                                " (SELECT id FROM series WHERE rollup = 0)"),
                 std::string("8"));
        QCOMPARE(rawQuery(path, "SELECT sum(requests) FROM usage_hour WHERE series_id IN"
                                " (SELECT id FROM series WHERE rollup = 0)"),
                 std::string("12"));
        QCOMPARE(rawQuery(path, "SELECT sum(requests) FROM usage_day WHERE series_id IN"
                                " (SELECT id FROM series WHERE rollup = 0)"),
                 std::string("14"));
        QCOMPARE(rawQuery(path, "SELECT count(*) FROM series WHERE consumer = 'old'"), std::string("0"));
        // The pruned series comes back under a new id when it has traffic again.
        QVERIFY2(store->addUsage({usageDelta(now - 60, "old", "/a", 16)}, error), error.c_str());
        const UsageHistory h = run(*store, query("old", now - 120, now), now);
        QCOMPARE(h.totals.requests, uint64_t(16));
    }

    void consumerDaysGroupsByDayStatusAndReason() {
        auto store = open(freshPath());
        QVERIFY(store);
        std::string error;
        QVERIFY(store->addUsage({usageDelta(kT0, "acme", "/a", 1), usageDelta(kT0 + 60, "acme", "/b", 2),
                                 usageDelta(kT0 + kDay, "acme", "/a", 4, 4, "limit.quota"),
                                 usageDelta(kT0, "", "/a", 8, 4, "auth.missing")},
                                error));
        std::vector<tollgate::store::ConsumerDayUsage> days;
        QVERIFY2(store->consumerDays(kT0, kT0 + 2 * kDay, days, error), error.c_str());
        QCOMPARE(days.size(), size_t(2)); // anonymous traffic is nobody's bill
        QCOMPARE(days[0].day, kT0);
        QCOMPARE(days[0].requests, uint64_t(3));
        QCOMPARE(days[1].reason, std::string("limit.quota"));
        QCOMPARE(days[1].requests, uint64_t(4));
    }
};

QTEST_APPLESS_MAIN(UsageStoreTest)
#include "usage_store_test.moc"
