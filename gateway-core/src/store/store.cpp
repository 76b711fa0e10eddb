#include "store/store.h"

#include "store/usage_statements.h"

#include <sqlite3.h>

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace tollgate::store {

namespace {

// Long enough to ride out another process's checkpoint or flush; the callers are background threads.
constexpr int kBusyTimeoutMs = 5000;

#define TOLLGATE_HISTOGRAM_COLUMNS                                                                           \
    "l0 INTEGER NOT NULL, l1 INTEGER NOT NULL, l2 INTEGER NOT NULL, l3 INTEGER NOT NULL, l4 INTEGER NOT "    \
    "NULL,"                                                                                                  \
    " l5 INTEGER NOT NULL, l6 INTEGER NOT NULL, l7 INTEGER NOT NULL, l8 INTEGER NOT NULL, l9 INTEGER NOT "   \
    "NULL,"                                                                                                  \
    " l10 INTEGER NOT NULL, l11 INTEGER NOT NULL, l12 INTEGER NOT NULL, l13 INTEGER NOT NULL,"               \
    " l14 INTEGER NOT NULL, l15 INTEGER NOT NULL, l16 INTEGER NOT NULL, l17 INTEGER NOT NULL,"               \
    " l18 INTEGER NOT NULL, l19 INTEGER NOT NULL, l20 INTEGER NOT NULL, l21 INTEGER NOT NULL,"               \
    " l22 INTEGER NOT NULL, l23 INTEGER NOT NULL, l24 INTEGER NOT NULL, l25 INTEGER NOT NULL,"               \
    " l26 INTEGER NOT NULL, l27 INTEGER NOT NULL"

// kMigrations[v] moves a database from user_version v to v + 1, inside one transaction.
constexpr const char* kMigrations[] = {
    // 1: rate-limit (GCRA TAT, period 0) and quota (count per period) counters; updated_at in unix seconds.
    "CREATE TABLE counters(consumer TEXT NOT NULL, kind TEXT NOT NULL, period INTEGER NOT NULL,"
    " value INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY(consumer, kind, period))"
    " WITHOUT ROWID;",
    // 2: consumption aggregates. A series is one combination of dimensions, interned once; rollup = 1
    // marks the per-(api, status class) sums over every consumer, kept beside the series so that
    // all-consumer queries read a few rows per bucket instead of every series. The latency histogram
    // is one integer column per bucket: SQLite adds them natively in the upsert and in SUM, and a
    // zero costs no byte in the record.
    "CREATE TABLE series(id INTEGER PRIMARY KEY, rollup INTEGER NOT NULL, consumer TEXT NOT NULL,"
    " api TEXT NOT NULL, api_version TEXT NOT NULL, route TEXT NOT NULL, method TEXT NOT NULL,"
    " status_class INTEGER NOT NULL, reason TEXT NOT NULL,"
    " UNIQUE(rollup, consumer, api, api_version, route, method, status_class, reason));"
    "CREATE TABLE usage_minute(series_id INTEGER NOT NULL, bucket_start INTEGER NOT NULL,"
    " requests INTEGER NOT NULL, bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,"
    " upstream_micros INTEGER NOT NULL, " TOLLGATE_HISTOGRAM_COLUMNS
    ", PRIMARY KEY(series_id, bucket_start)) WITHOUT ROWID;"
    "CREATE INDEX usage_minute_by_time ON usage_minute(bucket_start);"
    "CREATE TABLE usage_hour(series_id INTEGER NOT NULL, bucket_start INTEGER NOT NULL,"
    " requests INTEGER NOT NULL, bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,"
    " upstream_micros INTEGER NOT NULL, " TOLLGATE_HISTOGRAM_COLUMNS
    ", PRIMARY KEY(series_id, bucket_start)) WITHOUT ROWID;"
    "CREATE INDEX usage_hour_by_time ON usage_hour(bucket_start);"
    "CREATE TABLE usage_day(series_id INTEGER NOT NULL, bucket_start INTEGER NOT NULL,"
    " requests INTEGER NOT NULL, bytes_in INTEGER NOT NULL, bytes_out INTEGER NOT NULL,"
    " upstream_micros INTEGER NOT NULL, " TOLLGATE_HISTOGRAM_COLUMNS
    ", PRIMARY KEY(series_id, bucket_start)) WITHOUT ROWID;"
    "CREATE INDEX usage_day_by_time ON usage_day(bucket_start);",
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion);

std::string errnoText(int err) {
    return std::generic_category().message(err);
}

// mkdir -p for the folders above `file`, creating the missing ones with mode 0700.
bool createParentFolders(const std::string& file, std::string& error) {
    const std::filesystem::path parent = std::filesystem::path(file).parent_path();
    std::filesystem::path prefix;
    for (const auto& part : parent) {
        prefix /= part;
        struct stat st {};
        if (::stat(prefix.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode)) {
                error = "cannot create folder " + prefix.string() + ": a file is in the way";
                return false;
            }
            continue;
        }
        if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
            error = "cannot create folder " + prefix.string() + ": " + errnoText(errno);
            return false;
        }
    }
    return true;
}

