// Billing report: billable vs refused reasons, quota and overage per month/day/week, price maths, a zero
// row for a consumer without traffic, RFC 4180 CSV, JSON, period parsing, and the store round trip.

#include "report/billable.h"
#include "report/billing.h"
#include "store/store.h"
#include "usage_deltas.h"

#include <QtTest>

#include <nlohmann/json.hpp>

using tollgate::BillingPeriod;
using tollgate::BillingRow;
using tollgate::Config;
using tollgate::QuotaConfig;
using tollgate::store::ConsumerDayUsage;

namespace {

constexpr int64_t kDay = 86'400;

BillingPeriod period(const char* text) {
    BillingPeriod p;
    std::string error;
    if (!tollgate::parseBillingPeriod(text, p, error)) {
        qWarning("%s", error.c_str());
    }
    return p;
}

tollgate::PlanConfig plan(std::string name, uint64_t quota, QuotaConfig::Per per, bool bill, double monthly,
                          double per1000) {
    tollgate::PlanConfig p;
    p.name = std::move(name);
    if (quota > 0) {
        QuotaConfig q;
        q.requests = quota;
        q.per = per;
        q.onExceeded = bill ? QuotaConfig::OnExceeded::AllowAndBill : QuotaConfig::OnExceeded::Block;
        p.quota = q;
    }
    p.price.monthly = monthly;
    p.price.per1000OverQuota = per1000;
    p.price.currency = "EUR";
    return p;
}

void addConsumer(Config& c, std::string name, std::string planName) {
    tollgate::ConsumerConfig consumer;
    consumer.name = std::move(name);
    consumer.plan = std::move(planName);
    c.consumers.push_back(std::move(consumer));
}

ConsumerDayUsage day(std::string consumer, int64_t start, uint64_t requests, std::string reason = "") {
    ConsumerDayUsage d;
    d.consumer = std::move(consumer);
    d.day = start;
    d.statusClass = reason.empty() ? 2 : 4;
    d.reason = std::move(reason);
    d.requests = requests;
    return d;
}

} // namespace

class BillingTest : public QObject {
    Q_OBJECT

private slots:
    void gatewayRefusalsAreNotBillable() {
        using tollgate::report::isGatewayRefusal;
        for (const char* r : {"auth.missing", "deny.grant", "ip.denied", "route.none", "lifecycle.retired",
                              "limit.quota", "limit.rate", "http.bad_request", "client.closed",
                              "consumer.suspended", "api.draft", "api.retired"}) {
            QVERIFY2(isGatewayRefusal(r), r);
        }
        for (const char* r : {"", "upstream.timeout", "upstream.refused", "authz"}) {
            QVERIFY2(!isGatewayRefusal(r), r);
        }
    }

