#pragma once
// The usage SQL's prepared statements and the series id cache of one Store connection (usage_store.cpp).

#include "recording/series.h"
#include "store/sqlite_util.h"

#include <cstdint>
#include <unordered_map>

namespace tollgate::store {

// Minute, hour and day tables, in that order.
constexpr int kUsageTables = 3;

struct UsageStatements {
    sqlite::Statement findSeries;
    sqlite::Statement insertSeries;
    sqlite::Statement upsert[kUsageTables];
    sqlite::Statement select[kUsageTables];
    sqlite::Statement prune[kUsageTables];
    sqlite::Statement rankConsumers[kUsageTables];
    sqlite::Statement rankRoutes[kUsageTables];
    sqlite::Statement refused[kUsageTables];
    sqlite::Statement pruneSeries;
    sqlite::Statement consumerDays;
    // Interned series ids; rollups (every consumer summed per api and status class) are keyed with only
    // those two fields set. Forgotten when a transaction that inserted them rolls back, and on pruning.
    std::unordered_map<recording::SeriesKey, int64_t, recording::SeriesKeyHash> ids;
    std::unordered_map<recording::SeriesKey, int64_t, recording::SeriesKeyHash> rollupIds;
};

} // namespace tollgate::store
