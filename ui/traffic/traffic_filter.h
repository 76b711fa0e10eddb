#pragma once
// The Traffic page's filter bar: `status:4xx consumer:acme path:/orders latency:>200ms reason:limit.*`.
// Terms are ANDed, except values for one field, which are alternatives (`status:4xx status:5xx`);
// comparisons always AND (`latency:>100ms latency:<1s` is a range); `-field:value` excludes. Text values are
// case-insensitive globs (`*`, `?`), `path:` also matches a prefix; numbers take a comparison (`>`, `>=`,
// `<`, `<=`, `=`). A bare word matches path, consumer, route or reason.

#include "traffic/traffic_row.h"

#include <QRegularExpression>
#include <QString>

#include <optional>
#include <vector>

namespace tollgate::ui {

class TrafficFilter {
public:
    // An empty text matches everything. On a mistake: nullopt and `error` says where and why
    // ("at 8: unknown field \"stauts\" (did you mean status?)").
    static std::optional<TrafficFilter> parse(const QString& text, QString* error = nullptr);

    bool matches(const TrafficRow& row) const;
    // The same for a kept row; remembers each glob's answer per text (the filter is the model's own).
    bool matches(const StoredRow& row, const TextTable& table, const ByteRing& ring) const;
    bool isEmpty() const { return m_terms.empty(); }
    QString text() const { return m_text; }

    // The fields a term may name, for the error message and the bar's completer.
    static QStringList fields();

    enum class Compare { Eq, Lt, Le, Gt, Ge };

private:
    enum class Field {
        Status,
        Consumer,
        Plan,
        Api,
        Version,
        Route,
        Path,
        Reason,
        Method,
        Ip,
        Target,
        Latency,
        Upstream,
        Bytes,
        BytesIn,
        Any
    };
    struct Term {
        Field field = Field::Any;
        bool negated = false;
        QRegularExpression glob; // text fields
        Compare compare = Compare::Eq;
        double number = 0;   // numeric fields (latency in microseconds)
        int statusClass = 0; // status:4xx
        QString word;        // Any: substring
    };
    struct StoredTexts;
    template <typename Row, typename Texts>
    bool test(const Term& t, size_t index, const Row& row, const Texts& texts) const;
    template <typename Row, typename Texts> bool matchesWith(const Row& row, const Texts& texts) const;

    QString m_text;
    std::vector<Term> m_terms;
    mutable std::vector<std::vector<std::pair<uint64_t, bool>>> m_memo;
};

} // namespace tollgate::ui
