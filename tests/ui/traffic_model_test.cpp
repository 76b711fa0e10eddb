// The Traffic page's logic: the filter bar's expressions (valid and invalid) and the table of the last
// 100,000 requests (ring, filter, pause), checked with QAbstractItemModelTester.

#include "traffic/traffic_filter.h"
#include "traffic/traffic_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include <deque>
#include <string>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

RequestRecord record(uint64_t seq, uint16_t status, const char* consumer, const char* path, uint32_t micros,
                     const char* reason = "", uint8_t method = 0) {
    RequestRecord r;
    r.seq = seq;
    r.unixMicros = 1'780'000'000'000'000 + int64_t(seq) * 1000;
    r.status = status;
    r.method = method;
    r.totalMicros = micros;
    r.bytesOut = 100 + seq;
    qstrncpy(r.consumer, consumer, sizeof r.consumer);
    qstrncpy(r.path, path, sizeof r.path);
    qstrncpy(r.reason, reason, sizeof r.reason);
    qstrncpy(r.api, "orders", sizeof r.api);
    qstrncpy(r.route, "get", sizeof r.route);
    return r;
}

TrafficRow row(uint64_t seq, uint16_t status, const char* consumer, const char* path, uint32_t micros,
               const char* reason = "", uint8_t method = 0) {
    return toTrafficRow(record(seq, status, consumer, path, micros, reason, method));
}

bool matches(const QString& expr, const TrafficRow& r) {
    QString error;
    const auto f = TrafficFilter::parse(expr, &error);
    if (!f) {
        qWarning("%s: %s", qPrintable(expr), qPrintable(error));
        return false;
    }
    return f->matches(r);
}

QString errorOf(const QString& expr) {
    QString error;
    return TrafficFilter::parse(expr, &error) ? QString() : error;
}

} // namespace

