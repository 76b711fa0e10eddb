// Times consumption queries on a store filled the way retention leaves it after 30 days of traffic:
// 100 consumers x 50 routes (5 APIs), minute rows for the last 7 days, hour rows for 30 days, day rows.
// Not a test: build with `cmake --build build --target usage_query_bench`, run
// `build/bench/usage_query_bench [DB_PATH] [MINUTE_ACTIVITY]` (MINUTE_ACTIVITY: the share of minutes in
// which a consumer calls a given route, default 0.05). See bench/README.md for the figures.
#include "store/store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kConsumers = 100;
constexpr int kRoutes = 50;
constexpr int kApis = 5;
constexpr int kHistogram = 28;
constexpr int64_t kDay = 86'400;

double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        std::exit(1);
    }
}

struct Row {
    uint64_t requests = 0, bytesIn = 0, bytesOut = 0, upstream = 0;
    uint64_t hist[kHistogram] = {};
    void add(const Row& o) {
        requests += o.requests;
        bytesIn += o.bytesIn;
        bytesOut += o.bytesOut;
        upstream += o.upstream;
        for (int i = 0; i < kHistogram; ++i) {
            hist[i] += o.hist[i];
        }
    }
};

Row randomRow(std::mt19937_64& rng, uint64_t scale) {
    Row r;
    r.requests = 1 + rng() % (20 * scale);
    r.bytesIn = r.requests * 200;
    r.bytesOut = r.requests * 2'000;
    r.upstream = r.requests * 3'000;
    // Most requests in three neighbouring buckets, a tail in a slow one.
    const uint64_t tail = r.requests / 20;
    r.hist[6] = (r.requests - tail) / 2;
    r.hist[7] = (r.requests - tail) - r.hist[6];
    r.hist[14] = tail;
    return r;
}

class Filler {
public:
    Filler(sqlite3* db) : m_db(db) {
        for (const char* t : {"usage_minute", "usage_hour", "usage_day"}) {
            std::string sql = std::string("INSERT INTO ") + t + " VALUES(?1, ?2, ?3, ?4, ?5, ?6";
            for (int i = 0; i < kHistogram; ++i) {
                sql += ", ?" + std::to_string(7 + i);
            }
            sql += ")";
            sqlite3_stmt* s = nullptr;
            check(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), db, "prepare");
            m_insert.push_back(s);
        }
    }
    ~Filler() {
        for (sqlite3_stmt* s : m_insert) {
            sqlite3_finalize(s);
        }
    }
    void insert(int table, int64_t series, int64_t bucket, const Row& r) {
        sqlite3_stmt* s = m_insert[table];
        sqlite3_bind_int64(s, 1, series);
        sqlite3_bind_int64(s, 2, bucket);
        sqlite3_bind_int64(s, 3, int64_t(r.requests));
        sqlite3_bind_int64(s, 4, int64_t(r.bytesIn));
        sqlite3_bind_int64(s, 5, int64_t(r.bytesOut));
        sqlite3_bind_int64(s, 6, int64_t(r.upstream));
        for (int i = 0; i < kHistogram; ++i) {
            sqlite3_bind_int64(s, 7 + i, int64_t(r.hist[i]));
        }
        check(sqlite3_step(s), m_db, "insert");
        sqlite3_reset(s);
        ++rows[table];
    }
    int64_t rows[3] = {};

private:
    sqlite3* m_db;
    std::vector<sqlite3_stmt*> m_insert;
};

void fill(const std::string& path, int64_t now, double activity) {
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; BEGIN", nullptr, nullptr,
                       nullptr),
          db, "begin");
    // Series ids: 1..5000 consumer x route, then one rollup per API (status class 2 only).
    sqlite3_stmt* s = nullptr;
    const auto addSeries = [&](int64_t id, int rollup, const std::string& consumer, int api,
                               const std::string& route) {
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_int(s, 2, rollup);
        sqlite3_bind_text(s, 3, consumer.c_str(), -1, SQLITE_TRANSIENT);
        const std::string apiName = "api" + std::to_string(api);
        sqlite3_bind_text(s, 4, apiName.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 5, rollup ? "" : "v1", -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 6, route.c_str(), -1, SQLITE_TRANSIENT);
        check(sqlite3_step(s), db, "series");
        sqlite3_reset(s);
    };
    check(sqlite3_prepare_v2(db,
                             "INSERT INTO series(id, rollup, consumer, api, api_version, route, method,"
                             " status_class, reason) VALUES(?1, ?2, ?3, ?4, ?5, ?6, 'GET', 2, '')",
                             -1, &s, nullptr),
          db, "prepare series");
    for (int c = 0; c < kConsumers; ++c) {
        for (int r = 0; r < kRoutes; ++r) {
            addSeries(1 + c * kRoutes + r, 0, "c" + std::to_string(c), r % kApis, "/r" + std::to_string(r));
        }
    }
    const int64_t rollupBase = 1 + kConsumers * kRoutes;
    for (int a = 0; a < kApis; ++a) {
        addSeries(rollupBase + a, 1, "", a, "");
    }
    sqlite3_finalize(s);

    Filler filler(db);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> coin(0, 1);
    const double hourActivity = 1 - std::pow(1 - activity, 60);
    struct Table {
        int index;
        int64_t step;
        int64_t from;
        double active;
        uint64_t scale;
    };
    const Table tables[] = {{0, 60, now / 60 * 60 - 7 * kDay, activity, 1},
                            {1, 3600, now / 3600 * 3600 - 30 * kDay, hourActivity, 3},
                            {2, kDay, now / kDay * kDay - 30 * kDay, 1.0, 60}};
    for (const Table& t : tables) {
        // Series-major, as the primary key orders rows; rollups summed per bucket alongside.
        std::vector<std::vector<Row>> rollups(kApis, std::vector<Row>(size_t((now - t.from) / t.step + 1)));
        for (int64_t id = 1; id < rollupBase; ++id) {
            const int api = int((id - 1) % kRoutes) % kApis;
            for (int64_t b = t.from, i = 0; b <= now; b += t.step, ++i) {
                if (coin(rng) < t.active) {
                    const Row r = randomRow(rng, t.scale);
                    filler.insert(t.index, id, b, r);
                    rollups[size_t(api)][size_t(i)].add(r);
                }
            }
        }
        for (int a = 0; a < kApis; ++a) {
            for (int64_t b = t.from, i = 0; b <= now; b += t.step, ++i) {
                if (rollups[size_t(a)][size_t(i)].requests > 0) {
                    filler.insert(t.index, rollupBase + a, b, rollups[size_t(a)][size_t(i)]);
                }
            }
        }
    }
    check(sqlite3_exec(db, "COMMIT; PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), db,
          "commit");
    std::printf("rows: minute %lld, hour %lld, day %lld\n", (long long)filler.rows[0],
                (long long)filler.rows[1], (long long)filler.rows[2]);
    sqlite3_close(db);
}

