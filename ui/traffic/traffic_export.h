#pragma once
// The Traffic page's exports: CSV (one line per request, every field) and HAR 1.2 (what browser
// developer tools and Charles read). Request and response headers are not in the engine's records, so
// HAR header lists are empty and the gateway's own fields go in `_tollgate`, as HAR allows for custom
// fields (names starting with an underscore).

#include "traffic/traffic_row.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <vector>

namespace tollgate::ui {

QByteArray trafficCsv(const std::vector<TrafficRow>& rows);
// `baseUrl` ("http://127.0.0.1:8080") makes the entries' absolute request URLs.
QJsonObject trafficHar(const std::vector<TrafficRow>& rows, const QString& baseUrl);

} // namespace tollgate::ui
