#pragma once
// Small RAII helpers over the SQLite C API for the store. The header names SQLite types without
// including sqlite3.h, so users of store.h do not see SQLite.

#include <memory>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace tollgate::store::sqlite {

struct ConnectionCloser {
    void operator()(sqlite3* db) const;
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* stmt) const;
};
using Connection = std::unique_ptr<sqlite3, ConnectionCloser>;
using Statement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// Prepares `sql` (kept across calls: SQLITE_PREPARE_PERSISTENT); null and `error` set on failure.
Statement prepare(sqlite3* db, const char* sql, std::string& error);
// Runs one or more statements that return no rows worth reading.
bool exec(sqlite3* db, const char* sql, std::string& error);
// The integer in the first column of the first row of `sql` (a PRAGMA); false and `error` on failure.
bool queryInt(sqlite3* db, const char* sql, long long& out, std::string& error);
// The text in the first column of the first row of `sql`; false and `error` on failure.
bool queryText(sqlite3* db, const char* sql, std::string& out, std::string& error);

// Resets a kept statement and clears its bindings when the scope ends, so that it never holds a read
// transaction open between calls.
class ResetOnExit {
public:
    explicit ResetOnExit(sqlite3_stmt* stmt) : m_stmt(stmt) {}
    ~ResetOnExit();
    ResetOnExit(const ResetOnExit&) = delete;
    ResetOnExit& operator=(const ResetOnExit&) = delete;

private:
    sqlite3_stmt* m_stmt;
};

} // namespace tollgate::store::sqlite
