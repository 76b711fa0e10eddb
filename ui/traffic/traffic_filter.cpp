#include "traffic/traffic_filter.h"

#include "tollgate/config.h"

#include <QStringList>

#include <algorithm>
#include <tuple>

namespace tollgate::ui {
namespace {

struct FieldName {
    const char* name;
    int field;
};

int editDistance(const QString& a, const QString& b) {
    std::vector<int> prev(size_t(b.size()) + 1);
    std::vector<int> cur(prev.size());
    for (size_t j = 0; j < prev.size(); ++j) {
        prev[j] = int(j);
    }
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[size_t(j)] =
                std::min({prev[size_t(j)] + 1, cur[size_t(j - 1)] + 1, prev[size_t(j - 1)] + cost});
        }
        std::swap(prev, cur);
    }
    return prev.back();
}

QRegularExpression globRegex(const QString& glob, bool prefix) {
    QString pattern = QRegularExpression::wildcardToRegularExpression(
        glob, QRegularExpression::UnanchoredWildcardConversion);
    pattern = QStringLiteral("^(?:") + pattern + (prefix ? QStringLiteral(")") : QStringLiteral(")$"));
    return QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}

} // namespace

QStringList TrafficFilter::fields() {
    return {QStringLiteral("status"),   QStringLiteral("consumer"), QStringLiteral("plan"),
            QStringLiteral("api"),      QStringLiteral("version"),  QStringLiteral("route"),
            QStringLiteral("path"),     QStringLiteral("reason"),   QStringLiteral("method"),
            QStringLiteral("ip"),       QStringLiteral("target"),   QStringLiteral("latency"),
            QStringLiteral("upstream"), QStringLiteral("bytes"),    QStringLiteral("bytes_in")};
}

std::optional<TrafficFilter> TrafficFilter::parse(const QString& text, QString* error) {
    TrafficFilter filter;
    filter.m_text = text;
    const QStringList names = fields();
    auto fail = [&](qsizetype at, const QString& why) -> std::optional<TrafficFilter> {
        if (error) {
            *error = QObject::tr("at %1: %2").arg(at + 1).arg(why);
        }
        return std::nullopt;
    };

    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && text[i].isSpace()) {
            ++i;
        }
        if (i >= text.size()) {
            break;
        }
        const qsizetype start = i;
        while (i < text.size() && !text[i].isSpace()) {
            ++i;
        }
        QString token = text.mid(start, i - start);
        Term term;
        if (token.startsWith(QLatin1Char('-')) && token.size() > 1) {
            term.negated = true;
            token.remove(0, 1);
        }
        const qsizetype colon = token.indexOf(QLatin1Char(':'));
        if (colon < 0) {
            term.field = Field::Any;
            term.word = token;
            filter.m_terms.push_back(std::move(term));
            continue;
        }
        const QString name = token.left(colon).toLower();
        const QString value = token.mid(colon + 1);
        const qsizetype index = names.indexOf(name);
        if (index < 0) {
            QString best;
            int bestDistance = 3;
            for (const QString& n : names) {
                const int d = editDistance(name, n);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = n;
                }
            }
            return fail(start, best.isEmpty()
                                   ? QObject::tr("unknown field \"%1\" (fields: %2)")
                                         .arg(name, names.join(QStringLiteral(", ")))
                                   : QObject::tr("unknown field \"%1\" (did you mean %2?)").arg(name, best));
        }
        if (value.isEmpty()) {
            return fail(start, QObject::tr("%1: needs a value").arg(name));
        }
        term.field = static_cast<Field>(index);

        switch (term.field) {
        case Field::Status: {
            static const QRegularExpression cls(QStringLiteral("^([1-5])xx$"),
                                                QRegularExpression::CaseInsensitiveOption);
            if (const auto m = cls.match(value); m.hasMatch()) {
                term.statusClass = m.captured(1).toInt();
                break;
            }
            [[fallthrough]];
        }
        case Field::Latency:
        case Field::Upstream:
        case Field::Bytes:
        case Field::BytesIn: {
            QString v = value;
            if (v.startsWith(QLatin1String(">="))) {
                term.compare = Compare::Ge;
                v.remove(0, 2);
            } else if (v.startsWith(QLatin1String("<="))) {
                term.compare = Compare::Le;
                v.remove(0, 2);
            } else if (v.startsWith(QLatin1Char('>'))) {
                term.compare = Compare::Gt;
                v.remove(0, 1);
            } else if (v.startsWith(QLatin1Char('<'))) {
                term.compare = Compare::Lt;
                v.remove(0, 1);
            } else if (v.startsWith(QLatin1Char('='))) {
                v.remove(0, 1);
            }
            if (term.field == Field::Latency || term.field == Field::Upstream) {
                // A bare number is milliseconds, like the column shows.
                bool plain = false;
                const double ms = v.toDouble(&plain);
                const auto d = plain ? std::optional<Millis>() : parseDuration(v.toStdString());
                if (!plain && !d) {
                    return fail(
                        start,
                        QObject::tr("%1: \"%2\" is not a duration (such as 200ms, 2s or 200)").arg(name, v));
                }
                term.number = plain ? ms * 1000.0 : double(d->count()) * 1000.0;
            } else if (term.field == Field::Status) {
                bool ok = false;
                const int status = v.toInt(&ok);
                if (!ok || status < 100 || status > 599) {
                    return fail(
                        start,
                        QObject::tr("status: \"%1\" is not a status (such as 404, 4xx or >=500)").arg(value));
                }
                term.number = status;
            } else {
                const auto size = parseSize(v.toStdString());
                if (!size) {
                    return fail(start,
                                QObject::tr("%1: \"%2\" is not a size (such as 1000, 16KiB)").arg(name, v));
                }
                term.number = double(*size);
            }
            break;
        }
        default:
            term.glob = globRegex(value, term.field == Field::Path);
            if (!term.glob.isValid()) {
                return fail(start, QObject::tr("%1: \"%2\" is not a pattern").arg(name, value));
            }
            break;
        }
        filter.m_terms.push_back(std::move(term));
    }
    // Same field, not negated: alternatives, so they sit together for matches().
    std::stable_sort(filter.m_terms.begin(), filter.m_terms.end(), [](const Term& a, const Term& b) {
        return std::tuple(a.negated, int(a.field), a.compare != Compare::Eq) <
               std::tuple(b.negated, int(b.field), b.compare != Compare::Eq);
    });
    if (error) {
        error->clear();
    }
    return filter;
}