int64_t unixSecondsNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

Store::Store(std::string path, sqlite::Connection db) : m_path(std::move(path)), m_db(std::move(db)) {}

Store::~Store() = default;

std::string Store::fail(const std::string& what) const {
    return "store " + m_path + ": " + what;
}

std::unique_ptr<Store> Store::open(const std::string& path, std::string& error) {
    if (path.empty()) {
        error = "store: empty path";
        return nullptr;
    }
    std::string reason;
    if (!createParentFolders(path, reason)) {
        error = "store " + path + ": " + reason;
        return nullptr;
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    sqlite::Connection db(raw); // closed on every early return, even when the open failed
    if (rc != SQLITE_OK) {
        error = "store " + path + ": cannot open: " + (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
        return nullptr;
    }
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);
    std::unique_ptr<Store> store(new Store(path, std::move(db)));
    if (!store->migrate(error) || !store->prepareStatements(error)) {
        return nullptr;
    }
    return store;
}

bool Store::migrate(std::string& error) {
    sqlite3* db = m_db.get();
    std::string reason;
    long long version = 0;
    // The first read: a file that is not a database fails here, before anything is written to it.
    if (!sqlite::queryInt(db, "PRAGMA user_version", version, reason)) {
        error = fail("cannot read: " + reason);
        return false;
    }
    const auto tooNew = [&](long long v) {
        error = fail("written by a newer Tollgate (schema version " + std::to_string(v) +
                     ", this build knows " + std::to_string(kSchemaVersion) + "); refusing to open it");
        return false;
    };
    if (version > kSchemaVersion) {
        return tooNew(version);
    }
    if (sqlite3_db_readonly(db, "main") == 1) {
        error = fail("cannot write: the file is read-only");
        return false;
    }
    std::string mode;
    if (!sqlite::queryText(db, "PRAGMA journal_mode=WAL", mode, reason)) {
        error = fail("cannot set journal_mode=WAL: " + reason);
        return false;
    }
    if (mode != "wal") {
        error = fail("cannot set journal_mode=WAL (the file system left it at " + mode + ")");
        return false;
    }
    if (!sqlite::exec(db, "PRAGMA synchronous=NORMAL", reason)) {
        error = fail("cannot set synchronous=NORMAL: " + reason);
        return false;
    }
    if (version == kSchemaVersion) {
        return true;
    }
    // Another process may be migrating the same file: take the write lock, then read the version again.
    if (!sqlite::exec(db, "BEGIN IMMEDIATE", reason)) {
        error = fail("cannot start the schema migration: " + reason);
        return false;
    }
    bool ok = sqlite::queryInt(db, "PRAGMA user_version", version, reason);
    if (ok && version > kSchemaVersion) {
        sqlite::exec(db, "ROLLBACK", reason);
        return tooNew(version);
    }
    for (long long v = version; ok && v < kSchemaVersion; ++v) {
        ok = sqlite::exec(db, kMigrations[v], reason);
    }
    const std::string setVersion = "PRAGMA user_version=" + std::to_string(kSchemaVersion);
    ok = ok && sqlite::exec(db, setVersion.c_str(), reason) && sqlite::exec(db, "COMMIT", reason);
    if (!ok) {
        std::string ignored;
        sqlite::exec(db, "ROLLBACK", ignored);
        error = fail("schema migration to version " + std::to_string(kSchemaVersion) + " failed: " + reason);
    }
    return ok;
}

bool Store::prepareStatements(std::string& error) {
    sqlite3* db = m_db.get();
    std::string reason;
    const auto prep = [&](sqlite::Statement& stmt, const char* sql) {
        stmt = sqlite::prepare(db, sql, reason);
        return stmt != nullptr;
    };
    const bool ok =
        prep(m_begin, "BEGIN IMMEDIATE") && prep(m_commit, "COMMIT") && prep(m_rollback, "ROLLBACK") &&
        prep(m_selectCounters,
             "SELECT consumer, kind, period, value FROM counters ORDER BY consumer, kind, period") &&
        prep(m_upsertCounter,
             "INSERT INTO counters(consumer, kind, period, value, updated_at) VALUES(?1, ?2, ?3, ?4, ?5)"
             " ON CONFLICT(consumer, kind, period) DO UPDATE SET value = excluded.value,"
             " updated_at = excluded.updated_at") &&
        prep(m_pruneRates, "DELETE FROM counters WHERE kind GLOB 'rate.*' AND value <= ?1") &&
        prep(m_pruneQuotas,
             "DELETE FROM counters WHERE kind GLOB 'quota.*' AND period < (SELECT MAX(newest.period)"
             " FROM counters AS newest WHERE newest.consumer = counters.consumer"
             " AND newest.kind = counters.kind) - ?1");
    if (!ok) {
        error = fail("cannot prepare statements: " + reason);
    }
    return ok;
}

bool Store::inTransaction(std::string& error, const std::function<bool(std::string& reason)>& body) {
    sqlite3* db = m_db.get();
    const auto stepOnce = [&](sqlite3_stmt* stmt) {
        sqlite::ResetOnExit reset(stmt);
        return sqlite3_step(stmt) == SQLITE_DONE;
    };
    if (!stepOnce(m_begin.get())) {
        error = fail(std::string("cannot begin a transaction: ") + sqlite3_errmsg(db));
        return false;
    }
    std::string reason;
    if (body(reason)) {
        if (stepOnce(m_commit.get())) {
            return true;
        }
        reason = std::string("cannot commit: ") + sqlite3_errmsg(db);
    }
    // A failed statement may already have rolled the transaction back; only roll back an open one.
    if (sqlite3_get_autocommit(db) == 0) {
        stepOnce(m_rollback.get());
    }
    error = fail(reason);
    return false;
}

std::vector<CounterRow> Store::loadCounters(std::string& error) {
    std::vector<CounterRow> rows;
    sqlite3_stmt* stmt = m_selectCounters.get();
    sqlite::ResetOnExit reset(stmt);
    const auto text = [&](int column) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
        return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(stmt, column)));
    };
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        CounterRow row;
        row.consumer = text(0);
        row.kind = text(1);
        row.period = sqlite3_column_int64(stmt, 2);
        row.value = sqlite3_column_int64(stmt, 3);
        rows.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) {
        error = fail(std::string("cannot load counters: ") + sqlite3_errmsg(m_db.get()));
        return {};
    }
    return rows;
}

