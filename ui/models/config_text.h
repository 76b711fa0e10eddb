#pragma once
// How the console writes config values: the same short forms as the YAML ("250ms", "10/s"), so
// what a user reads on screen is what they would type in the file.

#include "tollgate/config.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace tollgate::ui {

QString durationText(Millis d);                                     // "250ms", "10s", "5m", "1h", "1d"
QString sizeText(uint64_t bytes);                                   // "16KiB", "10MiB", "1000 B"
QString countText(uint64_t n);                                      // "10 000"
QString rateLimitText(const RateLimitConfig& r);                    // "10/s"
QString rateLimitsText(const std::vector<RateLimitConfig>& limits); // "10/s, 1000/h"
QString quotaText(const QuotaConfig& q);                            // "10,000/month, block"
QString priceText(const PriceConfig& p);                      // "USD 49/month + 0.5 per 1000 over quota"
QString grantText(const GrantConfig& g);                      // "orders: list, get (GET, POST)"
QString grantsText(const std::vector<GrantConfig>& grants);   // "; " between grants
QString lifecycleText(Lifecycle l);                           // "published"
QString balanceText(Balance b);                               // "round robin"
QString methodsText(const std::vector<std::string>& methods); // "GET, POST" or "any"
QString joined(const std::vector<std::string>& items, const QString& separator = QStringLiteral(", "));
QString cidrsText(const std::vector<Cidr>& cidrs, const QString& empty = QStringLiteral("any"));

} // namespace tollgate::ui
