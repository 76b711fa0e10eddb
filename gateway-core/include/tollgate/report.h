#pragma once
// The monthly billing report: one row per consumer of a config, priced by its plan, from the day rows
// of the consumption store (docs/consumption.md explains the columns and the maths). Any thread; the
// store is read through a connection of its own.

#include "tollgate/config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate {

struct BillingPeriod {
    int year = 1970;
    int month = 1;            // 1..12
    int64_t fromUnix = 0;     // first day of the month, 00:00 UTC
    int64_t toUnix = 0;       // first day of the next month (exclusive)
    std::string text() const; // "YYYY-MM"
};

// "YYYY-MM" (UTC calendar month); false and a message naming the expected form otherwise.
bool parseBillingPeriod(std::string_view text, BillingPeriod& out, std::string& error);

struct BillingRow {
    std::string consumer;
    std::string plan;
    uint64_t requests = 0;         // billable: forwarded to the upstream
    uint64_t refused = 0;          // refused by the gateway itself (auth., limit., ...)
    std::optional<uint64_t> quota; // the plan's quota over the month; none without a quota
    uint64_t overage = 0;          // billable requests beyond the quota (allow_and_bill plans)
    double price = 0;              // monthly + ceil(overage / 1000) * per_1000_over_quota
    std::string currency;
};

// The store used when gateway.store is not set (the platform data directory); empty if none applies.
std::string defaultStorePath();

// Reads the store at `storePath` (which must exist) and prices every consumer of `config`.
bool billingReport(const Config& config, const std::string& storePath, const BillingPeriod& period,
                   std::vector<BillingRow>& out, std::string& error);

// RFC 4180: a header line, CRLF line ends, fields quoted when they hold a comma, quote or line break.
std::string billingCsv(const std::vector<BillingRow>& rows);
// {"period": "YYYY-MM", "from": unix, "to": unix, "consumers": [{...}, ...]}
std::string billingJson(const BillingPeriod& period, const std::vector<BillingRow>& rows);

} // namespace tollgate