bool Store::saveCounters(const std::vector<CounterRow>& rows, std::string& error) {
    if (rows.empty()) {
        return true;
    }
    const int64_t now = unixSecondsNow();
    return inTransaction(error, [&](std::string& reason) {
        sqlite3_stmt* stmt = m_upsertCounter.get();
        for (const CounterRow& row : rows) {
            sqlite::ResetOnExit reset(stmt);
            sqlite3_bind_text(stmt, 1, row.consumer.data(), static_cast<int>(row.consumer.size()),
                              SQLITE_STATIC);
            sqlite3_bind_text(stmt, 2, row.kind.data(), static_cast<int>(row.kind.size()), SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 3, row.period);
            sqlite3_bind_int64(stmt, 4, row.value);
            sqlite3_bind_int64(stmt, 5, now);
            if (sqlite3_step(stmt) != SQLITE_DONE) {
                reason = "cannot save counter " + row.consumer + "/" + row.kind + ": " +
                         sqlite3_errmsg(m_db.get());
                return false;
            }
        }
        return true;
    });
}

int64_t Store::pruneCounters(int64_t nowMicros, int keepPeriods, std::string& error) {
    if (keepPeriods < 0) {
        error =
            fail("cannot prune counters: keepPeriods is " + std::to_string(keepPeriods) + " (must be >= 0)");
        return -1;
    }
    int64_t deleted = 0;
    const bool ok = inTransaction(error, [&](std::string& reason) {
        const auto run = [&](sqlite3_stmt* stmt, int64_t parameter) {
            sqlite::ResetOnExit reset(stmt);
            sqlite3_bind_int64(stmt, 1, parameter);
            if (sqlite3_step(stmt) != SQLITE_DONE) {
                reason = std::string("cannot prune counters: ") + sqlite3_errmsg(m_db.get());
                return false;
            }
            deleted += sqlite3_changes64(m_db.get());
            return true;
        };
        return run(m_pruneRates.get(), nowMicros) && run(m_pruneQuotas.get(), keepPeriods);
    });
    return ok ? deleted : -1;
}

std::string Store::defaultPath() {
    // XDG Base Directory: an unset, empty or relative XDG_DATA_HOME is ignored.
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg != nullptr && xdg[0] == '/') {
        return std::string(xdg) + "/tollgate/tollgate.db";
    }
    const char* home = std::getenv("HOME");
    if (home != nullptr && home[0] != '\0') {
        return std::string(home) + "/.local/share/tollgate/tollgate.db";
    }
    return {};
}

} // namespace tollgate::store
