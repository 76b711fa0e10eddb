#include "limits/gcra.h"

namespace tollgate::limits {

const char* unitName(RateLimitConfig::Per per) {
    switch (per) {
    case RateLimitConfig::Per::Second:
        return "second";
    case RateLimitConfig::Per::Minute:
        return "minute";
    case RateLimitConfig::Per::Hour:
        return "hour";
    case RateLimitConfig::Per::Day:
        return "day";
    }
    return "second";
}

} // namespace tollgate::limits
