#include "bridge/free_port.h"

#include <QHostAddress>
#include <QTcpServer>

namespace tollgate::ui {
namespace {

QHostAddress addressOf(const QString& host) {
    if (host.isEmpty() || host == QLatin1String("localhost")) {
        return QHostAddress::LocalHost;
    }
    return QHostAddress(host);
}

} // namespace

bool portIsFree(const QString& host, quint16 port) {
    QTcpServer server;
    return server.listen(addressOf(host), port);
}

quint16 findFreePort(const QString& host, quint16 taken) {
    constexpr int kNearby = 20;
    for (int p = taken + 1; taken != 0 && p <= taken + kNearby && p <= 65535; ++p) {
        if (portIsFree(host, static_cast<quint16>(p))) {
            return static_cast<quint16>(p);
        }
    }
    QTcpServer server;
    if (!server.listen(addressOf(host), 0)) {
        return 0;
    }
    return server.serverPort();
}

} // namespace tollgate::ui