class TrafficModelTest : public QObject {
    Q_OBJECT
private slots:
    void filter_theIssuesExample() {
        const QString expr =
            QStringLiteral("status:4xx consumer:acme path:/orders latency:>200ms reason:limit.*");
        QVERIFY(matches(expr, row(1, 429, "acme", "/orders/v1/42", 250'000, "limit.rate")));
        QVERIFY(!matches(expr, row(2, 200, "acme", "/orders/v1/42", 250'000, "limit.rate")));   // status
        QVERIFY(!matches(expr, row(3, 429, "globex", "/orders/v1/42", 250'000, "limit.rate"))); // consumer
        QVERIFY(!matches(expr, row(4, 429, "acme", "/inventory/v1", 250'000, "limit.rate")));   // path prefix
        QVERIFY(!matches(expr, row(5, 429, "acme", "/orders/v1/42", 150'000, "limit.rate")));   // latency
        QVERIFY(!matches(expr, row(6, 429, "acme", "/orders/v1/42", 250'000, "deny.no_grant"))); // reason
        QVERIFY(matches(QStringLiteral("CONSUMER:ACME"), row(7, 200, "acme", "/", 1)));          // any case
    }

    void filter_sameFieldIsAnyNegationExcludesBareWordsSearch() {
        const TrafficRow ok = row(1, 200, "acme", "/orders/1", 1000);
        const TrafficRow notFound = row(2, 404, "acme", "/orders/2", 1000, "route.none");
        const TrafficRow broken = row(3, 502, "globex", "/orders/3", 1000, "upstream.connect");
        const QString errors = QStringLiteral("status:4xx status:5xx");
        QVERIFY(!matches(errors, ok));
        QVERIFY(matches(errors, notFound));
        QVERIFY(matches(errors, broken));
        QVERIFY(matches(QStringLiteral("-consumer:acme"), broken));
        QVERIFY(!matches(QStringLiteral("-consumer:acme"), ok));
        QVERIFY(matches(QStringLiteral("status:>=500"), broken));
        QVERIFY(!matches(QStringLiteral("status:<500"), broken));
        QVERIFY(matches(QStringLiteral("upstream"), broken)); // a bare word: in the reason
        QVERIFY(matches(QStringLiteral("orders/2"), notFound));
        QVERIFY(!matches(QStringLiteral("orders/2"), ok));
        QVERIFY(matches(QStringLiteral("latency:1"), ok));               // bare numbers are milliseconds
        QVERIFY(matches(QStringLiteral("bytes:>=101 bytes:<=102"), ok)); // comparisons make a range
        QVERIFY(!matches(QStringLiteral("bytes:>=102 bytes:<=103"), ok));
        QVERIFY(matches(QStringLiteral("consumer:zed consumer:acme"), ok)); // values are alternatives
        QVERIFY(matches(QString(), ok));
    }

    void filter_mistakesSayWhereAndWhy() {
        QVERIFY(errorOf(QStringLiteral("status:4xx stauts:5xx")).contains(QStringLiteral("at 12")));
        QVERIFY(errorOf(QStringLiteral("stauts:5xx")).contains(QStringLiteral("did you mean status")));
        QVERIFY(errorOf(QStringLiteral("colour:red")).contains(QStringLiteral("fields: status")));
        QVERIFY(errorOf(QStringLiteral("status:4yx")).contains(QStringLiteral("not a status")));
        QVERIFY(errorOf(QStringLiteral("status:999")).contains(QStringLiteral("not a status")));
        QVERIFY(errorOf(QStringLiteral("latency:>fast")).contains(QStringLiteral("not a duration")));
        QVERIFY(errorOf(QStringLiteral("bytes:lots")).contains(QStringLiteral("not a size")));
        QVERIFY(errorOf(QStringLiteral("consumer:")).contains(QStringLiteral("needs a value")));
        QVERIFY(errorOf(QStringLiteral("latency:>2s")).isEmpty());
        QVERIFY(errorOf(QStringLiteral("latency:<=250ms")).isEmpty());
    }

    void model_ringStaysConsistentWhileFull() {
        TrafficModel model(500);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.setFilter(QStringLiteral("status:4xx")));
        for (uint64_t seq = 1; seq <= 3000; seq += 100) {
            std::vector<RequestRecord> rows;
            for (uint64_t i = seq; i < seq + 100; ++i) {
                rows.push_back(record(i, i % 4 == 0 ? 404 : 200, "acme", "/", 1));
            }
            model.append(rows);
        }
        QCOMPARE(model.keptCount(), size_t(500));
        QCOMPARE(model.rowCount(), 125);
        QVERIFY(model.setFilter(QString()));
        QCOMPARE(model.rowCount(), 500);
        QCOMPARE(model.rowAt(0)->seq, uint64_t(2501));
    }

    void model_keepsTheLast100000() {
        // Without a model tester: it would read every cell of 100,000 rows after each reset.
        TrafficModel model;
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy shifted(&model, &TrafficModel::rowsShifted);
        uint64_t seq = 1;
        for (int batch = 0; batch < 30; ++batch) {
            std::vector<RequestRecord> rows;
            for (int i = 0; i < 5000; ++i, ++seq) {
                rows.push_back(
                    record(seq, seq % 10 == 0 ? 404 : 200, seq % 3 ? "acme" : "globex", "/orders/1", 1000));
            }
            model.append(rows);
        }
        QCOMPARE(model.keptCount(), size_t(100'000));
        QCOMPARE(model.rowCount(), 100'000);
        QCOMPARE(model.index(0, 0).data(TrafficModel::SeqRole).toULongLong(), qulonglong(50'001));
        QCOMPARE(model.index(99'999, 0).data(TrafficModel::SeqRole).toULongLong(), qulonglong(150'000));
        // Once full, a batch shifts the rows (one signal per batch, not one per row) and neither
        // removes nor inserts any: the view's header keeps its 100,000 sections.
        QCOMPARE(shifted.count(), 10);
        QCOMPARE(shifted.first().first().toInt(), 5000);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(inserted.count(), 20);

        QVERIFY(model.setFilter(QStringLiteral("status:4xx")));
        QCOMPARE(model.rowCount(), 10'000);
        QCOMPARE(model.index(0, TrafficModel::Status).data().toInt(), 404);
        QCOMPARE(model.index(0, TrafficModel::Status).data(TrafficModel::StatusClassRole).toInt(), 4);
        QString error;
        QVERIFY(!model.setFilter(QStringLiteral("status:4yx"), &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(model.filterText(), QStringLiteral("status:4xx")); // the old filter stays

        // New rows pass through the filter as they arrive, old ones leave from the top.
        std::vector<RequestRecord> more;
        for (int i = 0; i < 1000; ++i, ++seq) {
            more.push_back(record(seq, 404, "acme", "/x", 1));
        }
        model.append(more);
        QCOMPARE(model.rowCount(), 10'000 - 100 + 1000);
        QCOMPARE(shifted.last().first().toInt(), 100); // 100 of the 404s left the top
        QCOMPARE(model.index(10'899, 0).data(TrafficModel::SeqRole).toULongLong(), qulonglong(seq - 1));
        QCOMPARE(model.index(0, 0).data(TrafficModel::SeqRole).toULongLong(), qulonglong(51'010));

        // Fewer arrive that pass the filter than leave: the leaving rows are removed from the top.
        const int removals = int(removed.count());
        std::vector<RequestRecord> quiet;
        for (int i = 0; i < 2000; ++i, ++seq) {
            quiet.push_back(record(seq, 200, "acme", "/x", 1));
        }
        model.append(quiet);
        QCOMPARE(model.rowCount(), 10'900 - 200);
        QCOMPARE(removed.count(), removals + 1);
        QCOMPARE(model.index(0, 0).data(TrafficModel::SeqRole).toULongLong(), qulonglong(53'010));
    }

    void textTable_sharesCountsAndForgets() {
        TextTable t;
        const TextId acme = t.acquire("acme");
        QCOMPARE(t.acquire("acme"), acme);
        QCOMPARE(t.acquire("acme", acme), acme); // the hint
        const TextId globex = t.acquire("globex", acme);
        QVERIFY(globex != acme);
        QCOMPARE(t.text(acme), QStringLiteral("acme"));
        QCOMPARE(t.acquire(""), TextId(0));
        const uint64_t serial = t.serial(globex);
        t.release(globex);
        QCOMPARE(t.size(), size_t(1));
        bool found = true;
        t.find("globex", &found);
        QVERIFY(!found);
        const TextId initech = t.acquire("initech"); // reuses the slot, under a new serial
        QCOMPARE(initech, globex);
        QVERIFY(t.serial(initech) != serial);
        QCOMPARE(t.text(initech), QStringLiteral("initech"));
        for (int i = 0; i < 3; ++i) {
            t.release(acme);
        }
        QCOMPARE(t.size(), size_t(1));
    }

    void byteRing_keepsTextsWholeAcrossWrapAndGrowth() {
        ByteRing ring;
        std::deque<std::pair<uint64_t, std::string>> live;
        for (int i = 0; i < 200'000; ++i) {
            const std::string text = "/orders/" + std::to_string(i) + std::string(size_t(i % 97), 'x');
            live.emplace_back(ring.put(text), text);
            if (live.size() > (i < 100'000 ? 500u : 5000u)) { // a window that widens: the ring grows
                live.pop_front();
                ring.forgetBefore(live.front().first);
            }
            if (i % 997 == 0) {
                for (const auto& [pos, t] : live) {
                    QCOMPARE(ring.at(pos, t.size()), std::string_view(t));
                }
            }
        }
        QVERIFY(ring.capacity() <= 4 * 5000 * 128);
    }

    void model_memoryFollowsTheRowsKept() {
        // Distinct paths and addresses for ever: what the table holds stays bounded by its rows.
        TrafficModel model(1000);
        QVERIFY(model.setFilter(QStringLiteral("path:/orders/4999?")));
        uint64_t seq = 1;
        for (int batch = 0; batch < 100; ++batch) {
            std::vector<RequestRecord> records;
            for (int i = 0; i < 500; ++i, ++seq) {
                RequestRecord r = record(seq, 200, seq % 7 ? "acme" : "globex", "/", 1);
                qstrncpy(r.path, ("/orders/" + std::to_string(seq)).c_str(), sizeof r.path);
                qstrncpy(r.clientIp,
                         ("10.0." + std::to_string(seq % 250) + "." + std::to_string(seq % 199)).c_str(),
                         sizeof r.clientIp);
                records.push_back(r);
            }
            model.append(records);
        }
        QCOMPARE(model.keptCount(), size_t(1000));
        QCOMPARE(model.texts().size(), size_t(4)); // acme, globex, orders, get
        QVERIFY(model.ringCapacity() <= 256 * 1024);
        QCOMPARE(model.rowCount(), 10); // 49990 to 49999
        const auto last = model.rowAt(model.rowCount() - 1);
        QVERIFY(last.has_value());
        QCOMPARE(last->seq, uint64_t(49'999));
        QCOMPARE(last->path, QStringLiteral("/orders/49999"));
        QCOMPARE(last->clientIp, QStringLiteral("10.0.%1.%2").arg(last->seq % 250).arg(last->seq % 199));
    }

    void model_pauseHoldsRowsUntilResume() {
        TrafficModel model(1000);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(std::vector{record(1, 200, "a", "/", 1), record(2, 200, "a", "/", 1)});
        model.setPaused(true);
        model.append(std::vector{record(3, 200, "a", "/", 1)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.pendingCount(), size_t(1));
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowAt(2)->seq, uint64_t(3));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.rowAt(0).has_value());
    }

    void model_heldRowsWaitForBothPauseAndHold() {
        TrafficModel model(3);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.append(std::vector{record(1, 200, "a", "/1", 1)});
        model.setHeld(true);
        for (uint64_t seq = 2; seq <= 6; ++seq) {
            model.append(std::vector{record(seq, 200, seq % 2 ? "odd" : "even", "/n", 1)});
        }
        // Held rows tell the view nothing, and stay bounded by the capacity.
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.pendingCount(), size_t(3));
        model.setPaused(true);
        model.setHeld(false); // still paused: nothing shows
        QCOMPARE(model.rowCount(), 1);
        model.setPaused(false);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowAt(0)->seq, uint64_t(4));
        QCOMPARE(model.rowAt(2)->seq, uint64_t(6));
        QCOMPARE(model.rowAt(2)->consumer, QStringLiteral("even"));
        QCOMPARE(model.pendingCount(), size_t(0));
    }
};

QTEST_MAIN(TrafficModelTest)
#include "traffic_model_test.moc"