bool TrafficFilter::test(const Term& t, const TrafficRow& row) const {
    auto compare = [&t](double v) {
        switch (t.compare) {
        case Compare::Eq:
            return v == t.number;
        case Compare::Lt:
            return v < t.number;
        case Compare::Le:
            return v <= t.number;
        case Compare::Gt:
            return v > t.number;
        case Compare::Ge:
            return v >= t.number;
        }
        return false;
    };
    auto glob = [&t](const QString& s) { return t.glob.match(s).hasMatch(); };
    switch (t.field) {
    case Field::Status:
        return t.statusClass ? row.statusClass() == t.statusClass : compare(row.status);
    case Field::Consumer:
        return glob(row.consumer);
    case Field::Plan:
        return glob(row.plan);
    case Field::Api:
        return glob(row.api);
    case Field::Version:
        return glob(row.version);
    case Field::Route:
        return glob(row.route);
    case Field::Path:
        return glob(row.path);
    case Field::Reason:
        return glob(row.reason);
    case Field::Method:
        return glob(methodName(row.method));
    case Field::Ip:
        return glob(row.clientIp);
    case Field::Target:
        return glob(row.target);
    case Field::Latency:
        return compare(row.totalMicros);
    case Field::Upstream:
        return compare(row.upstreamMicros);
    case Field::Bytes:
        return compare(double(row.bytesOut));
    case Field::BytesIn:
        return compare(double(row.bytesIn));
    case Field::Any:
        return row.path.contains(t.word, Qt::CaseInsensitive) ||
               row.consumer.contains(t.word, Qt::CaseInsensitive) ||
               row.route.contains(t.word, Qt::CaseInsensitive) ||
               row.reason.contains(t.word, Qt::CaseInsensitive);
    }
    return false;
}

bool TrafficFilter::matches(const TrafficRow& row) const {
    size_t i = 0;
    while (i < m_terms.size()) {
        const Term& first = m_terms[i];
        // Exclusions, comparisons and bare words each must hold on their own.
        if (first.negated || first.compare != Compare::Eq || first.field == Field::Any) {
            if (test(first, row) == first.negated) {
                return false;
            }
            ++i;
            continue;
        }
        // A run of equal-to values on one field: any of them.
        bool any = false;
        size_t j = i;
        for (; j < m_terms.size() && !m_terms[j].negated && m_terms[j].compare == Compare::Eq &&
               m_terms[j].field == first.field;
             ++j) {
            any = any || test(m_terms[j], row);
        }
        if (!any) {
            return false;
        }
        i = j;
    }
    return true;
}

} // namespace tollgate::ui