    void periodParsing() {
        const BillingPeriod feb = period("2028-02");
        QCOMPARE(feb.fromUnix, int64_t(1'832'976'000)); // 2028-02-01 00:00 UTC
        QCOMPARE((feb.toUnix - feb.fromUnix) / kDay, int64_t(29));
        QCOMPARE(feb.text(), std::string("2028-02"));
        QCOMPARE(period("2026-12").toUnix, period("2027-01").fromUnix);
        for (const char* bad : {"", "2026", "2026-1", "2026-13", "2026-00", "26-01", "2026/01", "2026-01-01",
                                "abcd-ef", "1969-12", " 2026-01"}) {
            BillingPeriod p;
            std::string error;
            QVERIFY2(!tollgate::parseBillingPeriod(bad, p, error), bad);
            QVERIFY2(error.find("YYYY-MM") != std::string::npos, error.c_str());
        }
    }

    void monthlyQuotaOverageAndPrice() {
        Config c;
        c.plans.push_back(plan("pro", 10'000, QuotaConfig::Per::Month, true, 49, 2.5));
        addConsumer(c, "acme", "pro");
        addConsumer(c, "idle", "pro");
        const BillingPeriod p = period("2026-01");
        const std::vector<ConsumerDayUsage> days = {day("acme", p.fromUnix, 6'000),
                                                    day("acme", p.fromUnix + 30 * kDay, 6'001),
                                                    day("acme", p.fromUnix + kDay, 500, "limit.rate"),
                                                    day("acme", p.toUnix, 99'999),          // next month
                                                    day("acme", p.fromUnix - kDay, 99'999), // previous month
                                                    day("ghost", p.fromUnix, 5)}; // not in the config
        const auto rows = tollgate::report::computeBilling(c, p, days);
        QCOMPARE(rows.size(), size_t(2));
        QCOMPARE(rows[0].consumer, std::string("acme"));
        QCOMPARE(rows[0].requests, uint64_t(12'001));
        QCOMPARE(rows[0].refused, uint64_t(500));
        QCOMPARE(rows[0].quota.value(), uint64_t(10'000));
        QCOMPARE(rows[0].overage, uint64_t(2'001));
        QCOMPARE(rows[0].price, 49 + 3 * 2.5); // 2,001 over: three started thousands
        QCOMPARE(rows[0].currency, std::string("EUR"));
        QCOMPARE(rows[1].consumer, std::string("idle"));
        QCOMPARE(rows[1].requests, uint64_t(0));
        QCOMPARE(rows[1].overage, uint64_t(0));
        QCOMPARE(rows[1].price, 49.0);
    }

    void dailyQuotaSumsOveragePerDay() {
        Config c;
        c.plans.push_back(plan("daily", 100, QuotaConfig::Per::Day, true, 0, 1));
        addConsumer(c, "acme", "daily");
        const BillingPeriod p = period("2026-02");
        // 150 then 50: 50 over on the first day, none on the second (no netting across days).
        const auto rows = tollgate::report::computeBilling(
            c, p, {day("acme", p.fromUnix, 150), day("acme", p.fromUnix + kDay, 50)});
        QCOMPARE(rows[0].quota.value(), uint64_t(100 * 28));
        QCOMPARE(rows[0].requests, uint64_t(200));
        QCOMPARE(rows[0].overage, uint64_t(50));
        QCOMPARE(rows[0].price, 1.0);
    }

    void weeklyQuotaBillsWeeksStartingInTheMonth() {
        Config c;
        c.plans.push_back(plan("weekly", 100, QuotaConfig::Per::Week, true, 0, 10));
        addConsumer(c, "acme", "weekly");
        // June 2026: Mondays on the 1st, 8th, 15th, 22nd, 29th; the week of the 29th ends on July 5th.
        const BillingPeriod p = period("2026-06");
        const int64_t june29 = p.fromUnix + 28 * kDay;
        const auto rows = tollgate::report::computeBilling(
            c, p, {day("acme", june29, 80), day("acme", p.toUnix + 2 * kDay, 70)});
        QCOMPARE(rows[0].quota.value(), uint64_t(500));
        QCOMPARE(rows[0].requests, uint64_t(80)); // requests are the calendar month's
        QCOMPARE(rows[0].overage, uint64_t(50));  // the whole week of June 29th
        QCOMPARE(rows[0].price, 10.0);
    }

    void blockingQuotaAndPlanWithoutQuotaHaveNoOverage() {
        Config c;
        c.plans.push_back(plan("hard", 10, QuotaConfig::Per::Month, false, 5, 100));
        c.plans.push_back(plan("free", 0, QuotaConfig::Per::Month, false, 0, 0));
        addConsumer(c, "a", "hard");
        addConsumer(c, "b", "free");
        const BillingPeriod p = period("2026-01");
        const auto rows =
            tollgate::report::computeBilling(c, p, {day("a", p.fromUnix, 20), day("b", p.fromUnix, 20)});
        QCOMPARE(rows[0].overage, uint64_t(0));
        QCOMPARE(rows[0].price, 5.0);
        QVERIFY(!rows[1].quota.has_value());
        QCOMPARE(rows[1].requests, uint64_t(20));
    }

    void csvQuotesFieldsPerRfc4180() {
        BillingRow r;
        r.consumer = "Smith, \"Jr\"";
        r.plan = "multi\nline";
        r.requests = 3;
        r.quota = 10;
        r.price = 0.1 + 0.2;
        r.currency = "USD";
        BillingRow none;
        none.consumer = "plain";
        none.plan = "free";
        const std::string csv = tollgate::billingCsv({r, none});
        QCOMPARE(csv, std::string("consumer,plan,requests,refused,quota,overage,price,currency\r\n"
                                  "\"Smith, \"\"Jr\"\"\",\"multi\nline\",3,0,10,0,0.30,USD\r\n"
                                  "plain,free,0,0,,0,0.00,\r\n"));
    }

    void jsonListsEveryRow() {
        BillingRow r;
        r.consumer = "a\"b";
        r.plan = "pro";
        r.requests = 12'001;
        r.quota = 10'000;
        r.overage = 2'001;
        r.price = 56.5;
        r.currency = "EUR";
        BillingRow free;
        free.consumer = "free";
        const auto doc = nlohmann::json::parse(tollgate::billingJson(period("2026-01"), {r, free}));
        QCOMPARE(doc["period"].get<std::string>(), std::string("2026-01"));
        QCOMPARE(doc["consumers"].size(), size_t(2));
        QCOMPARE(doc["consumers"][0]["consumer"].get<std::string>(), std::string("a\"b"));
        QCOMPARE(doc["consumers"][0]["overage"].get<uint64_t>(), uint64_t(2'001));
        QCOMPARE(doc["consumers"][0]["price"].get<double>(), 56.5);
        QVERIFY(doc["consumers"][1]["quota"].is_null());
    }

    void reportReadsTheStoresDayRows() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("report.db").toStdString();
        const BillingPeriod p = period("2026-01");
        {
            std::string error;
            auto store = tollgate::store::Store::open(path, error);
            QVERIFY2(store, error.c_str());
            QVERIFY(store->addUsage(
                {tollgate::test::usageDelta(p.fromUnix + 60, "acme", "/a", 1500),
                 tollgate::test::usageDelta(p.fromUnix + 120, "acme", "/a", 7, 4, "auth.bad"),
                 tollgate::test::usageDelta(p.fromUnix + 180, "acme", "/a", 2, 5, "upstream.timeout")},
                error));
        }
        Config c;
        c.plans.push_back(plan("pro", 1000, QuotaConfig::Per::Month, true, 10, 1));
        addConsumer(c, "acme", "pro");
        std::vector<BillingRow> rows;
        std::string error;
        QVERIFY2(tollgate::billingReport(c, path, p, rows, error), error.c_str());
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].requests, uint64_t(1502));
        QCOMPARE(rows[0].refused, uint64_t(7));
        QCOMPARE(rows[0].overage, uint64_t(502));
        QCOMPARE(rows[0].price, 11.0);
        QVERIFY(!tollgate::billingReport(c, dir.filePath("missing.db").toStdString(), p, rows, error));
        QVERIFY2(error.find("no store") != std::string::npos, error.c_str());
    }
};

QTEST_APPLESS_MAIN(BillingTest)
#include "billing_test.moc"
