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

namespace {

bool compareNumber(TrafficFilter::Compare c, double v, double number) {
    switch (c) {
    case TrafficFilter::Compare::Eq:
        return v == number;
    case TrafficFilter::Compare::Lt:
        return v < number;
    case TrafficFilter::Compare::Le:
        return v <= number;
    case TrafficFilter::Compare::Gt:
        return v > number;
    case TrafficFilter::Compare::Ge:
        return v >= number;
    }
    return false;
}

// A TrafficRow's texts as the terms read them.
struct ExpandedTexts {
    const TrafficRow& row;
    bool glob(const QRegularExpression& re, size_t, TextField f) const {
        return re.match(text(f)).hasMatch();
    }
    QString text(TextField f) const {
        switch (f) {
        case TextField::Consumer:
            return row.consumer;
        case TextField::Plan:
            return row.plan;
        case TextField::Api:
            return row.api;
        case TextField::Version:
            return row.version;
        case TextField::Route:
            return row.route;
        case TextField::Reason:
            return row.reason;
        case TextField::ClientIp:
            return row.clientIp;
        case TextField::Target:
            return row.target;
        case TextField::Path:
        case TextField::Count:
            break;
        }
        return row.path;
    }
};

} // namespace

// A StoredRow's texts: a glob's answer for a text is remembered, so a filter costs one regular
// expression per distinct text rather than one per row.
struct TrafficFilter::StoredTexts {
    const StoredRow& row;
    const TextTable& table;
    const ByteRing& ring;
    std::vector<std::vector<std::pair<uint64_t, bool>>>& memo; // [term][id] = (serial, answer)
    bool glob(const QRegularExpression& re, size_t term, TextField f) const {
        if (size_t(f) >= kNamedFields) { // paths and addresses seldom repeat: nothing to remember
            return re.match(text(f)).hasMatch();
        }
        const TextId id = row.name(f);
        auto& cache = memo[term];
        if (cache.size() <= id) {
            cache.resize(std::max<size_t>(table.capacity(), size_t(id) + 1));
        }
        auto& [serial, answer] = cache[id];
        if (serial != table.serial(id)) {
            answer = re.match(table.text(id)).hasMatch();
            serial = table.serial(id);
        }
        return answer;
    }
    QString text(TextField f) const {
        if (size_t(f) < kNamedFields) {
            return table.text(row.name(f));
        }
        const std::string_view s = rowText(row, f, table, ring);
        return QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
};

template <typename Row, typename Texts>
bool TrafficFilter::test(const Term& t, size_t index, const Row& row, const Texts& texts) const {
    auto compare = [&t](double v) { return compareNumber(t.compare, v, t.number); };
    switch (t.field) {
    case Field::Status:
        return t.statusClass ? row.statusClass() == t.statusClass : compare(row.status);
    case Field::Consumer:
        return texts.glob(t.glob, index, TextField::Consumer);
    case Field::Plan:
        return texts.glob(t.glob, index, TextField::Plan);
    case Field::Api:
        return texts.glob(t.glob, index, TextField::Api);
    case Field::Version:
        return texts.glob(t.glob, index, TextField::Version);
    case Field::Route:
        return texts.glob(t.glob, index, TextField::Route);
    case Field::Path:
        return texts.glob(t.glob, index, TextField::Path);
    case Field::Reason:
        return texts.glob(t.glob, index, TextField::Reason);
    case Field::Method:
        return t.glob.match(methodName(row.method)).hasMatch();
    case Field::Ip:
        return texts.glob(t.glob, index, TextField::ClientIp);
    case Field::Target:
        return texts.glob(t.glob, index, TextField::Target);
    case Field::Latency:
        return compare(row.totalMicros);
    case Field::Upstream:
        return compare(row.upstreamMicros);
    case Field::Bytes:
        return compare(double(row.bytesOut));
    case Field::BytesIn:
        return compare(double(row.bytesIn));
    case Field::Any:
        for (TextField f : {TextField::Path, TextField::Consumer, TextField::Route, TextField::Reason}) {
            if (texts.text(f).contains(t.word, Qt::CaseInsensitive)) {
                return true;
            }
        }
        return false;
    }
    return false;
}

template <typename Row, typename Texts>
bool TrafficFilter::matchesWith(const Row& row, const Texts& texts) const {
    size_t i = 0;
    while (i < m_terms.size()) {
        const Term& first = m_terms[i];
        // Exclusions, comparisons and bare words each must hold on their own.
        if (first.negated || first.compare != Compare::Eq || first.field == Field::Any) {
            if (test(first, i, row, texts) == first.negated) {
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
            any = any || test(m_terms[j], j, row, texts);
        }
        if (!any) {
            return false;
        }
        i = j;
    }
    return true;
}

bool TrafficFilter::matches(const TrafficRow& row) const {
    return matchesWith(row, ExpandedTexts{row});
}

bool TrafficFilter::matches(const StoredRow& row, const TextTable& table, const ByteRing& ring) const {
    if (m_terms.empty()) {
        return true;
    }
    m_memo.resize(m_terms.size());
    return matchesWith(row, StoredTexts{row, table, ring, m_memo});
}

} // namespace tollgate::ui
