#pragma once
// Credentials the user typed for Replay and asked to remember: in this process's memory only,
// keyed by consumer, never written to QSettings, the workspace or any file, wiped when the
// console closes. The engine keeps only key hashes, so this is the one place a key can come from.

#include <QHash>
#include <QString>

namespace tollgate::ui {

class SessionCredentials {
public:
    SessionCredentials() = default;
    SessionCredentials(const SessionCredentials&) = delete;
    SessionCredentials& operator=(const SessionCredentials&) = delete;
    ~SessionCredentials() { clear(); }

    void remember(const QString& consumer, const QString& secret) { m_byConsumer.insert(consumer, secret); }
    void forget(const QString& consumer);
    QString recall(const QString& consumer) const { return m_byConsumer.value(consumer); }
    bool has(const QString& consumer) const { return m_byConsumer.contains(consumer); }
    void clear();

private:
    QHash<QString, QString> m_byConsumer;
};

} // namespace tollgate::ui
