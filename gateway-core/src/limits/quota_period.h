#pragma once
// Calendar periods of a quota, in UTC: a day starts at 00:00, a week on Monday 00:00 (ISO 8601), a month
// on its first day. A period is named by its kind and an index counted from the unix epoch, so that a
// counter can tell "this period" from "an earlier one" with one comparison.

#include "tollgate/config.h"

#include <cstdint>

namespace tollgate::limits {

struct QuotaPeriod {
    QuotaConfig::Per per = QuotaConfig::Per::Month;
    int64_t index = 0; // days, weeks or months since 1970-01 (weeks: since Monday 1969-12-29)
    int64_t start = 0; // unix seconds of the first instant
    int64_t end = 0;   // unix seconds of the first instant of the next period

    static QuotaPeriod at(QuotaConfig::Per per, int64_t unixSeconds);
    // The period with this index.
    static QuotaPeriod of(QuotaConfig::Per per, int64_t index);
};

const char* periodName(QuotaConfig::Per per);

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian, H. Hinnant's algorithms).
int64_t daysFromCivil(int64_t year, unsigned month, unsigned day);
void civilFromDays(int64_t days, int64_t& year, unsigned& month, unsigned& day);

} // namespace tollgate::limits
