#pragma once
// Finding a port to offer when the configured one is taken.

#include <QString>

namespace tollgate::ui {

// A port on `host` that nothing listens on right now: one of the few just above `taken` when free
// (easier to remember), else whatever the system hands out for port 0. 0 when the host cannot be bound.
// Another program may take it before the gateway does; the caller simply gets the error again.
quint16 findFreePort(const QString& host, quint16 taken = 0);

// Whether `host:port` can be bound right now.
bool portIsFree(const QString& host, quint16 port);

} // namespace tollgate::ui
