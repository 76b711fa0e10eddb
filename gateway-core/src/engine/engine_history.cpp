// Engine::queryUsage and periodUsage: consumption history read from the store file on the caller's
// thread, through a connection of its own (WAL lets it read beside the writers).
#include "engine/engine_impl.h"
#include "report/billable.h"
#include "store/store.h"

#include <chrono>
#include <map>

namespace tollgate {

namespace {

std::unique_ptr<store::Store> openForReading(const std::string& path, std::string& error) {
    if (path.empty()) {
        error = "the engine is not running (no store)";
        return nullptr;
    }
    return store::Store::open(path, error);
}

int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

bool Engine::queryUsage(const UsageQuery& query, UsageHistory& out, std::string& error) const {
    auto db = openForReading(storePath(), error);
    if (!db) {
        return false;
    }
    return db->queryUsage(query, config()->gateway.retention, unixNow(), out, error);
}

bool Engine::periodUsage(int64_t fromUnix, int64_t toUnix, std::vector<ConsumerPeriodUsage>& out,
                         std::string& error) const {
    auto db = openForReading(storePath(), error);
    if (!db) {
        return false;
    }
    std::vector<store::ConsumerDayUsage> days;
    if (!db->consumerDays(fromUnix, toUnix, days, error)) {
        return false;
    }
    std::map<std::string, ConsumerPeriodUsage> byConsumer;
    for (const store::ConsumerDayUsage& d : days) {
        ConsumerPeriodUsage& u = byConsumer[d.consumer];
        u.consumer = d.consumer;
        u.requests += d.requests;
        if (d.statusClass < u.byStatusClass.size()) {
            u.byStatusClass[d.statusClass] += d.requests;
        }
        if (report::isGatewayRefusal(d.reason)) {
            u.refused += d.requests;
        }
    }
    out.clear();
    for (auto& [name, usage] : byConsumer) {
        out.push_back(std::move(usage));
    }
    return true;
}

} // namespace tollgate
