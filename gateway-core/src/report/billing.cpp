#include "report/billing.h"

#include "report/billable.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

namespace tollgate {

namespace {

constexpr int64_t kDay = 86'400;

int64_t monthStart(int year, int month) {
    using namespace std::chrono;
    const sys_days d{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} / 1};
    return d.time_since_epoch().count() * kDay;
}

bool allDigits(std::string_view s) {
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

} // namespace

std::string BillingPeriod::text() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return buf;
}

bool parseBillingPeriod(std::string_view text, BillingPeriod& out, std::string& error) {
    const auto bad = [&] {
        error = "invalid period \"" + std::string(text) +
                "\": expected YYYY-MM, a UTC calendar month such as 2026-01";
        return false;
    };
    if (text.size() != 7 || text[4] != '-' || !allDigits(text.substr(0, 4)) || !allDigits(text.substr(5))) {
        return bad();
    }
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = std::stoi(std::string(text.substr(5)));
    if (year < 1970 || month < 1 || month > 12) {
        return bad();
    }
    out.year = year;
    out.month = month;
    out.fromUnix = monthStart(year, month);
    out.toUnix = month == 12 ? monthStart(year + 1, 1) : monthStart(year, month + 1);
    return true;
}

namespace report {

int64_t billingReadUntil(const BillingPeriod& period) {
    return period.toUnix + 6 * kDay;
}

namespace {

// Monday 00:00 UTC of the ISO week holding `day` (1970-01-01 was a Thursday).
int64_t weekStart(int64_t day) {
    const int64_t days = day / kDay;
    const int64_t sinceMonday = ((days + 3) % 7 + 7) % 7;
    return (days - sinceMonday) * kDay;
}

uint64_t excess(uint64_t used, uint64_t allowed) {
    return used > allowed ? used - allowed : 0;
}

BillingRow priceOne(const ConsumerConfig& consumer, const PlanConfig* plan, const BillingPeriod& period,
                    const std::map<int64_t, uint64_t>& billableByDay, uint64_t refused) {
    BillingRow row;
    row.consumer = consumer.name;
    row.plan = consumer.plan;
    row.refused = refused;
    for (const auto& [day, n] : billableByDay) {
        if (day >= period.fromUnix && day < period.toUnix) {
            row.requests += n;
        }
    }
    if (plan == nullptr) {
        return row;
    }
    row.currency = plan->price.currency;
    if (plan->quota) {
        const QuotaConfig& q = *plan->quota;
        std::map<int64_t, uint64_t> byPeriod; // period start -> billable requests in it
        uint64_t periods = 0;
        if (q.per == QuotaConfig::Per::Month) {
            periods = 1;
            byPeriod[period.fromUnix] = row.requests;
        } else if (q.per == QuotaConfig::Per::Day) {
            periods = static_cast<uint64_t>((period.toUnix - period.fromUnix) / kDay);
            for (const auto& [day, n] : billableByDay) {
                if (day >= period.fromUnix && day < period.toUnix) {
                    byPeriod[day] += n;
                }
            }
        } else {
            // A week is billed in the month of its Monday, whole, as the gateway counted it.
            for (int64_t d = period.fromUnix; d < period.toUnix; d += kDay) {
                periods += weekStart(d) == d ? 1 : 0;
            }
            for (const auto& [day, n] : billableByDay) {
                const int64_t week = weekStart(day);
                if (week >= period.fromUnix && week < period.toUnix) {
                    byPeriod[week] += n;
                }
            }
        }
        row.quota = q.requests * periods;
        if (q.onExceeded == QuotaConfig::OnExceeded::AllowAndBill) {
            for (const auto& [start, n] : byPeriod) {
                row.overage += excess(n, q.requests);
            }
        }
    }
    const double blocks = std::ceil(static_cast<double>(row.overage) / 1000.0);
    row.price = plan->price.monthly + blocks * plan->price.per1000OverQuota;
    return row;
}

} // namespace

std::vector<BillingRow> computeBilling(const Config& config, const BillingPeriod& period,
                                       const std::vector<store::ConsumerDayUsage>& days) {
    std::map<std::string, std::map<int64_t, uint64_t>> billable;
    std::map<std::string, uint64_t> refused;
    for (const store::ConsumerDayUsage& d : days) {
        if (isGatewayRefusal(d.reason)) {
            if (d.day >= period.fromUnix && d.day < period.toUnix) {
                refused[d.consumer] += d.requests;
            }
        } else {
            billable[d.consumer][d.day] += d.requests;
        }
    }
    std::map<std::string, const PlanConfig*> plans;
    for (const PlanConfig& p : config.plans) {
        plans[p.name] = &p;
    }
    std::vector<BillingRow> rows;
    rows.reserve(config.consumers.size());
    static const std::map<int64_t, uint64_t> kNone;
    for (const ConsumerConfig& c : config.consumers) {
        const auto plan = plans.find(c.plan);
        const auto used = billable.find(c.name);
        const auto no = refused.find(c.name);
        rows.push_back(priceOne(c, plan == plans.end() ? nullptr : plan->second, period,
                                used == billable.end() ? kNone : used->second,
                                no == refused.end() ? 0 : no->second));
    }
    return rows;
}

} // namespace report

std::string defaultStorePath() {
    return store::Store::defaultPath();
}

bool billingReport(const Config& config, const std::string& storePath, const BillingPeriod& period,
                   std::vector<BillingRow>& out, std::string& error) {
    std::error_code ec;
    if (!std::filesystem::exists(storePath, ec)) {
        error = "no store at " + storePath + " (gateway.store, or --store)";
        return false;
    }
    auto db = store::Store::open(storePath, error);
    if (!db) {
        return false;
    }
    std::vector<store::ConsumerDayUsage> days;
    if (!db->consumerDays(period.fromUnix, report::billingReadUntil(period), days, error)) {
        return false;
    }
    out = report::computeBilling(config, period, days);
    return true;
}

} // namespace tollgate
