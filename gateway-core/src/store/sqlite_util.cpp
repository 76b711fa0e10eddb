#include "store/sqlite_util.h"

#include <sqlite3.h>

namespace tollgate::store::sqlite {

void ConnectionCloser::operator()(sqlite3* db) const {
    // Statements are finalized first by their owners; close_v2 defers the close if one is left.
    sqlite3_close_v2(db);
}

void StatementFinalizer::operator()(sqlite3_stmt* stmt) const {
    sqlite3_finalize(stmt);
}

ResetOnExit::~ResetOnExit() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

Statement prepare(sqlite3* db, const char* sql, std::string& error) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
        error = sqlite3_errmsg(db);
        sqlite3_finalize(stmt);
        return nullptr;
    }
    return Statement(stmt);
}

bool exec(sqlite3* db, const char* sql, std::string& error) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        error = message ? message : sqlite3_errmsg(db);
        sqlite3_free(message);
        return false;
    }
    return true;
}

namespace {

// Steps `sql` once and hands the first row's statement to `read`; false and `error` on failure.
template <typename Read> bool queryFirst(sqlite3* db, const char* sql, std::string& error, Read read) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
        error = sqlite3_errmsg(db);
        sqlite3_finalize(raw);
        return false;
    }
    Statement stmt(raw);
    const int rc = sqlite3_step(raw);
    if (rc != SQLITE_ROW) {
        error = rc == SQLITE_DONE ? std::string("no result") : std::string(sqlite3_errmsg(db));
        return false;
    }
    read(raw);
    return true;
}

} // namespace

bool queryInt(sqlite3* db, const char* sql, long long& out, std::string& error) {
    return queryFirst(db, sql, error, [&](sqlite3_stmt* s) { out = sqlite3_column_int64(s, 0); });
}

bool queryText(sqlite3* db, const char* sql, std::string& out, std::string& error) {
    return queryFirst(db, sql, error, [&](sqlite3_stmt* s) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
        out.assign(text ? text : "", static_cast<size_t>(sqlite3_column_bytes(s, 0)));
    });
}

} // namespace tollgate::store::sqlite
