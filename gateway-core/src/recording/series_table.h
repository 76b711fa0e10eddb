#pragma once
// The recorder's running totals, one entry per (consumer, plan, api, version, route, method, status,
// reason): cumulative counts for the Prometheus exposition, and the change since the last flush
// for the store's per-minute aggregates. One index probe per record, no allocation once a series
// has been seen. Recorder thread writes; render() may run on any thread (the caller locks).

#include "recording/series.h"
#include "tollgate/traffic.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tollgate::recording {

class SeriesTable {
public:
    // Counts `r`; returns its series' JSON identity fields (see appendRecordIdentity), valid until
    // the next call.
    const std::string& add(const RequestRecord& r);
    // Moves every pending change into `out` (one delta per series and minute) and forgets it.
    void takeDeltas(std::vector<AggregateDelta>& out);
    // Appends the request metrics in Prometheus text format (HELP/TYPE lines included).
    void renderPrometheus(std::string& out) const;
    size_t size() const { return m_entries.size(); }

private:
    struct Entry {
        SeriesKey key;
        std::string plan;   // with key, method and status: what tells two series apart
        uint8_t method = 0; // http::Method
        uint16_t status = 0;
        uint64_t hash = 0;        // of the record fields, see find()
        std::string identityJson; // rendered once: the access log reuses it for every record
        uint64_t requests = 0;
        uint64_t latencySumMicros = 0;
        LatencyHistogram latency;
        // Change not yet handed to the store, all within `minute`.
        int64_t minute = -1;
        AggregateDelta pending;
    };
    struct Target {
        uint64_t requests = 0;
        uint64_t failures = 0;
    };
    struct Hash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    // An open-addressing index over the entries, keyed by a hash of the record's fixed-size fields
    // read in place: a lookup costs a few word loads and field compares, and no key is built.
    struct Slot {
        uint64_t hash = 0;
        Entry* entry = nullptr;
    };
    Entry& find(const RequestRecord& r);
    Entry& insert(const RequestRecord& r, uint64_t hash);
    void placeInIndex(Entry* e);
    Target& target(std::string_view url);
    void flushEntry(Entry& e, std::vector<AggregateDelta>& out);

    std::vector<std::unique_ptr<Entry>> m_entries;
    std::vector<Slot> m_index = std::vector<Slot>(64); // a power of two, at most half full
    std::unordered_map<std::string, Target, Hash, std::equal_to<>> m_targets;
    std::vector<Entry*> m_dirty;            // entries with a pending change
    std::vector<AggregateDelta> m_finished; // changes of minutes that ended before the last take
    std::string_view m_lastTargetUrl;       // a key of m_targets (nodes do not move)
    Target* m_lastTarget = nullptr;
};

} // namespace tollgate::recording
