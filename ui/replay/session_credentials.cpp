#include "replay/session_credentials.h"

namespace tollgate::ui {
namespace {

// Overwrites the characters in place before the memory is freed (best effort: earlier copies made
// by Qt's implicit sharing are the widgets' own).
void wipe(QString& s) {
    if (!s.isEmpty()) {
        s.fill(QLatin1Char('\0'));
    }
}

} // namespace

void SessionCredentials::forget(const QString& consumer) {
    auto it = m_byConsumer.find(consumer);
    if (it != m_byConsumer.end()) {
        wipe(*it);
        m_byConsumer.erase(it);
    }
}

void SessionCredentials::clear() {
    for (QString& s : m_byConsumer) {
        wipe(s);
    }
    m_byConsumer.clear();
}

} // namespace tollgate::ui
