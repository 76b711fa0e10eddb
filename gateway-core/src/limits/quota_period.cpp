#include "limits/quota_period.h"

namespace tollgate::limits {

namespace {

constexpr int64_t kDay = 86400;
// 1970-01-01 was a Thursday: the Monday of its week is three days earlier.
constexpr int64_t kMondayOffset = 3;

int64_t floorDiv(int64_t a, int64_t b) {
    const int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

} // namespace

int64_t daysFromCivil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = floorDiv(y, 400);
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civilFromDays(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
    z += 719468;
    const int64_t era = floorDiv(z, 146097);
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp < 10 ? mp + 3 : mp - 9;
    year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2);
}

QuotaPeriod QuotaPeriod::of(QuotaConfig::Per per, int64_t index) {
    QuotaPeriod p;
    p.per = per;
    p.index = index;
    switch (per) {
    case QuotaConfig::Per::Day:
        p.start = index * kDay;
        p.end = p.start + kDay;
        break;
    case QuotaConfig::Per::Week:
        p.start = (index * 7 - kMondayOffset) * kDay;
        p.end = p.start + 7 * kDay;
        break;
    case QuotaConfig::Per::Month: {
        const int64_t year = 1970 + floorDiv(index, 12);
        const unsigned month = static_cast<unsigned>(index - (year - 1970) * 12) + 1;
        p.start = daysFromCivil(year, month, 1) * kDay;
        p.end = (month == 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) * kDay;
        break;
    }
    }
    return p;
}

QuotaPeriod QuotaPeriod::at(QuotaConfig::Per per, int64_t unixSeconds) {
    const int64_t days = floorDiv(unixSeconds, kDay);
    switch (per) {
    case QuotaConfig::Per::Day:
        return of(per, days);
    case QuotaConfig::Per::Week:
        return of(per, floorDiv(days + kMondayOffset, 7));
    case QuotaConfig::Per::Month: {
        int64_t year = 0;
        unsigned month = 0, day = 0;
        civilFromDays(days, year, month, day);
        return of(per, (year - 1970) * 12 + (month - 1));
    }
    }
    return of(per, days);
}

const char* periodName(QuotaConfig::Per per) {
    switch (per) {
    case QuotaConfig::Per::Day:
        return "day";
    case QuotaConfig::Per::Week:
        return "week";
    case QuotaConfig::Per::Month:
        return "month";
    }
    return "month";
}

} // namespace tollgate::limits
