#pragma once
// The billing maths, apart from the store so that tests feed it day rows directly.

#include "store/store.h"
#include "tollgate/report.h"

#include <vector>

namespace tollgate::report {

// The store range a report for `period` must read: week quotas bill the ISO weeks that start in the
// month, whose last days may fall in the next month.
int64_t billingReadUntil(const BillingPeriod& period);

// One row per consumer of `config`, in config order; `days` may hold other consumers and days outside
// the month (they are ignored).
std::vector<BillingRow> computeBilling(const Config& config, const BillingPeriod& period,
                                       const std::vector<store::ConsumerDayUsage>& days);

} // namespace tollgate::report
