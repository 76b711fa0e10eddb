#include "traffic/traffic_row.h"

#include <cstring>

namespace tollgate::ui {
namespace {

template <size_t N> std::string_view field(const char (&text)[N]) {
    // Filled by the engine, NUL-terminated; guard against a record that is not.
    const void* end = memchr(text, 0, N);
    return end ? std::string_view(text, size_t(static_cast<const char*>(end) - text)) : std::string_view();
}

} // namespace

std::string_view recordText(const RequestRecord& r, TextField f) {
    switch (f) {
    case TextField::Consumer:
        return field(r.consumer);
    case TextField::Plan:
        return field(r.plan);
    case TextField::Api:
        return field(r.api);
    case TextField::Version:
        return field(r.apiVersion);
    case TextField::Route:
        return field(r.route);
    case TextField::Reason:
        return field(r.reason);
    case TextField::ClientIp:
        return field(r.clientIp);
    case TextField::Target:
        return field(r.target);
    case TextField::Path:
        return field(r.path);
    case TextField::Count:
        break;
    }
    return {};
}

StoredRow storeRow(const RequestRecord& r, RowTexts texts, const StoredRow* previous) {
    StoredRow out;
    static_cast<TrafficNumbers&>(out) = {r.seq,     r.unixMicros, r.totalMicros, r.upstreamMicros,
                                         r.bytesIn, r.bytesOut,   r.status,      r.method};
    for (size_t f = 0; f < kNamedFields; ++f) {
        const std::string_view text = recordText(r, TextField(f));
        out.names[f] = previous ? texts.names.acquire(text, previous->names[f]) : texts.names.acquire(text);
    }
    // The record's fields are shorter than 256 bytes (sizes in tollgate/traffic.h).
    const std::string_view path = recordText(r, TextField::Path);
    const std::string_view ip = recordText(r, TextField::ClientIp);
    static_assert(sizeof RequestRecord::path < 256 && sizeof RequestRecord::clientIp < 256);
    char both[sizeof RequestRecord::path + sizeof RequestRecord::clientIp];
    memcpy(both, path.data(), path.size());
    memcpy(both + path.size(), ip.data(), ip.size());
    out.pathLength = uint8_t(path.size());
    out.ipLength = uint8_t(ip.size());
    out.textPos = texts.ring.put(std::string_view(both, path.size() + ip.size()));
    return out;
}

void releaseRow(const StoredRow& row, TextTable& names) {
    for (TextId id : row.names) {
        names.release(id);
    }
}

void moveRowTexts(StoredRow& row, const ByteRing& from, ByteRing& to) {
    row.textPos = to.put(from.at(row.textPos, size_t(row.pathLength) + row.ipLength));
}

std::string_view rowText(const StoredRow& row, TextField field, const TextTable& names,
                         const ByteRing& ring) {
    switch (field) {
    case TextField::Path:
        return ring.at(row.textPos, row.pathLength);
    case TextField::ClientIp:
        return ring.at(row.textPos + row.pathLength, row.ipLength);
    case TextField::Count:
        return {};
    default:
        return names.bytes(row.name(field));
    }
}

TrafficRow expandRow(const StoredRow& s, const TextTable& names, const ByteRing& ring) {
    TrafficRow r;
    static_cast<TrafficNumbers&>(r) = s;
    r.consumer = names.text(s.name(TextField::Consumer));
    r.plan = names.text(s.name(TextField::Plan));
    r.api = names.text(s.name(TextField::Api));
    r.version = names.text(s.name(TextField::Version));
    r.route = names.text(s.name(TextField::Route));
    r.reason = names.text(s.name(TextField::Reason));
    r.target = names.text(s.name(TextField::Target));
    const std::string_view path = rowText(s, TextField::Path, names, ring);
    const std::string_view ip = rowText(s, TextField::ClientIp, names, ring);
    r.path = QString::fromUtf8(path.data(), qsizetype(path.size()));
    r.clientIp = QString::fromUtf8(ip.data(), qsizetype(ip.size()));
    return r;
}

TrafficRow toTrafficRow(const RequestRecord& r) {
    TextTable names;
    ByteRing ring;
    return expandRow(storeRow(r, {names, ring}), names, ring); // QStrings share, so they outlive both
}

QString methodName(uint8_t method) {
    const std::string_view name = recordMethodName(method);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

} // namespace tollgate::ui