void timeQuery(tollgate::store::Store& store, const char* name, const tollgate::UsageQuery& q, int64_t now) {
    std::vector<double> times;
    tollgate::UsageHistory h;
    for (int i = 0; i < 7; ++i) {
        std::string error;
        const auto t = Clock::now();
        if (!store.queryUsage(q, tollgate::RetentionConfig{}, now, h, error)) {
            std::fprintf(stderr, "%s: %s\n", name, error.c_str());
            std::exit(1);
        }
        times.push_back(msSince(t));
    }
    const double first = times[0];
    std::sort(times.begin(), times.end());
    const char* g[] = {"auto", "minute", "hour", "day"};
    std::printf("%-40s %-6s %5zu points %10llu requests  first %7.2f ms  median %7.2f ms  max %7.2f ms\n",
                name, g[int(h.query.granularity)], h.series.size(), (unsigned long long)h.totals.requests,
                first, times[times.size() / 2], times.back());
}

} // namespace

int main(int argc, char** argv) {
    const std::string path = argc > 1 ? argv[1] : "/tmp/tollgate-usage-bench.db";
    const double activity = argc > 2 ? std::atof(argv[2]) : 0.05;
    const int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::filesystem::remove(path + suffix);
    }
    std::string error;
    auto store = tollgate::store::Store::open(path, error); // creates the schema
    if (!store) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    const auto t = Clock::now();
    fill(path, now, activity);
    std::printf("fill: %.1f s, file %.1f MiB (activity %.2f of minutes per consumer and route)\n",
                msSince(t) / 1000, double(std::filesystem::file_size(path)) / (1 << 20), activity);

    store = tollgate::store::Store::open(path, error); // a fresh connection, as Engine::queryUsage uses
    tollgate::UsageQuery q;
    q.fromUnix = now - 30 * kDay;
    q.toUnix = now;
    q.consumer = "c42";
    timeQuery(*store, "one consumer, 30 days", q, now);
    q.consumer = "";
    timeQuery(*store, "all consumers, 30 days", q, now);
    q.api = "api3";
    timeQuery(*store, "all consumers, one api, 30 days", q, now);
    q.api = "";
    q.consumer = "c42";
    q.fromUnix = now - 6 * 3600;
    q.granularity = tollgate::Granularity::Minute;
    timeQuery(*store, "one consumer, last 6 h, minutes", q, now);
    q.consumer = "";
    timeQuery(*store, "all consumers, last 6 h, minutes", q, now);

    // What the console's Dashboard asks for its history ranges: the series plus top consumers and
    // routes and refusals per bucket.
    q.ranked = true;
    q.granularity = tollgate::Granularity::Auto;
    const std::pair<const char*, int64_t> ranges[] = {{"ranked, all consumers, last hour", 3600},
                                                      {"ranked, all consumers, 24 h", kDay},
                                                      {"ranked, all consumers, 7 days", 7 * kDay},
                                                      {"ranked, all consumers, 30 days", 30 * kDay}};
    for (const auto& [name, seconds] : ranges) {
        q.fromUnix = now - seconds;
        timeQuery(*store, name, q, now);
    }
    q.consumer = "c42";
    timeQuery(*store, "ranked, one consumer, 30 days", q, now);
    q.consumer = "";

    const auto t2 = Clock::now();
    std::vector<tollgate::store::ConsumerDayUsage> days;
    if (!store->consumerDays(now - 30 * kDay, now, days, error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::printf("%-40s %zu rows  %7.2f ms\n", "billing day rows, 30 days (report)", days.size(), msSince(t2));
    return 0;
}
