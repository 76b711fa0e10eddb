#include "replay/replay_request.h"

#include <QObject>
#include <QUrl>

namespace tollgate::ui {
namespace {

const QString kRedacted = QString::fromLatin1(kRedactedValue.data(), qsizetype(kRedactedValue.size()));

bool framedBySender(const QString& name) {
    static const QStringList names = {QStringLiteral("host"), QStringLiteral("content-length"),
                                      QStringLiteral("transfer-encoding"), QStringLiteral("connection"),
                                      QStringLiteral("expect")};
    return names.contains(name.toLower());
}

} // namespace

QString ReplayCredential::describe() const {
    switch (where) {
    case Where::Header:
        return QObject::tr("API key (%1 header)").arg(name);
    case Where::Authorization:
        return QObject::tr("%1 credential (%2 header)")
            .arg(scheme.isEmpty() ? QObject::tr("Authorization") : scheme, name);
    case Where::Query:
        return QObject::tr("API key (%1 query parameter)").arg(name);
    case Where::None:
        break;
    }
    return {};
}

ReplayRequest ReplayRequest::fromExchange(const CapturedExchange& x) {
    ReplayRequest r;
    const QString line = QString::fromStdString(x.requestLine);
    const qsizetype sp1 = line.indexOf(QLatin1Char(' '));
    const qsizetype sp2 = line.lastIndexOf(QLatin1Char(' '));
    r.method = line.left(sp1);
    QString target = sp2 > sp1 ? line.mid(sp1 + 1, sp2 - sp1 - 1) : line.mid(sp1 + 1);
    // An apikey query value was redacted: the parameter goes, and comes back with the key typed.
    const qsizetype q = target.indexOf(QLatin1Char('?'));
    if (q >= 0) {
        QStringList kept;
        for (const QString& pair : target.mid(q + 1).split(QLatin1Char('&'))) {
            if (pair.endsWith(QLatin1Char('=') + kRedacted)) {
                r.credential = {ReplayCredential::Where::Query, pair.section(QLatin1Char('='), 0, 0), {}};
                continue;
            }
            kept << pair;
        }
        target = target.left(q);
        if (!kept.isEmpty() && !(kept.size() == 1 && kept[0].isEmpty())) {
            target += QLatin1Char('?') + kept.join(QLatin1Char('&'));
        }
    }
    r.target = target;
    for (const HeaderLine& h : x.requestHeaders) {
        const QString name = QString::fromStdString(h.name);
        const QString value = QString::fromStdString(h.value);
        if (framedBySender(name)) {
            continue;
        }
        if (value.endsWith(kRedacted)) {
            const QString lower = name.toLower();
            if (lower == QLatin1String("authorization")) {
                r.credential = {ReplayCredential::Where::Authorization, name,
                                value.left(value.size() - kRedacted.size()).trimmed()};
            } else if (lower == QLatin1String("apikey")) {
                r.credential = {ReplayCredential::Where::Header, name, {}};
            } else {
                r.leftOut << name;
            }
            continue;
        }
        r.headers.append({name, value});
    }
    return r;
}

HeaderPairs ReplayRequest::headersWith(const QString& secret) const {
    HeaderPairs out = headers;
    if (secret.isEmpty()) {
        return out;
    }
    if (credential.where == ReplayCredential::Where::Header) {
        out.append({credential.name, secret});
    } else if (credential.where == ReplayCredential::Where::Authorization) {
        out.append({credential.name,
                    credential.scheme.isEmpty() ? secret : credential.scheme + QLatin1Char(' ') + secret});
    }
    return out;
}

QString ReplayRequest::targetWith(const QString& secret) const {
    if (credential.where != ReplayCredential::Where::Query || secret.isEmpty()) {
        return target;
    }
    const QString param =
        credential.name + QLatin1Char('=') + QString::fromLatin1(QUrl::toPercentEncoding(secret));
    return target + (target.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) + param;
}

bool ReplayRequest::methodTakesBody(const QString& method) {
    return method == QLatin1String("POST") || method == QLatin1String("PUT") ||
           method == QLatin1String("PATCH") || method == QLatin1String("DELETE");
}

} // namespace tollgate::ui
