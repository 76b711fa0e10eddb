#include "recording/series_table.h"

#include "recording/prometheus_format.h"
#include "recording/record_json.h"

#include <charconv>
#include <cstring>
#include <map>
#include <tuple>

namespace tollgate::recording {
namespace {

bool isRefusal(std::string_view reason) {
    return reason == "limit.rate" || reason == "limit.quota";
}

void appendNumber(std::string& out, uint64_t v) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Fixed notation ("0.0001", not "1e-04"): bucket bounds compare as text in some tools.
void appendSeconds(std::string& out, double seconds) {
    char buf[64];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, seconds, std::chars_format::fixed).ptr);
}

// The field's bytes, 8 at a time, read in place from its fixed-size array; the bytes after its end
// (left by an older record in the ring's slot) are masked off. Equality is still checked field by
// field: this only spreads the index.
template <size_t N> uint64_t mixField(uint64_t h, const char (&text)[N], size_t len) {
    static_assert(N % 8 == 0, "whole words are read up to the array's end");
    h = (h ^ len) * 0x9e3779b97f4a7c15ULL;
    for (size_t at = 0; at < len; at += 8) {
        uint64_t word = 0;
        std::memcpy(&word, text + at, 8);
        if (len - at < 8) {
            word &= (uint64_t(1) << (8 * (len - at))) - 1;
        }
        h = (h ^ word) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    return h;
}

} // namespace

SeriesTable::Entry& SeriesTable::find(const RequestRecord& r) {
    const std::string_view consumer = recordField(r.consumer);
    const std::string_view plan = recordField(r.plan);
    const std::string_view api = recordField(r.api);
    const std::string_view version = recordField(r.apiVersion);
    const std::string_view route = recordField(r.route);
    const std::string_view reason = recordField(r.reason);
    uint64_t h = (uint64_t(r.status) << 8 | r.method) * 0x94d049bb133111ebULL;
    h = mixField(h, r.consumer, consumer.size());
    h = mixField(h, r.plan, plan.size());
    h = mixField(h, r.api, api.size());
    h = mixField(h, r.apiVersion, version.size());
    h = mixField(h, r.route, route.size());
    h = mixField(h, r.reason, reason.size());
    const size_t mask = m_index.size() - 1;
    for (size_t i = (h ^ (h >> 32)) & mask;; i = (i + 1) & mask) {
        const Slot& slot = m_index[i];
        Entry* e = slot.entry;
        if (!e) {
            return insert(r, h);
        }
        if (slot.hash == h && e->status == r.status && e->method == r.method && e->key.route == route &&
            e->key.consumer == consumer && e->key.api == api && e->key.apiVersion == version &&
            e->plan == plan && e->key.reason == reason) {
            return *e;
        }
    }
}

SeriesTable::Entry& SeriesTable::insert(const RequestRecord& r, uint64_t hash) {
    auto e = std::make_unique<Entry>();
    e->key = SeriesKey{
        std::string(recordField(r.consumer)),   std::string(recordField(r.api)),
        std::string(recordField(r.apiVersion)), std::string(recordField(r.route)),
        std::string(recordMethod(r)),           static_cast<uint8_t>(r.status / 100 > 5 ? 0 : r.status / 100),
        std::string(recordField(r.reason))};
    e->plan = std::string(recordField(r.plan));
    e->method = r.method;
    e->status = r.status;
    e->hash = hash;
    appendRecordIdentity(e->identityJson, r);
    m_entries.push_back(std::move(e));
    if (m_entries.size() * 2 > m_index.size()) {
        m_index.assign(m_index.size() * 2, Slot{});
        for (const auto& entry : m_entries) {
            placeInIndex(entry.get());
        }
    } else {
        placeInIndex(m_entries.back().get());
    }
    return *m_entries.back();
}

void SeriesTable::placeInIndex(Entry* e) {
    const size_t mask = m_index.size() - 1;
    size_t i = (e->hash ^ (e->hash >> 32)) & mask;
    while (m_index[i].entry) {
        i = (i + 1) & mask;
    }
    m_index[i] = Slot{e->hash, e};
}

SeriesTable::Target& SeriesTable::target(std::string_view url) {
    if (m_lastTarget && url == m_lastTargetUrl) {
        return *m_lastTarget;
    }
    auto t = m_targets.find(url);
    if (t == m_targets.end()) {
        t = m_targets.emplace(std::string(url), Target{}).first;
    }
    m_lastTargetUrl = t->first;
    m_lastTarget = &t->second;
    return t->second;
}

const std::string& SeriesTable::add(const RequestRecord& r) {
    Entry& e = find(r);
    e.requests++;
    e.latencySumMicros += r.totalMicros;
    const size_t bucket = LatencyHistogram::bucketOf(r.totalMicros);
    e.latency.counts[bucket]++;

    const int64_t minute = r.unixMicros / 60'000'000 * 60;
    if (e.minute != minute) {
        if (e.minute >= 0) {
            flushEntry(e, m_finished); // a new minute began for this series (already listed)
        } else {
            m_dirty.push_back(&e);
        }
        e.minute = minute;
    }
    AggregateDelta& d = e.pending;
    d.requests++;
    d.bytesIn += r.bytesIn;
    d.bytesOut += r.bytesOut;
    d.upstreamMicros += r.upstreamMicros;
    d.latency.counts[bucket]++;

    const std::string_view url = recordField(r.target);
    if (!url.empty()) {
        Target& t = target(url);
        t.requests++;
        if (e.key.reason.starts_with("upstream.")) {
            t.failures++;
        }
    }
    return e.identityJson;
}

