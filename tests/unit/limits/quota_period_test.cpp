// Quota periods (limits/quota_period.h): UTC day, ISO week (Monday) and month boundaries, the December to
// January rollover, leap years, the epoch and before it, and at()/of() agreeing over a long range.

#include "fake_clock.h"
#include "limits/quota_period.h"

#include <QtTest>

using namespace tollgate;
using namespace tollgate::limits;
using Per = tollgate::QuotaConfig::Per;

namespace {

constexpr int64_t kDay = 86400;

int64_t midnight(int64_t y, unsigned m, unsigned d) {
    return daysFromCivil(y, m, d) * kDay;
}

} // namespace

class QuotaPeriodTest : public QObject {
    Q_OBJECT

private slots:
    void civilDatesMatchKnownUnixTimes() {
        QCOMPARE(daysFromCivil(1970, 1, 1), int64_t(0));
        QCOMPARE(midnight(2027, 2, 1), int64_t(1'801'440'000));
        QCOMPARE(midnight(2028, 2, 29), int64_t(1'835'395'200));
        QCOMPARE(midnight(2028, 3, 1), int64_t(1'835'481'600));
        QCOMPARE(daysFromCivil(1969, 12, 31), int64_t(-1));
        int64_t y = 0;
        unsigned m = 0, d = 0;
        civilFromDays(daysFromCivil(2028, 2, 29), y, m, d);
        QCOMPARE(y, int64_t(2028));
        QCOMPARE(m, 2u);
        QCOMPARE(d, 29u);
        civilFromDays(-1, y, m, d);
        QCOMPARE(y, int64_t(1969));
        QCOMPARE(m, 12u);
        QCOMPARE(d, 31u);
    }

    void dayWeekAndMonthEndAtTheSameMidnight() {
        // The fake clock starts on Sunday 2027-01-31 23:59 UTC: day, week and month end a minute later.
        test::FakeClock clock;
        const int64_t next = midnight(2027, 2, 1);
        const QuotaPeriod day = QuotaPeriod::at(Per::Day, clock.unixSeconds());
        QCOMPARE(day.start, midnight(2027, 1, 31));
        QCOMPARE(day.end, next);
        const QuotaPeriod week = QuotaPeriod::at(Per::Week, clock.unixSeconds());
        QCOMPARE(week.start, midnight(2027, 1, 25)); // Monday
        QCOMPARE(week.end, next);
        const QuotaPeriod month = QuotaPeriod::at(Per::Month, clock.unixSeconds());
        QCOMPARE(month.start, midnight(2027, 1, 1));
        QCOMPARE(month.end, next);

        // One second before midnight is still the old period; midnight itself is the new one.
        for (Per per : {Per::Day, Per::Week, Per::Month}) {
            const QuotaPeriod before = QuotaPeriod::at(per, next - 1);
            const QuotaPeriod at = QuotaPeriod::at(per, next);
            QCOMPARE(at.index, before.index + 1);
            QCOMPARE(before.end, next);
            QCOMPARE(at.start, next);
            QCOMPARE(at.per, per);
        }
    }

    void monthRollsOverFromDecemberToJanuary() {
        const QuotaPeriod dec = QuotaPeriod::at(Per::Month, midnight(2028, 1, 1) - 60);
        QCOMPARE(dec.start, midnight(2027, 12, 1));
        QCOMPARE(dec.end, midnight(2028, 1, 1));
        const QuotaPeriod jan = QuotaPeriod::at(Per::Month, midnight(2028, 1, 1));
        QCOMPARE(jan.index, dec.index + 1);
        QCOMPARE(jan.start, midnight(2028, 1, 1));
        QCOMPARE(jan.end, midnight(2028, 2, 1));
        QCOMPARE(jan.index, int64_t((2028 - 1970) * 12));
    }

    void leapDayBelongsToFebruary() {
        const QuotaPeriod feb = QuotaPeriod::at(Per::Month, midnight(2028, 2, 29) + 12 * 3600);
        QCOMPARE(feb.start, midnight(2028, 2, 1));
        QCOMPARE(feb.end, midnight(2028, 3, 1));
        QCOMPARE(feb.end - feb.start, 29 * kDay);
        QCOMPARE(QuotaPeriod::at(Per::Month, midnight(2028, 3, 1) - 1).index, feb.index);
        const QuotaPeriod march = QuotaPeriod::at(Per::Month, midnight(2028, 3, 1));
        QCOMPARE(march.index, feb.index + 1);
        QCOMPARE(march.start, midnight(2028, 3, 1));
        const QuotaPeriod leapDay = QuotaPeriod::at(Per::Day, midnight(2028, 2, 29) + 1);
        QCOMPARE(leapDay.start, midnight(2028, 2, 29));
        QCOMPARE(leapDay.end, midnight(2028, 3, 1));
    }

    void february2027HasTwentyEightDays() {
        const QuotaPeriod feb = QuotaPeriod::at(Per::Month, midnight(2027, 2, 14));
        QCOMPARE(feb.start, midnight(2027, 2, 1));
        QCOMPARE(feb.end, midnight(2027, 3, 1));
        QCOMPARE(feb.end - feb.start, 28 * kDay);
        // 2100 is not a leap year, 2000 was.
        QCOMPARE(QuotaPeriod::at(Per::Month, midnight(2100, 2, 1)).end, midnight(2100, 3, 1));
        QCOMPARE(midnight(2100, 3, 1) - midnight(2100, 2, 1), 28 * kDay);
        QCOMPARE(midnight(2000, 3, 1) - midnight(2000, 2, 1), 29 * kDay);
    }

    void weekStartsOnMonday() {
        // 2028-02-29 is a Tuesday, 2028-03-01 a Wednesday: both in the week of Monday 2028-02-28.
        for (int64_t t :
             {midnight(2028, 2, 28), midnight(2028, 2, 29) + 5, midnight(2028, 3, 5) + kDay - 1}) {
            const QuotaPeriod w = QuotaPeriod::at(Per::Week, t);
            QCOMPARE(w.start, midnight(2028, 2, 28));
            QCOMPARE(w.end, midnight(2028, 3, 6));
        }
        // A week that spans new year: Monday 2027-12-27 to Monday 2028-01-03.
        const QuotaPeriod ny = QuotaPeriod::at(Per::Week, midnight(2028, 1, 1));
        QCOMPARE(ny.start, midnight(2027, 12, 27));
        QCOMPARE(ny.end, midnight(2028, 1, 3));
        // Every week start is a Monday: 1970-01-05 was one.
        for (int64_t d = 0; d < 800; ++d) {
            const QuotaPeriod w = QuotaPeriod::at(Per::Week, midnight(2027, 1, 1) + d * kDay);
            QCOMPARE(((w.start / kDay - 4) % 7 + 7) % 7, int64_t(0));
        }
    }

    void epochAndBefore() {
        // 1970-01-01 was a Thursday: its week began on Monday 1969-12-29, index 0.
        const QuotaPeriod w0 = QuotaPeriod::at(Per::Week, 0);
        QCOMPARE(w0.index, int64_t(0));
        QCOMPARE(w0.start, midnight(1969, 12, 29));
        QCOMPARE(w0.start, int64_t(-3 * kDay));
        QCOMPARE(QuotaPeriod::at(Per::Week, -3 * kDay).index, int64_t(0));
        QCOMPARE(QuotaPeriod::at(Per::Week, -3 * kDay - 1).index, int64_t(-1));
        QCOMPARE(QuotaPeriod::at(Per::Week, 4 * kDay).index, int64_t(1)); // Monday 1970-01-05

        QCOMPARE(QuotaPeriod::at(Per::Day, 0).index, int64_t(0));
        QCOMPARE(QuotaPeriod::at(Per::Day, -1).index, int64_t(-1)); // floor, not truncation
        QCOMPARE(QuotaPeriod::at(Per::Day, -1).start, -kDay);
        QCOMPARE(QuotaPeriod::at(Per::Month, 0).index, int64_t(0));
        const QuotaPeriod dec1969 = QuotaPeriod::at(Per::Month, -1);
        QCOMPARE(dec1969.index, int64_t(-1));
        QCOMPARE(dec1969.start, midnight(1969, 12, 1));
        QCOMPARE(dec1969.end, int64_t(0));
    }

    void ofRoundTripsAt() {
        const int64_t first = daysFromCivil(2026, 11, 1);
        for (int64_t d = first; d < first + 3 * 366; ++d) {
            for (Per per : {Per::Day, Per::Week, Per::Month}) {
                for (int64_t t : {d * kDay, d * kDay + 43'210, d * kDay + kDay - 1}) {
                    const QuotaPeriod p = QuotaPeriod::at(per, t);
                    QVERIFY(p.start <= t && t < p.end);
                    const QuotaPeriod q = QuotaPeriod::of(per, p.index);
                    QCOMPARE(q.start, p.start);
                    QCOMPARE(q.end, p.end);
                    QCOMPARE(QuotaPeriod::at(per, p.end).index, p.index + 1);
                    QCOMPARE(QuotaPeriod::of(per, p.index + 1).start, p.end);
                }
            }
            int64_t y = 0;
            unsigned m = 0, dd = 0;
            civilFromDays(d, y, m, dd);
            QCOMPARE(daysFromCivil(y, m, dd), d);
        }
    }

    void periodNames() {
        QCOMPARE(QString(periodName(Per::Day)), QString("day"));
        QCOMPARE(QString(periodName(Per::Week)), QString("week"));
        QCOMPARE(QString(periodName(Per::Month)), QString("month"));
    }
};

QTEST_APPLESS_MAIN(QuotaPeriodTest)
#include "quota_period_test.moc"
