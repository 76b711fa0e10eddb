#pragma once
// The SQLite store: one database file holding state that must survive a restart: rate-limit and quota
// counters (written by the counter flusher every 250 ms) and consumption aggregates per minute, hour and
// day (written by the aggregate writer every second; the SQL is in usage_store.cpp).
// - journal_mode=WAL, synchronous=NORMAL: a committed save survives the process being killed (a power
//   loss may drop the last commits, never corrupt the file); readers in other processes do not block it.
// - Schema versions are tracked by PRAGMA user_version and applied on open; a database written by a
//   newer Tollgate is refused rather than misread.
// - Calls do file I/O and may wait up to the busy timeout for another process's lock: never call them
//   from a worker thread.
// Thread safety: one Store is used by one thread at a time (the connection is opened without SQLite's
// own mutex); several Store objects, in this process or others, may share one file.

#include "recording/series.h"
#include "store/sqlite_util.h"
#include "tollgate/config.h"
#include "tollgate/usage_history.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tollgate::store {

struct CounterRow {
    std::string consumer; // consumer name
    // "rate.second", "rate.minute", "rate.hour", "rate.day"; "quota.*" (the counter persister writes
    // "quota.used.<day|week|month>", "quota.bonus.<day|week|month>" and "quota.per")
    std::string kind;
    int64_t period =
        0; // quota rows: period index (days/weeks/months since the epoch, see the writer); rate rows: 0
    int64_t value = 0; // rate rows: GCRA theoretical arrival time in unix microseconds; quota rows: a count
};

// Requests of one consumer on one UTC day with one status class and reason code (the billing report
// tells billable traffic from refusals by the reason).
struct ConsumerDayUsage {
    std::string consumer;
    int64_t day = 0; // unix seconds, 00:00 UTC
    uint8_t statusClass = 0;
    std::string reason;
    uint64_t requests = 0;
};

struct UsageStatements;

class Store {
public:
    // Opens or creates the database file (creating missing parent folders, mode 0700 for created folders),
    // sets journal_mode=WAL, synchronous=NORMAL, busy_timeout, and applies schema migrations. Returns
    // nullptr and a message naming the path and the SQLite error on failure (unwritable folder, not a
    // database, locked, newer schema version...).
    static std::unique_ptr<Store> open(const std::string& path, std::string& error);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    const std::string& path() const { return m_path; }

    // Every counter row, ordered by (consumer, kind, period). Rows for past quota periods stay (billing
    // history) unless pruned. On failure: empty and `error` set.
    std::vector<CounterRow> loadCounters(std::string& error);
    // Inserts or replaces `rows` (keyed by consumer, kind, period) in one transaction: all or none.
    bool saveCounters(const std::vector<CounterRow>& rows, std::string& error);
    // In one transaction, deletes rate rows (kind "rate.*") whose value (TAT) is <= nowMicros, since an
    // expired TAT means a full bucket, and quota rows (kind "quota.*") whose period is below
    // newest - keepPeriods, newest being the highest period of the same consumer and kind: keepPeriods = 0
    // keeps only the newest period. Returns the rows deleted, or -1 and `error` (also for keepPeriods < 0).
    int64_t pruneCounters(int64_t nowMicros, int keepPeriods, std::string& error);

    // Adds every delta to its minute, hour and day rows (and to the all-consumer rollup) in one
    // transaction: all or none, so a failed call can be repeated with the same deltas.
    bool addUsage(const std::vector<recording::AggregateDelta>& deltas, std::string& error);
    // Answers `query` (see UsageQuery and resolveUsageQuery) as of `nowUnix`.
    bool queryUsage(const UsageQuery& query, const RetentionConfig& retention, int64_t nowUnix,
                    UsageHistory& out, std::string& error);
    // Day rows of named consumers for the days starting in [fromUnix, toUnix), ordered by consumer, day.
    bool consumerDays(int64_t fromUnix, int64_t toUnix, std::vector<ConsumerDayUsage>& out,
                      std::string& error);
    // Deletes the rows older than their table's retention; returns the rows deleted or -1 and `error`.
    int64_t pruneUsage(int64_t nowUnix, const RetentionConfig& retention, std::string& error);

    // The platform data directory's default store: $XDG_DATA_HOME/tollgate/tollgate.db (when set to an
    // absolute path), else $HOME/.local/share/tollgate/tollgate.db; empty if neither applies.
    static std::string defaultPath();

    // The schema version this build writes (PRAGMA user_version).
    static constexpr int kSchemaVersion = 2;

private:
    Store(std::string path, sqlite::Connection db);
    bool migrate(std::string& error);
    bool prepareStatements(std::string& error);
    // Runs `body` between BEGIN IMMEDIATE and COMMIT, rolling back when it or the commit fails.
    bool inTransaction(std::string& error, const std::function<bool(std::string& reason)>& body);
    std::string fail(const std::string& what) const;
    // Top consumers and routes and refusals per bucket for `out.query` (queryUsage with ranked set).
    bool rankUsage(UsageHistory& out, std::string& error);

    std::string m_path;
    sqlite::Connection m_db;
    // Prepared once on open, kept across calls.
    sqlite::Statement m_begin;
    sqlite::Statement m_commit;
    sqlite::Statement m_rollback;
    sqlite::Statement m_selectCounters;
    sqlite::Statement m_upsertCounter;
    sqlite::Statement m_pruneRates;
    sqlite::Statement m_pruneQuotas;
    std::unique_ptr<UsageStatements> m_usage; // prepared on first use (usage_store.cpp)
};

} // namespace tollgate::store
