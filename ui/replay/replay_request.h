#pragma once
// What Replay sends, made from a captured exchange: the original method, target and headers, minus
// what the gateway redacted (the credential, cookies) and what the sender frames itself (Host,
// Content-Length, Transfer-Encoding, Connection). The credential's place (apikey header,
// Authorization scheme, apikey query parameter) comes from where the capture found one.

#include "tollgate/traffic.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

namespace tollgate::ui {

using HeaderPairs = QList<QPair<QString, QString>>;

struct ReplayCredential {
    enum class Where { None, Header, Authorization, Query };
    Where where = Where::None;
    QString name;   // header or query parameter name ("apikey", "Authorization")
    QString scheme; // Authorization scheme word ("Bearer"), "" otherwise

    bool needed() const { return where != Where::None; }
    // "API key (apikey header)", "Bearer token (Authorization header)"...
    QString describe() const;
};

struct ReplayRequest {
    QString method;
    QString target; // path and query as captured, the credential's query value left out
    HeaderPairs headers;
    QStringList leftOut; // names of redacted headers not sent (Cookie...)
    ReplayCredential credential;
    QByteArray body; // typed by the user: request bodies are not captured

    static ReplayRequest fromExchange(const CapturedExchange& x);
    // Headers as sent, with the credential in its place (when given).
    HeaderPairs headersWith(const QString& secret) const;
    // The target as sent, with the credential in its query parameter (when that is its place).
    QString targetWith(const QString& secret) const;
    static bool methodTakesBody(const QString& method);
};

} // namespace tollgate::ui
