// Store's consumption aggregates: series interning, the minute/hour/day upserts, queries and pruning.
#include "store/store.h"
#include "store/usage_query.h"
#include "store/usage_statements.h"

#include <sqlite3.h>

#include <chrono>
#include <map>
#include <tuple>

namespace tollgate::store {

namespace {

constexpr const char* kTables[kUsageTables] = {"usage_minute", "usage_hour", "usage_day"};
constexpr int64_t kTableBucket[kUsageTables] = {60, 3600, 86'400};
constexpr size_t kHistogram = LatencyHistogram::kBuckets;

struct Sums {
    uint64_t requests = 0;
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    uint64_t upstreamMicros = 0;
    LatencyHistogram latency;
    void add(const recording::AggregateDelta& d) {
        requests += d.requests;
        bytesIn += d.bytesIn;
        bytesOut += d.bytesOut;
        upstreamMicros += d.upstreamMicros;
        latency.merge(d.latency);
    }
};

std::string histogramList(const char* prefix) {
    std::string out;
    for (size_t i = 0; i < kHistogram; ++i) {
        out += ", " + std::string(prefix) + "l" + std::to_string(i);
    }
    return out;
}

std::string upsertSql(const char* table) {
    std::string sql = std::string("INSERT INTO ") + table +
                      "(series_id, bucket_start, requests, bytes_in, bytes_out, upstream_micros" +
                      histogramList("") + ") VALUES(?1, ?2, ?3, ?4, ?5, ?6";
    for (size_t i = 0; i < kHistogram; ++i) {
        sql += ", ?" + std::to_string(7 + i);
    }
    sql += ") ON CONFLICT(series_id, bucket_start) DO UPDATE SET requests = requests + excluded.requests,"
           " bytes_in = bytes_in + excluded.bytes_in, bytes_out = bytes_out + excluded.bytes_out,"
           " upstream_micros = upstream_micros + excluded.upstream_micros";
    for (size_t i = 0; i < kHistogram; ++i) {
        const std::string c = "l" + std::to_string(i);
        sql += ", " + c + " = " + c + " + excluded." + c;
    }
    return sql;
}

// Rows, not sums: one consumer's series or the rollups are few enough per bucket that adding them here
// is cheaper than SQLite's GROUP BY sorter.
std::string selectSql(const char* table) {
    return std::string("SELECT u.bucket_start, s.status_class, u.requests, u.bytes_in, u.bytes_out") +
           histogramList("u.") + " FROM series AS s JOIN " + table +
           " AS u ON u.series_id = s.id WHERE s.rollup = ?1 AND s.consumer = ?2 AND (?3 = '' OR s.api = ?3)"
           " AND u.bucket_start >= ?4 AND u.bucket_start < ?5";
}

// The ranking queries read the per-consumer rows (rollup = 0), filtered like selectSql: ?1 consumer
// ('' = all), ?2 api ('' = all), ?3 and ?4 the range.
std::string rankedSql(const char* columns, const char* table, const char* where, const char* tail) {
    return std::string("SELECT ") + columns + " FROM series AS s JOIN " + table +
           " AS u ON u.series_id = s.id WHERE s.rollup = 0 AND (?1 = '' OR s.consumer = ?1)"
           " AND (?2 = '' OR s.api = ?2) AND u.bucket_start >= ?3 AND u.bucket_start < ?4" +
           where + " " + tail;
}

int tableOf(Granularity g) {
    return g == Granularity::Minute ? 0 : g == Granularity::Hour ? 1 : 2;
}

void bindText(sqlite3_stmt* stmt, int index, const std::string& text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

// Prepared on first use so that a Store used only for counters never compiles the usage SQL.
bool prepareUsage(sqlite3* db, std::unique_ptr<UsageStatements>& usage, std::string& reason) {
    if (usage) {
        return true;
    }
    auto s = std::make_unique<UsageStatements>();
    const auto prep = [&](sqlite::Statement& stmt, const std::string& sql) {
        stmt = sqlite::prepare(db, sql.c_str(), reason);
        return stmt != nullptr;
    };
    bool ok = prep(s->findSeries, "SELECT id FROM series WHERE rollup = ?1 AND consumer = ?2 AND api = ?3"
                                  " AND api_version = ?4 AND route = ?5 AND method = ?6"
                                  " AND status_class = ?7 AND reason = ?8") &&
              prep(s->insertSeries, "INSERT INTO series(rollup, consumer, api, api_version, route, method,"
                                    " status_class, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") &&
              prep(s->pruneSeries, "DELETE FROM series WHERE NOT EXISTS (SELECT 1 FROM usage_day AS d"
                                   " WHERE d.series_id = series.id) AND NOT EXISTS (SELECT 1 FROM usage_hour"
                                   " AS h WHERE h.series_id = series.id) AND NOT EXISTS (SELECT 1 FROM"
                                   " usage_minute AS m WHERE m.series_id = series.id)") &&
              prep(s->consumerDays,
                   "SELECT s.consumer, u.bucket_start, s.status_class, s.reason, SUM(u.requests)"
                   " FROM usage_day AS u JOIN series AS s ON s.id = u.series_id"
                   " WHERE s.rollup = 0 AND s.consumer <> '' AND u.bucket_start >= ?1 AND u.bucket_start < ?2"
                   " GROUP BY s.consumer, u.bucket_start, s.status_class, s.reason ORDER BY 1, 2, 3, 4");
    for (int t = 0; ok && t < kUsageTables; ++t) {
        ok = prep(s->upsert[t], upsertSql(kTables[t])) && prep(s->select[t], selectSql(kTables[t])) &&
             prep(s->prune[t], std::string("DELETE FROM ") + kTables[t] + " WHERE bucket_start < ?1") &&
             prep(s->rankConsumers[t], rankedSql("s.consumer, SUM(u.requests)", kTables[t], "",
                                                 "GROUP BY s.consumer ORDER BY 2 DESC, 1 LIMIT 10")) &&
             prep(s->rankRoutes[t],
                  rankedSql("s.api || '/' || s.route, SUM(u.requests)", kTables[t], " AND s.route <> ''",
                            "GROUP BY s.api, s.route ORDER BY 2 DESC, 1 LIMIT 10")) &&
             prep(s->refused[t], rankedSql("u.bucket_start, SUM(u.requests)", kTables[t],
                                           " AND s.status_class = 4 AND s.reason <> ''",
                                           "GROUP BY u.bucket_start ORDER BY 1"));
    }
    if (ok) {
        usage = std::move(s);
    }
    return ok;
}

// The id of `key` (rollup = 1: the all-consumer sum of its api and status class), inserting it when new;
// 0 and `reason` on failure. `added` collects the keys inserted, to forget them if the transaction fails.
int64_t internSeries(sqlite3* db, UsageStatements& s, const recording::SeriesKey& key, bool rollup,
                     std::vector<std::pair<recording::SeriesKey, bool>>& added, std::string& reason) {
    auto& cache = rollup ? s.rollupIds : s.ids;
    if (const auto it = cache.find(key); it != cache.end()) {
        return it->second;
    }
    const auto bind = [&](sqlite3_stmt* stmt) {
        sqlite3_bind_int(stmt, 1, rollup ? 1 : 0);
        bindText(stmt, 2, key.consumer);
        bindText(stmt, 3, key.api);
        bindText(stmt, 4, key.apiVersion);
        bindText(stmt, 5, key.route);
        bindText(stmt, 6, key.method);
        sqlite3_bind_int(stmt, 7, key.statusClass);
        bindText(stmt, 8, key.reason);
    };
    int64_t id = 0;
    {
        sqlite::ResetOnExit reset(s.findSeries.get());
        bind(s.findSeries.get());
        const int rc = sqlite3_step(s.findSeries.get());
        if (rc == SQLITE_ROW) {
            id = sqlite3_column_int64(s.findSeries.get(), 0);
        } else if (rc != SQLITE_DONE) {
            reason = std::string("cannot read series: ") + sqlite3_errmsg(db);
            return 0;
        }
    }
    if (id == 0) {
        sqlite::ResetOnExit reset(s.insertSeries.get());
        bind(s.insertSeries.get());
        if (sqlite3_step(s.insertSeries.get()) != SQLITE_DONE) {
            reason = std::string("cannot add series: ") + sqlite3_errmsg(db);
            return 0;
        }
        id = sqlite3_last_insert_rowid(db);
        added.emplace_back(key, rollup);
    }
    cache.emplace(key, id);
    return id;
}

bool upsert(sqlite3* db, sqlite3_stmt* stmt, int64_t seriesId, int64_t bucket, const Sums& v,
            std::string& reason) {
    sqlite::ResetOnExit reset(stmt);
    sqlite3_bind_int64(stmt, 1, seriesId);
    sqlite3_bind_int64(stmt, 2, bucket);
    sqlite3_bind_int64(stmt, 3, static_cast<int64_t>(v.requests));
    sqlite3_bind_int64(stmt, 4, static_cast<int64_t>(v.bytesIn));
    sqlite3_bind_int64(stmt, 5, static_cast<int64_t>(v.bytesOut));
    sqlite3_bind_int64(stmt, 6, static_cast<int64_t>(v.upstreamMicros));
    for (size_t i = 0; i < kHistogram; ++i) {
        sqlite3_bind_int64(stmt, static_cast<int>(7 + i), static_cast<int64_t>(v.latency.counts[i]));
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) {
        reason = std::string("cannot add usage: ") + sqlite3_errmsg(db);
        return false;
    }
    return true;
}

} // namespace

bool Store::addUsage(const std::vector<recording::AggregateDelta>& deltas, std::string& error) {
    if (deltas.empty()) {
        return true;
    }
    sqlite3* db = m_db.get();
    std::string reason;
    if (!prepareUsage(db, m_usage, reason)) {
        error = fail("cannot prepare usage statements: " + reason);
        return false;
    }
    UsageStatements& s = *m_usage;
    std::vector<std::pair<recording::SeriesKey, bool>> added;
    const bool ok = inTransaction(error, [&](std::string& why) {
        // Summed per row first: deltas of one series in the same hour or day become one upsert there.
        std::map<std::tuple<int, int64_t, int64_t>, Sums> rows; // (table, series id, bucket start)
        for (const recording::AggregateDelta& d : deltas) {
            recording::SeriesKey rollupKey;
            rollupKey.api = d.key.api;
            rollupKey.statusClass = d.key.statusClass;
            const int64_t ids[2] = {internSeries(db, s, d.key, false, added, why),
                                    internSeries(db, s, rollupKey, true, added, why)};
            if (ids[0] == 0 || ids[1] == 0) {
                return false;
            }
            for (int t = 0; t < kUsageTables; ++t) {
                const int64_t bucket =
                    d.minute - ((d.minute % kTableBucket[t]) + kTableBucket[t]) % kTableBucket[t];
                for (const int64_t id : ids) {
                    rows[{t, id, bucket}].add(d);
                }
            }
        }
        for (const auto& [where, sums] : rows) {
            const auto& [table, id, bucket] = where;
            if (!upsert(db, s.upsert[table].get(), id, bucket, sums, why)) {
                return false;
            }
        }
        return true;
    });
    if (!ok) {
        for (const auto& [key, rollup] : added) {
            (rollup ? s.rollupIds : s.ids).erase(key);
        }
    }
    return ok;
}

bool Store::queryUsage(const UsageQuery& query, const RetentionConfig& retention, int64_t nowUnix,
                       UsageHistory& out, std::string& error) {
    if (query.toUnix <= query.fromUnix) {
        error = fail("cannot query usage: the range [" + std::to_string(query.fromUnix) + ", " +
                     std::to_string(query.toUnix) + ") is empty");
        return false;
    }
    sqlite3* db = m_db.get();
    std::string reason;
    if (!prepareUsage(db, m_usage, reason)) {
        error = fail("cannot prepare usage statements: " + reason);
        return false;
    }
    out = UsageHistory{};
    out.query = resolveUsageQuery(query, retention, nowUnix);
    sqlite3_stmt* stmt = m_usage->select[tableOf(out.query.granularity)].get();
    sqlite::ResetOnExit reset(stmt);
    const bool all = query.consumer.empty();
    sqlite3_bind_int(stmt, 1, all ? 1 : 0);
    bindText(stmt, 2, query.consumer);
    bindText(stmt, 3, query.api);
    sqlite3_bind_int64(stmt, 4, out.query.fromUnix);
    sqlite3_bind_int64(stmt, 5, out.query.toUnix);
    std::map<int64_t, UsageTotals> buckets;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        UsageTotals& t = buckets[sqlite3_column_int64(stmt, 0)];
        const int statusClass = sqlite3_column_int(stmt, 1);
        const auto requests = static_cast<uint64_t>(sqlite3_column_int64(stmt, 2));
        t.requests += requests;
        if (statusClass >= 0 && statusClass < static_cast<int>(t.byStatusClass.size())) {
            t.byStatusClass[static_cast<size_t>(statusClass)] += requests;
        }
        t.bytesIn += static_cast<uint64_t>(sqlite3_column_int64(stmt, 3));
        t.bytesOut += static_cast<uint64_t>(sqlite3_column_int64(stmt, 4));
        for (size_t i = 0; i < kHistogram; ++i) {
            t.latency.counts[i] += static_cast<uint64_t>(sqlite3_column_int64(stmt, static_cast<int>(5 + i)));
        }
    }
    if (rc != SQLITE_DONE) {
        error = fail(std::string("cannot query usage: ") + sqlite3_errmsg(db));
        out = UsageHistory{};
        return false;
    }
    out.series.reserve(buckets.size());
    for (auto& [start, totals] : buckets) {
        if (totals.requests == 0) {
            continue;
        }
        out.totals.merge(totals);
        out.series.push_back(UsagePoint{start, totals, 0});
    }
    if (query.ranked && !rankUsage(out, error)) {
        out = UsageHistory{};
        return false;
    }
    return true;
}

bool Store::rankUsage(UsageHistory& out, std::string& error) {
    sqlite3* db = m_db.get();
    const int table = tableOf(out.query.granularity);
    // Ranking sums every series' rows over the range: 3.4 million hour rows for 30 days of 5,000
    // series (4 s; bench/usage_query_bench). From a week on it reads the day rows instead (40 times
    // fewer), counting the whole UTC days the range touches.
    constexpr int64_t kDaySeconds = 86'400;
    const bool byDay = out.query.toUnix - out.query.fromUnix >= 7 * kDaySeconds;
    const int rankTable = byDay ? tableOf(Granularity::Day) : table;
    const int64_t rankFrom =
        byDay ? out.query.fromUnix - out.query.fromUnix % kDaySeconds : out.query.fromUnix;
    const int64_t rankTo =
        byDay ? out.query.toUnix + (kDaySeconds - out.query.toUnix % kDaySeconds) % kDaySeconds
              : out.query.toUnix;
    const auto run = [&](sqlite3_stmt* stmt, bool ranking, const auto& row) {
        sqlite::ResetOnExit reset(stmt);
        bindText(stmt, 1, out.query.consumer);
        bindText(stmt, 2, out.query.api);
        sqlite3_bind_int64(stmt, 3, ranking ? rankFrom : out.query.fromUnix);
        sqlite3_bind_int64(stmt, 4, ranking ? rankTo : out.query.toUnix);
        int rc = SQLITE_ROW;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            row(stmt);
        }
        if (rc != SQLITE_DONE) {
            error = fail(std::string("cannot rank usage: ") + sqlite3_errmsg(db));
            return false;
        }
        return true;
    };
    const auto rank = [](std::vector<UsageRank>& to) {
        return [&to](sqlite3_stmt* stmt) {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
            to.push_back({std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, 0))),
                          static_cast<uint64_t>(sqlite3_column_int64(stmt, 1))});
        };
    };
    auto point = out.series.begin();
    return run(m_usage->rankConsumers[rankTable].get(), true, rank(out.topConsumers)) &&
           run(m_usage->rankRoutes[rankTable].get(), true, rank(out.topRoutes)) &&
           run(m_usage->refused[table].get(), false, [&](sqlite3_stmt* stmt) {
               const int64_t start = sqlite3_column_int64(stmt, 0);
               const auto n = static_cast<uint64_t>(sqlite3_column_int64(stmt, 1));
               while (point != out.series.end() && point->start < start) {
                   ++point;
               }
               if (point != out.series.end() && point->start == start) {
                   point->refused += n;
               }
               out.refused += n;
           });
}

