// CSV and JSON renderings of the billing report.
#include "tollgate/report.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace tollgate {

namespace {

std::string csvField(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (const char c : value) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

// Cents: a price is money, and 0.1 + 0.2 must not print as 0.30000000000000004.
std::string money(double price) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", price);
    return buf;
}

} // namespace

std::string billingCsv(const std::vector<BillingRow>& rows) {
    std::string out = "consumer,plan,requests,refused,quota,overage,price,currency\r\n";
    for (const BillingRow& r : rows) {
        out += csvField(r.consumer) + "," + csvField(r.plan) + "," + std::to_string(r.requests) + "," +
               std::to_string(r.refused) + "," + (r.quota ? std::to_string(*r.quota) : std::string()) + "," +
               std::to_string(r.overage) + "," + money(r.price) + "," + csvField(r.currency) + "\r\n";
    }
    return out;
}

std::string billingJson(const BillingPeriod& period, const std::vector<BillingRow>& rows) {
    nlohmann::json consumers = nlohmann::json::array();
    for (const BillingRow& r : rows) {
        nlohmann::json row = {{"consumer", r.consumer},
                              {"plan", r.plan},
                              {"requests", r.requests},
                              {"refused", r.refused},
                              {"quota", nullptr},
                              {"overage", r.overage},
                              {"price", std::round(r.price * 100) / 100},
                              {"currency", r.currency}};
        if (r.quota) {
            row["quota"] = *r.quota;
        }
        consumers.push_back(std::move(row));
    }
    const nlohmann::json doc = {{"period", period.text()},
                                {"from", period.fromUnix},
                                {"to", period.toUnix},
                                {"consumers", std::move(consumers)}};
    return doc.dump(2) + "\n";
}

} // namespace tollgate
