#include "traffic/traffic_export.h"

#include <QDateTime>
#include <QJsonArray>

namespace tollgate::ui {
namespace {

QString iso(int64_t unixMicros) {
    return QDateTime::fromMSecsSinceEpoch(unixMicros / 1000, Qt::UTC).toString(Qt::ISODateWithMs);
}

// RFC 4180: quote a field that holds a comma, a quote or a line break; double the quotes.
QByteArray csvField(const QString& text) {
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        return '"' + bytes + '"';
    }
    return bytes;
}

QString statusText(int status) {
    switch (status / 100) {
    case 2:
        return QStringLiteral("OK");
    case 3:
        return QStringLiteral("Redirect");
    case 4:
        return QStringLiteral("Client Error");
    case 5:
        return QStringLiteral("Server Error");
    }
    return {};
}

QJsonArray harHeaders(const std::vector<HeaderLine>& lines) {
    QJsonArray out;
    for (const HeaderLine& h : lines) {
        out.append(QJsonObject{{QStringLiteral("name"), QString::fromStdString(h.name)},
                               {QStringLiteral("value"), QString::fromStdString(h.value)}});
    }
    return out;
}

// "GET /a?b=1&c HTTP/1.1" -> the target's query pairs (still encoded, as captured).
QJsonArray harQuery(const std::string& requestLine) {
    QJsonArray out;
    const QString line = QString::fromStdString(requestLine);
    const QString target = line.section(QLatin1Char(' '), 1, 1);
    const qsizetype q = target.indexOf(QLatin1Char('?'));
    if (q < 0) {
        return out;
    }
    for (const QString& pair : target.mid(q + 1).split(QLatin1Char('&'), Qt::SkipEmptyParts)) {
        out.append(QJsonObject{{QStringLiteral("name"), pair.section(QLatin1Char('='), 0, 0)},
                               {QStringLiteral("value"), pair.section(QLatin1Char('='), 1)}});
    }
    return out;
}

} // namespace

QByteArray trafficCsv(const std::vector<TrafficRow>& rows) {
    QByteArray out = "seq,time,consumer,plan,method,path,api,version,route,status,reason,latency_ms,"
                     "upstream_ms,bytes_in,bytes_out,client_ip,target\r\n";
    for (const TrafficRow& r : rows) {
        const QList<QString> fields = {QString::number(r.seq),
                                       iso(r.unixMicros),
                                       r.consumer,
                                       r.plan,
                                       methodName(r.method),
                                       r.path,
                                       r.api,
                                       r.version,
                                       r.route,
                                       QString::number(r.status),
                                       r.reason,
                                       QString::number(r.totalMicros / 1000.0, 'f', 3),
                                       QString::number(r.upstreamMicros / 1000.0, 'f', 3),
                                       QString::number(r.bytesIn),
                                       QString::number(r.bytesOut),
                                       r.clientIp,
                                       r.target};
        for (qsizetype i = 0; i < fields.size(); ++i) {
            if (i) {
                out += ',';
            }
            out += csvField(fields[i]);
        }
        out += "\r\n";
    }
    return out;
}

