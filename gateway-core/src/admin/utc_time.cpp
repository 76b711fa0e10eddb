#include "admin/utc_time.h"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace tollgate::admin {
namespace {

bool digits(std::string_view text, size_t at, size_t n, int& out) {
    if (at + n > text.size()) {
        return false;
    }
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        v = v * 10 + (text[i] - '0');
    }
    out = v;
    return true;
}

} // namespace

std::optional<int64_t> parseInstant(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    if (text.find_first_not_of("0123456789") == std::string_view::npos) {
        int64_t v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size()) {
            return std::nullopt;
        }
        return v;
    }
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' || !digits(text, 5, 2, month) ||
        text[7] != '-' || !digits(text, 8, 2, day) || (text[10] != 'T' && text[10] != 't') ||
        !digits(text, 11, 2, hour) || text[13] != ':' || !digits(text, 14, 2, minute) || text[16] != ':' ||
        !digits(text, 17, 2, second)) {
        return std::nullopt;
    }
    size_t at = 19;
    if (text[at] == '.') {
        ++at;
        const size_t start = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            ++at;
        }
        if (at == start) {
            return std::nullopt;
        }
    }
    int offsetSeconds = 0;
    const std::string_view zone = text.substr(at);
    if (zone == "Z" || zone == "z") {
        offsetSeconds = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
        int oh = 0, om = 0;
        if (!digits(zone, 1, 2, oh) || !digits(zone, 4, 2, om) || oh > 23 || om > 59) {
            return std::nullopt;
        }
        offsetSeconds = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    using namespace std::chrono;
    const year_month_day ymd{std::chrono::year(year), std::chrono::month(unsigned(month)),
                             std::chrono::day(unsigned(day))};
    // Leap seconds (":60") are refused: unix time has no place for them.
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    const int64_t days = sys_days(ymd).time_since_epoch().count();
    return days * 86'400 + hour * 3600 + minute * 60 + second - offsetSeconds;
}

std::string formatRfc3339(int64_t unixSeconds) {
    using namespace std::chrono;
    const int64_t days = unixSeconds >= 0 ? unixSeconds / 86'400 : (unixSeconds - 86'399) / 86'400;
    const int64_t rest = unixSeconds - days * 86'400;
    const year_month_day ymd{sys_days(std::chrono::days(days))};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()), int(rest / 3600), int(rest / 60 % 60), int(rest % 60));
    return buf;
}

} // namespace tollgate::admin