void SeriesTable::flushEntry(Entry& e, std::vector<AggregateDelta>& out) {
    if (e.pending.requests == 0) {
        return;
    }
    AggregateDelta d = std::move(e.pending);
    d.minute = e.minute;
    d.key = e.key;
    out.push_back(std::move(d));
    e.pending = AggregateDelta{};
}

void SeriesTable::takeDeltas(std::vector<AggregateDelta>& out) {
    for (AggregateDelta& d : m_finished) {
        out.push_back(std::move(d));
    }
    m_finished.clear();
    for (Entry* e : m_dirty) {
        flushEntry(*e, out);
        e->minute = -1; // the next record re-lists it
    }
    m_dirty.clear();
}

void SeriesTable::renderPrometheus(std::string& out) const {
    // Grouped to the documented label sets (the table keeps finer series for the store).
    std::map<std::tuple<std::string_view, std::string_view, std::string_view, uint16_t>, uint64_t> requests;
    struct Durations {
        LatencyHistogram latency;
        uint64_t sumMicros = 0;
    };
    std::map<std::pair<std::string_view, std::string_view>, Durations> durations;
    std::map<std::string_view, uint64_t> outcomes;
    std::map<std::string_view, uint64_t> limited;
    for (const auto& e : m_entries) {
        const SeriesKey& k = e->key;
        requests[{k.api, k.route, k.consumer, e->status}] += e->requests;
        Durations& d = durations[{k.api, k.route}];
        d.latency.merge(e->latency);
        d.sumMicros += e->latencySumMicros;
        if (!k.reason.empty()) {
            outcomes[k.reason] += e->requests;
        }
        if (isRefusal(k.reason)) {
            limited[k.consumer] += e->requests;
        }
    }

    out += "# HELP tollgate_requests_total Requests answered, by API, route, consumer and status.\n"
           "# TYPE tollgate_requests_total counter\n";
    for (const auto& [k, n] : requests) {
        out += "tollgate_requests_total{";
        appendPromLabel(out, "api", std::get<0>(k), true);
        appendPromLabel(out, "route", std::get<1>(k));
        appendPromLabel(out, "consumer", std::get<2>(k));
        char status[8];
        appendPromLabel(
            out, "status",
            std::string_view(status, std::to_chars(status, status + sizeof status, std::get<3>(k)).ptr));
        out += "} ";
        appendNumber(out, n);
        out += '\n';
    }

    out += "# HELP tollgate_request_duration_seconds Time from the complete request head to the last "
           "response byte.\n"
           "# TYPE tollgate_request_duration_seconds histogram\n";
    for (const auto& [k, d] : durations) {
        uint64_t cumulative = 0;
        for (size_t i = 0; i < LatencyHistogram::kBuckets; ++i) {
            cumulative += d.latency.counts[i];
            out += "tollgate_request_duration_seconds_bucket{";
            appendPromLabel(out, "api", k.first, true);
            appendPromLabel(out, "route", k.second);
            out += ",le=\"";
            if (i < LatencyHistogram::kUpperMicros.size()) {
                appendSeconds(out, LatencyHistogram::kUpperMicros[i] / 1e6);
            } else {
                out += "+Inf";
            }
            out += "\"} ";
            appendNumber(out, cumulative);
            out += '\n';
        }
        for (const char* suffix : {"_sum", "_count"}) {
            out += "tollgate_request_duration_seconds";
            out += suffix;
            out += '{';
            appendPromLabel(out, "api", k.first, true);
            appendPromLabel(out, "route", k.second);
            out += "} ";
            if (suffix[1] == 's') {
                appendSeconds(out, static_cast<double>(d.sumMicros) / 1e6);
            } else {
                appendNumber(out, cumulative);
            }
            out += '\n';
        }
    }

    out += "# HELP tollgate_request_outcomes_total Requests refused or failed, by reason code.\n"
           "# TYPE tollgate_request_outcomes_total counter\n";
    for (const auto& [reason, n] : outcomes) {
        out += "tollgate_request_outcomes_total{";
        appendPromLabel(out, "reason", reason, true);
        out += "} ";
        appendNumber(out, n);
        out += '\n';
    }
    out += "# HELP tollgate_rate_limited_total Requests refused by a rate limit or a quota, by consumer.\n"
           "# TYPE tollgate_rate_limited_total counter\n";
    for (const auto& [consumer, n] : limited) {
        out += "tollgate_rate_limited_total{";
        appendPromLabel(out, "consumer", consumer, true);
        out += "} ";
        appendNumber(out, n);
        out += '\n';
    }
    out += "# HELP tollgate_upstream_requests_total Requests sent to an upstream target.\n"
           "# TYPE tollgate_upstream_requests_total counter\n";
    for (const auto& [target, t] : m_targets) {
        out += "tollgate_upstream_requests_total{";
        appendPromLabel(out, "target", target, true);
        out += "} ";
        appendNumber(out, t.requests);
        out += '\n';
    }
    out += "# HELP tollgate_upstream_failures_total Requests whose upstream exchange failed (timeout, "
           "refused, bad response).\n"
           "# TYPE tollgate_upstream_failures_total counter\n";
    for (const auto& [target, t] : m_targets) {
        out += "tollgate_upstream_failures_total{";
        appendPromLabel(out, "target", target, true);
        out += "} ";
        appendNumber(out, t.failures);
        out += '\n';
    }
}

} // namespace tollgate::recording
