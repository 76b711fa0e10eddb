#pragma once
// Sends one Replay request with libcurl on a thread of its own (never the UI thread) and reports
// the answer on the owner's thread. One request at a time; the destructor waits for the one in
// flight (bounded by a 10 s timeout).

#include "replay/replay_request.h"

#include <QObject>

class QThread;

namespace tollgate::ui {

struct ReplayResult {
    bool ok = false;
    QString error; // curl's message when !ok
    int status = 0;
    QString statusLine; // "HTTP/1.1 401 Unauthorized"
    QString reason;     // the gateway's reason code (X-Tollgate-Reason), "" for a plain success
    double latencyMs = 0;
    HeaderPairs headers;
    QByteArray body; // the first kMaxBody bytes
    bool bodyCut = false;

    static constexpr qsizetype kMaxBody = 64 * 1024;
};

class ReplayClient : public QObject {
    Q_OBJECT
public:
    explicit ReplayClient(QObject* parent = nullptr);
    ~ReplayClient() override;

    // `url` is absolute ("http://127.0.0.1:8080/orders/v1/42"). Ignored while busy().
    void send(const QString& method, const QString& url, const HeaderPairs& headers, const QByteArray& body);
    bool busy() const { return m_thread != nullptr; }

signals:
    void finished(const tollgate::ui::ReplayResult& result);

private:
    QThread* m_thread = nullptr;
};

} // namespace tollgate::ui

Q_DECLARE_METATYPE(tollgate::ui::ReplayResult)
