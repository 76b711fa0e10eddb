#include "models/config_text.h"

namespace tollgate::ui {

QString durationText(Millis d) {
    const long long ms = d.count();
    struct Unit {
        long long ms;
        const char* suffix;
    };
    static constexpr Unit units[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1'000, "s"}};
    for (const Unit& u : units) {
        if (ms != 0 && ms % u.ms == 0) {
            return QString::number(ms / u.ms) + QLatin1String(u.suffix);
        }
    }
    return QString::number(ms) + QStringLiteral("ms");
}

QString sizeText(uint64_t bytes) {
    struct Unit {
        uint64_t bytes;
        const char* suffix;
    };
    static constexpr Unit units[] = {{1ULL << 30, "GiB"}, {1ULL << 20, "MiB"}, {1ULL << 10, "KiB"}};
    for (const Unit& u : units) {
        if (bytes != 0 && bytes % u.bytes == 0) {
            return QString::number(bytes / u.bytes) + QLatin1String(u.suffix);
        }
    }
    return QString::number(bytes) + QStringLiteral(" B");
}

QString countText(uint64_t n) {
    QString digits = QString::number(n);
    for (int at = digits.size() - 3; at > 0; at -= 3) {
        digits.insert(at, QChar(0x202F)); // narrow no-break space: "10 000", any locale reads it
    }
    return digits;
}

QString rateLimitText(const RateLimitConfig& r) {
    static const char* per[] = {"s", "min", "h", "day"};
    return countText(r.requests) + QLatin1Char('/') + QLatin1String(per[static_cast<int>(r.per)]);
}

QString rateLimitsText(const std::vector<RateLimitConfig>& limits) {
    QStringList parts;
    for (const RateLimitConfig& r : limits) {
        parts << rateLimitText(r);
    }
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

QString quotaText(const QuotaConfig& q) {
    static const char* per[] = {"day", "week", "month"};
    return countText(q.requests) + QLatin1Char('/') + QLatin1String(per[static_cast<int>(q.per)]) +
           (q.onExceeded == QuotaConfig::OnExceeded::Block ? QStringLiteral(", then blocked")
                                                           : QStringLiteral(", then billed"));
}

QString priceText(const PriceConfig& p) {
    if (p.monthly == 0 && p.per1000OverQuota == 0) {
        return QStringLiteral("free");
    }
    QString text = QStringLiteral("%1 %2/month").arg(QString::fromStdString(p.currency)).arg(p.monthly);
    if (p.per1000OverQuota != 0) {
        text += QStringLiteral(" + %1/1000 over quota").arg(p.per1000OverQuota);
    }
    return text;
}

QString grantText(const GrantConfig& g) {
    QString text = QString::fromStdString(g.api);
    if (!g.version.empty()) {
        text += QLatin1Char(' ') + QString::fromStdString(g.version);
    }
    const bool all = g.routes.empty() || (g.routes.size() == 1 && g.routes[0] == "*");
    text += QStringLiteral(": ") + (all ? QStringLiteral("all routes") : joined(g.routes));
    if (!g.methods.empty()) {
        text += QStringLiteral(" (") + joined(g.methods) + QLatin1Char(')');
    }
    return text;
}

QString grantsText(const std::vector<GrantConfig>& grants) {
    QStringList parts;
    for (const GrantConfig& g : grants) {
        parts << grantText(g);
    }
    return parts.join(QStringLiteral("; "));
}

QString lifecycleText(Lifecycle l) {
    switch (l) {
    case Lifecycle::Draft:
        return QStringLiteral("draft");
    case Lifecycle::Published:
        return QStringLiteral("published");
    case Lifecycle::Deprecated:
        return QStringLiteral("deprecated");
    case Lifecycle::Retired:
        return QStringLiteral("retired");
    }
    return {};
}

QString balanceText(Balance b) {
    switch (b) {
    case Balance::RoundRobin:
        return QStringLiteral("round robin");
    case Balance::LeastConn:
        return QStringLiteral("least connections");
    case Balance::ConsistentHash:
        return QStringLiteral("consistent hash");
    }
    return {};
}

QString methodsText(const std::vector<std::string>& methods) {
    return methods.empty() ? QStringLiteral("any") : joined(methods);
}

QString joined(const std::vector<std::string>& items, const QString& separator) {
    QStringList parts;
    for (const std::string& s : items) {
        parts << QString::fromStdString(s);
    }
    return parts.join(separator);
}

QString cidrsText(const std::vector<Cidr>& cidrs, const QString& empty) {
    QStringList parts;
    for (const Cidr& c : cidrs) {
        parts << QString::fromStdString(c.text);
    }
    return parts.isEmpty() ? empty : parts.join(QStringLiteral(", "));
}

} // namespace tollgate::ui
