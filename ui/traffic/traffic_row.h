#pragma once
// One request as the console shows it. The Traffic table keeps 100,000 of them, so it stores them
// compactly (StoredRow, 96 bytes instead of the record's 600: names that repeat as TextTable ids, the
// path and client address, which mostly do not, copied into a ByteRing) and expands one into a
// TrafficRow, with plain QStrings, only when a row is shown in detail or exported.

#include "tollgate/traffic.h"
#include "traffic/byte_ring.h"
#include "traffic/text_table.h"

#include <QString>

#include <array>
#include <cstdint>

namespace tollgate::ui {

// A record's numbers, as both forms of a row keep them.
struct TrafficNumbers {
    uint64_t seq = 0;
    int64_t unixMicros = 0;
    uint32_t totalMicros = 0;
    uint32_t upstreamMicros = 0;
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    uint16_t status = 0;
    uint8_t method = 0;

    int statusClass() const { return status / 100; }
};

struct TrafficRow : TrafficNumbers {
    QString consumer;
    QString plan;
    QString api;
    QString version;
    QString route;
    QString reason;
    QString clientIp;
    QString target;
    QString path;
};

// The record's text fields: the first kNamedFields are names (StoredRow::names), the rest live in
// the ring.
enum class TextField { Consumer, Plan, Api, Version, Route, Reason, Target, ClientIp, Path, Count };
constexpr size_t kNamedFields = 7;

struct StoredRow : TrafficNumbers {
    uint8_t pathLength = 0;
    uint8_t ipLength = 0;
    uint64_t textPos = 0; // path, then client address, back to back in a ByteRing
    std::array<TextId, kNamedFields> names{};

    TextId name(TextField f) const { return names[size_t(f)]; }
};

// A record's text field, up to its NUL (a record that lacks one yields "").
std::string_view recordText(const RequestRecord& r, TextField field);

// Where a stored row's texts are: the names it holds and the ring its path and address are in.
struct RowTexts {
    TextTable& names;
    ByteRing& ring;
};

// Acquires the row's names and copies its path and address into the ring; releaseRow() gives the
// names back (the ring forgets in order on its own). `previous`, when given, is the row stored
// before (its ids are tried first).
StoredRow storeRow(const RequestRecord& r, RowTexts texts, const StoredRow* previous = nullptr);
void releaseRow(const StoredRow& row, TextTable& names);
// Copies the row's path and address into `to` (a row moving to another ring).
void moveRowTexts(StoredRow& row, const ByteRing& from, ByteRing& to);
std::string_view rowText(const StoredRow& row, TextField field, const TextTable& names, const ByteRing& ring);
TrafficRow expandRow(const StoredRow& row, const TextTable& names, const ByteRing& ring);
TrafficRow toTrafficRow(const RequestRecord& r); // for one-off use (tests, a single record)

QString methodName(uint8_t method); // "GET"; "" when unknown

} // namespace tollgate::ui
