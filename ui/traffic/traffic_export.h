#pragma once
// The Traffic page's exports: CSV (one line per request, every field) and HAR 1.2 (what browser
// developer tools and Charles read). Request and response headers come from the heads the engine
// kept (recent requests only, credentials redacted); for other entries the header lists are empty
// and headersSize is -1. The gateway's own fields go in `_tollgate`, as HAR allows for custom
// fields (names starting with an underscore).

#include "traffic/traffic_row.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <vector>

namespace tollgate::ui {

QByteArray trafficCsv(const std::vector<TrafficRow>& rows);
// `baseUrl` ("http://127.0.0.1:8080") makes the entries' absolute request URLs.
// `heads(row)` gives the captured heads of a row (nullptr when not kept).
using HeadsLookup = std::function<const CapturedExchange*(const TrafficRow& row)>;
QJsonObject trafficHar(const std::vector<TrafficRow>& rows, const QString& baseUrl,
                       const HeadsLookup& heads = {});

} // namespace tollgate::ui
