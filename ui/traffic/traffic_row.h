#pragma once
// One request as the console keeps it: the engine's fixed-size record (600 bytes) made compact for a
// table of 100,000 rows. Names repeat across rows (consumers, routes, reasons), so they share one
// string each (implicitly shared QStrings from an intern table).

#include "tollgate/traffic.h"

#include <QHash>
#include <QString>

#include <cstdint>

namespace tollgate::ui {

struct TrafficRow {
    uint64_t seq = 0;
    int64_t unixMicros = 0;
    uint32_t totalMicros = 0;
    uint32_t upstreamMicros = 0;
    uint64_t bytesIn = 0;
    uint64_t bytesOut = 0;
    uint16_t status = 0;
    uint8_t method = 0;
    QString consumer;
    QString plan;
    QString api;
    QString version;
    QString route;
    QString reason;
    QString clientIp;
    QString target;
    QString path;

    int statusClass() const { return status / 100; }
};

// Turns records into rows, sharing each distinct name. The table forgets names it has not seen for a
// while only when it grows past a bound, so a flood of distinct values cannot grow it forever.
class RowInterner {
public:
    TrafficRow row(const RequestRecord& r);

private:
    const QString& intern(const char* text);
    QHash<QByteArray, QString> m_names;
};

QString methodName(uint8_t method); // "GET"; "" when unknown

} // namespace tollgate::ui
