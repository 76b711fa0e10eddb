// CounterPersister (limits/counter_persister.h) against a real SQLite store in a temporary folder:
// counters written then read back into a fresh table (TATs, quota words with their period), expired
// TATs left out, only changed counters written, stop() writing the last changes, and a quota whose kind
// of period changed (month to week) coming back as the new kind.

#include "fake_clock.h"
#include "limits/counter_persister.h"
#include "limits/quota_period.h"
#include "store/store.h"

#include <QtTest>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::limits;
using tollgate::test::FakeClock;

namespace {

constexpr int kSecond = int(RateLimitConfig::Per::Second);
constexpr int kMinute = int(RateLimitConfig::Per::Minute);
constexpr int kHour = int(RateLimitConfig::Per::Hour);
constexpr int kDayUnit = int(RateLimitConfig::Per::Day);

uint64_t quotaWord(QuotaConfig::Per per, int64_t unixSeconds, uint64_t count) {
    return quota_word::tag(per, QuotaPeriod::at(per, unixSeconds).index) | count;
}

} // namespace

class CounterPersisterTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string file(const char* name) const { return m_dir.filePath(name).toStdString(); }

    std::unique_ptr<store::Store> open(const std::string& path) {
        std::string error;
        auto s = store::Store::open(path, error);
        if (!s) {
            qFatal("%s", error.c_str());
        }
        return s;
    }

    std::vector<store::CounterRow> rows(const std::string& path) {
        std::string error;
        auto s = open(path);
        auto r = s->loadCounters(error);
        if (!error.empty()) {
            qFatal("%s", error.c_str());
        }
        return r;
    }

    const store::CounterRow* findRow(const std::vector<store::CounterRow>& all, const std::string& consumer,
                                     const std::string& kind) {
        for (const store::CounterRow& r : all) {
            if (r.consumer == consumer && r.kind == kind) {
                return &r;
            }
        }
        return nullptr;
    }

    // Rows of a quota.used kind in the store at `path`, of count `value` (-1: any).
    int quotaUsedRows(const std::string& path, int64_t value = -1) {
        int n = 0;
        for (const store::CounterRow& r : rows(path)) {
            n += r.kind.rfind("quota.used", 0) == 0 && (value < 0 || r.value == value) ? 1 : 0;
        }
        return n;
    }

    // A persister loads the store at `path` as a start at `nowMicros` does, then writes each of `words`
    // in turn as acme's quota count, flushing after each.
    void flushQuotaUsed(const std::string& path, int64_t nowMicros, const std::vector<uint64_t>& words) {
        CounterTable table;
        CounterPersister persister(table, open(path), 1h);
        std::string error;
        QVERIFY(persister.load(nowMicros, error));
        for (const uint64_t word : words) {
            table.slot("acme")->quotaUsed = word;
            QVERIFY(persister.flush(error));
        }
    }

    // A restart at `nowMicros` (the store at `path` loaded into a fresh table) finds acme's quota count
    // `expected`.
    void expectQuotaUsedAfterLoad(const std::string& path, int64_t nowMicros, uint64_t expected) {
        CounterTable fresh;
        CounterPersister persister(fresh, open(path), 1h);
        std::string error;
        QVERIFY(persister.load(nowMicros, error));
        QCOMPARE(fresh.find("acme")->quotaUsed.load(), expected);
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void flushThenLoad_restoresCountersIntoAFreshTable() {
        FakeClock clock;
        const std::string path = file("roundtrip.db");
        const int64_t now = clock.nowNs;
        const uint64_t used = quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 42);
        const uint64_t bonus = quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 7);
        const uint64_t weekly = quotaWord(QuotaConfig::Per::Week, clock.unixSeconds(), 3);
        {
            CounterTable table;
            CounterPersister persister(table, open(path), 1h);
            std::string error;
            QVERIFY2(persister.load(clock.unixMicros(), error), error.c_str()); // an empty store
            ConsumerCounters* acme = table.slot("acme");
            acme->tat[kSecond] = now + 5 * kNanosPerSecond;
            acme->tat[kMinute] = now + 30 * kNanosPerSecond + 123'000; // whole microseconds survive
            acme->tat[kHour] = now - kNanosPerSecond;                  // a full bucket again
            acme->quotaUsed = used;
            acme->quotaBonus = bonus;
            table.slot("initech")->quotaUsed = weekly;
            table.slot("idle"); // nothing counted: nothing written
            QVERIFY2(persister.flush(error), error.c_str());
            QVERIFY(persister.lastError().empty());
        }
        const auto written = rows(path);
        QVERIFY(findRow(written, "acme", "rate.second"));
        QCOMPARE(findRow(written, "acme", "rate.second")->value, (now + 5 * kNanosPerSecond) / 1000);
        QVERIFY(findRow(written, "acme", "rate.minute"));
        QVERIFY(!findRow(written, "acme", "rate.day"));
        int idleRows = 0;
        for (const store::CounterRow& r : written) {
            idleRows += r.consumer == "idle" ? 1 : 0;
        }
        QCOMPARE(idleRows, 0);

        clock.advance(1s);
        CounterTable fresh;
        CounterPersister persister(fresh, open(path), 1h);
        std::string error;
        QVERIFY2(persister.load(clock.unixMicros(), error), error.c_str());
        ConsumerCounters* acme = fresh.find("acme");
        QVERIFY(acme != nullptr);
        QCOMPARE(acme->tat[kSecond].load(), now + 5 * kNanosPerSecond);
        QCOMPARE(acme->tat[kMinute].load(), now + 30 * kNanosPerSecond + 123'000);
        QCOMPARE(acme->tat[kHour].load(), int64_t(0)); // expired: not restored
        QCOMPARE(acme->tat[kDayUnit].load(), int64_t(0));
        QCOMPARE(acme->quotaUsed.load(), used);
        QCOMPARE(acme->quotaBonus.load(), bonus);
        ConsumerCounters* initech = fresh.find("initech");
        QVERIFY(initech != nullptr);
        QCOMPARE(initech->quotaUsed.load(), weekly);
        QCOMPARE(initech->quotaBonus.load(), uint64_t(0));
        QVERIFY(fresh.find("idle") == nullptr);
        // Loading pruned the expired rate row and wrote nothing back.
        QVERIFY(!findRow(rows(path), "acme", "rate.hour"));
        QCOMPARE(rows(path).size(), written.size() - 1);
        QVERIFY(persister.flush(error));
        QCOMPARE(rows(path).size(), written.size() - 1);
    }

    void flush_writesOnlyWhatChanged() {
        FakeClock clock;
        const std::string path = file("changed.db");
        CounterTable table;
        CounterPersister persister(table, open(path), 1h);
        std::string error;
        QVERIFY(persister.load(clock.unixMicros(), error));
        ConsumerCounters* acme = table.slot("acme");
        acme->tat[kSecond] = clock.nowNs + kNanosPerSecond;
        acme->tat[kMinute] = clock.nowNs + 60 * kNanosPerSecond;
        acme->quotaUsed = quotaWord(QuotaConfig::Per::Day, clock.unixSeconds(), 1);
        QVERIFY2(persister.flush(error), error.c_str());
        const size_t before = rows(path).size();
        QCOMPARE(persister.flushes(), uint64_t(1));

        // Another writer changes the minute row behind the persister's back: a flush that does not
        // touch the (unchanged) minute counter leaves that row alone.
        const int64_t marker = clock.unixMicros() + 999'999'999;
        {
            auto other = open(path);
            QVERIFY(other->saveCounters({{"acme", "rate.minute", 0, marker}}, error));
        }
        acme->tat[kSecond] = clock.nowNs + 2 * kNanosPerSecond;
        QVERIFY(persister.flush(error));
        auto after = rows(path);
        QCOMPARE(after.size(), before);
        QCOMPARE(findRow(after, "acme", "rate.minute")->value, marker);
        QCOMPARE(findRow(after, "acme", "rate.second")->value, (clock.nowNs + 2 * kNanosPerSecond) / 1000);

        // Nothing changed: nothing written (the marker stays), the flush still counts.
        QVERIFY(persister.flush(error));
        QCOMPARE(findRow(rows(path), "acme", "rate.minute")->value, marker);
        QCOMPARE(persister.flushes(), uint64_t(3));

        // A consumer that appears after load is written in full.
        table.slot("late")->tat[kHour] = clock.nowNs + 3600 * kNanosPerSecond;
        QVERIFY(persister.flush(error));
        QVERIFY(findRow(rows(path), "late", "rate.hour"));
        QCOMPARE(rows(path).size(), before + 1);
    }

    void stop_flushesTheLastChanges() {
        FakeClock clock;
        const std::string path = file("stop.db");
        CounterTable table;
        ConsumerCounters* acme = table.slot("acme");
        {
            CounterPersister persister(table, open(path), 1h); // the timer never fires in this test
            std::string error;
            QVERIFY(persister.load(clock.unixMicros(), error));
            persister.start();
            acme->tat[kSecond] = clock.nowNs + kNanosPerSecond;
            acme->quotaUsed = quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 5);
            persister.stop();
            QVERIFY(findRow(rows(path), "acme", "rate.second"));
            QVERIFY(quotaUsedRows(path, 5) > 0);
            persister.stop(); // idempotent
            acme->tat[kMinute] = clock.nowNs + 60 * kNanosPerSecond;
        } // the destructor stops (and would flush) without a second join
        CounterTable fresh;
        CounterPersister reader(fresh, open(path), 1h);
        std::string error;
        QVERIFY(reader.load(clock.unixMicros(), error));
        QCOMPARE(fresh.find("acme")->tat[kSecond].load(), clock.nowNs + kNanosPerSecond);
        QCOMPARE(fresh.find("acme")->quotaUsed.load(),
                 quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 5));

        // Without start(), stop() (here the destructor) still flushes.
        CounterTable other;
        {
            CounterPersister persister(other, open(file("nostart.db")), 1h);
            QVERIFY(persister.load(clock.unixMicros(), error));
            other.slot("b")->tat[kDayUnit] = clock.nowNs + 86400 * kNanosPerSecond;
        }
        QVERIFY(findRow(rows(file("nostart.db")), "b", "rate.day"));
    }

    void periodKindChange_loadsTheNewKindAndKeepsHistory() {
        // A plan went from a monthly to a weekly quota: the slot now counts weeks. After a restart the
        // weekly count is the one restored, and the monthly row stays for billing.
        FakeClock clock;
        const std::string path = file("kind.db");
        const uint64_t monthly = quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 50);
        const uint64_t weekly = quotaWord(QuotaConfig::Per::Week, clock.unixSeconds(), 3);
        const uint64_t weeklyBonus = quotaWord(QuotaConfig::Per::Week, clock.unixSeconds(), 10);
        {
            CounterTable table;
            CounterPersister persister(table, open(path), 1h);
            std::string error;
            QVERIFY(persister.load(clock.unixMicros(), error));
            ConsumerCounters* acme = table.slot("acme");
            acme->quotaUsed = monthly;
            QVERIFY(persister.flush(error));
            acme->quotaUsed = weekly;
            acme->quotaBonus = weeklyBonus;
            QVERIFY(persister.flush(error));
        }
        const size_t before = rows(path).size();
        for (int restart = 0; restart < 2; ++restart) {
            CounterTable fresh;
            CounterPersister persister(fresh, open(path), 1h);
            std::string error;
            QVERIFY2(persister.load(clock.unixMicros(), error), error.c_str());
            QVERIFY(fresh.find("acme") != nullptr);
            QCOMPARE(fresh.find("acme")->quotaUsed.load(), weekly);
            QCOMPARE(fresh.find("acme")->quotaBonus.load(), weeklyBonus);
            QCOMPARE(rows(path).size(), before); // nothing pruned: each kind has one period
        }
        QVERIFY(quotaUsedRows(path, 50) > 0); // the monthly row is kept

        // And back to months: the monthly count of this month comes back.
        const uint64_t monthlyAgain = quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 51);
        flushQuotaUsed(path, clock.unixMicros(), {monthlyAgain});
        expectQuotaUsedAfterLoad(path, clock.unixMicros(), monthlyAgain);
    }

    void pastPeriodsAreKeptButNotLoaded() {
        // Quota rows of earlier periods stay in the store; only the newest period is loaded.
        FakeClock clock;
        const std::string path = file("history.db");
        // One persister counts January, then February.
        const int64_t januaryMicros = clock.unixMicros();
        const uint64_t january = quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 900);
        clock.advance(1min); // February
        const uint64_t february = quotaWord(QuotaConfig::Per::Month, clock.unixSeconds(), 1);
        flushQuotaUsed(path, januaryMicros, {january, february});
        expectQuotaUsedAfterLoad(path, clock.unixMicros(), february);
        QCOMPARE(quotaUsedRows(path), 2);
    }
};

QTEST_GUILESS_MAIN(CounterPersisterTest)
#include "counter_persister_test.moc"