bool Store::consumerDays(int64_t fromUnix, int64_t toUnix, std::vector<ConsumerDayUsage>& out,
                         std::string& error) {
    sqlite3* db = m_db.get();
    std::string reason;
    if (!prepareUsage(db, m_usage, reason)) {
        error = fail("cannot prepare usage statements: " + reason);
        return false;
    }
    out.clear();
    sqlite3_stmt* stmt = m_usage->consumerDays.get();
    sqlite::ResetOnExit reset(stmt);
    sqlite3_bind_int64(stmt, 1, fromUnix);
    sqlite3_bind_int64(stmt, 2, toUnix);
    const auto text = [&](int column) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
        return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
    };
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        ConsumerDayUsage row;
        row.consumer = text(0);
        row.day = sqlite3_column_int64(stmt, 1);
        row.statusClass = static_cast<uint8_t>(sqlite3_column_int(stmt, 2));
        row.reason = text(3);
        row.requests = static_cast<uint64_t>(sqlite3_column_int64(stmt, 4));
        out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
        error = fail(std::string("cannot read day usage: ") + sqlite3_errmsg(db));
        out.clear();
        return false;
    }
    return true;
}

int64_t Store::pruneUsage(int64_t nowUnix, const RetentionConfig& retention, std::string& error) {
    sqlite3* db = m_db.get();
    std::string reason;
    if (!prepareUsage(db, m_usage, reason)) {
        error = fail("cannot prepare usage statements: " + reason);
        return -1;
    }
    const Millis kept[kUsageTables] = {retention.minutes, retention.hours, retention.days};
    int64_t deleted = 0;
    const bool ok = inTransaction(error, [&](std::string& why) {
        const auto run = [&](sqlite3_stmt* stmt, bool bindCutoff, int64_t cutoff) {
            sqlite::ResetOnExit reset(stmt);
            if (bindCutoff) {
                sqlite3_bind_int64(stmt, 1, cutoff);
            }
            if (sqlite3_step(stmt) != SQLITE_DONE) {
                why = std::string("cannot prune usage: ") + sqlite3_errmsg(db);
                return false;
            }
            deleted += sqlite3_changes64(db);
            return true;
        };
        for (int t = 0; t < kUsageTables; ++t) {
            const int64_t cutoff =
                nowUnix - std::chrono::duration_cast<std::chrono::seconds>(kept[t]).count();
            if (!run(m_usage->prune[t].get(), true, cutoff)) {
                return false;
            }
        }
        return run(m_usage->pruneSeries.get(), false, 0);
    });
    // Ids of deleted series must not be reused from the cache; a rolled-back prune changes nothing, but
    // forgetting costs only a lookup per series on the next add.
    m_usage->ids.clear();
    m_usage->rollupIds.clear();
    return ok ? deleted : -1;
}

} // namespace tollgate::store