QJsonObject trafficHar(const std::vector<TrafficRow>& rows, const QString& baseUrl,
                       const HeadsLookup& heads) {
    QJsonArray entries;
    for (const TrafficRow& row : rows) {
        const TrafficRow* r = &row;
        const CapturedExchange* x = heads ? heads(row) : nullptr;
        const double total = r->totalMicros / 1000.0;
        const double upstream = r->upstreamMicros / 1000.0;
        QJsonObject request{{QStringLiteral("method"), methodName(r->method)},
                            {QStringLiteral("url"), baseUrl + r->path},
                            {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
                            {QStringLiteral("cookies"), QJsonArray()},
                            {QStringLiteral("headers"), QJsonArray()},
                            {QStringLiteral("queryString"), QJsonArray()},
                            {QStringLiteral("headersSize"), -1},
                            {QStringLiteral("bodySize"), -1}};
        QJsonObject content{{QStringLiteral("size"), double(r->bytesOut)},
                            {QStringLiteral("mimeType"), QString()}};
        QJsonObject response{{QStringLiteral("status"), r->status},
                             {QStringLiteral("statusText"), statusText(r->status)},
                             {QStringLiteral("httpVersion"), QStringLiteral("HTTP/1.1")},
                             {QStringLiteral("cookies"), QJsonArray()},
                             {QStringLiteral("headers"), QJsonArray()},
                             {QStringLiteral("content"), content},
                             {QStringLiteral("redirectURL"), QString()},
                             {QStringLiteral("headersSize"), -1},
                             {QStringLiteral("bodySize"), double(r->bytesOut)}};
        // The gateway's own share goes to "send", the upstream's to "wait": their sum is the total.
        QJsonObject timings{{QStringLiteral("blocked"), -1},
                            {QStringLiteral("dns"), -1},
                            {QStringLiteral("connect"), -1},
                            {QStringLiteral("ssl"), -1},
                            {QStringLiteral("send"), std::max(0.0, total - upstream)},
                            {QStringLiteral("wait"), upstream},
                            {QStringLiteral("receive"), 0}};
        QJsonObject tollgate{
            {QStringLiteral("seq"), double(r->seq)}, {QStringLiteral("consumer"), r->consumer},
            {QStringLiteral("plan"), r->plan},       {QStringLiteral("api"), r->api},
            {QStringLiteral("version"), r->version}, {QStringLiteral("route"), r->route},
            {QStringLiteral("reason"), r->reason},   {QStringLiteral("clientIp"), r->clientIp},
            {QStringLiteral("target"), r->target},   {QStringLiteral("bytesIn"), double(r->bytesIn)}};
        if (x) {
            // The target as received (query included, API keys redacted) rather than the canonical path.
            const QString target = QString::fromStdString(x->requestLine).section(QLatin1Char(' '), 1, 1);
            request[QStringLiteral("url")] = baseUrl + target;
            request[QStringLiteral("headers")] = harHeaders(x->requestHeaders);
            request[QStringLiteral("queryString")] = harQuery(x->requestLine);
            request[QStringLiteral("headersSize")] = double(x->requestHeadBytes);
            if (!x->statusLine.empty()) {
                response[QStringLiteral("headers")] = harHeaders(x->responseHeaders);
                response[QStringLiteral("headersSize")] = double(x->responseHeadBytes);
                response[QStringLiteral("bodySize")] = double(r->bytesOut) - double(x->responseHeadBytes);
                const QString status = QString::fromStdString(x->statusLine).section(QLatin1Char(' '), 2);
                if (!status.isEmpty()) {
                    response[QStringLiteral("statusText")] = status;
                }
                for (const HeaderLine& h : x->responseHeaders) {
                    if (QString::fromStdString(h.name).compare(QLatin1String("Content-Type"),
                                                               Qt::CaseInsensitive) == 0) {
                        content[QStringLiteral("mimeType")] = QString::fromStdString(h.value);
                    }
                }
                content[QStringLiteral("size")] = double(r->bytesOut) - double(x->responseHeadBytes);
                response[QStringLiteral("content")] = content;
            }
        }
        entries.append(QJsonObject{{QStringLiteral("startedDateTime"), iso(r->unixMicros)},
                                   {QStringLiteral("time"), total},
                                   {QStringLiteral("request"), request},
                                   {QStringLiteral("response"), response},
                                   {QStringLiteral("cache"), QJsonObject()},
                                   {QStringLiteral("timings"), timings},
                                   {QStringLiteral("_tollgate"), tollgate}});
    }
    QJsonObject creator{{QStringLiteral("name"), QStringLiteral("Tollgate")},
                        {QStringLiteral("version"), QStringLiteral(TOLLGATE_VERSION)}};
    QJsonObject log{{QStringLiteral("version"), QStringLiteral("1.2")},
                    {QStringLiteral("creator"), creator},
                    {QStringLiteral("entries"), entries}};
    return QJsonObject{{QStringLiteral("log"), log}};
}

} // namespace tollgate::ui
