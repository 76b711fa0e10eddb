#include "replay/replay_client.h"

#include <QThread>

#include <algorithm>

#include <curl/curl.h>

namespace tollgate::ui {
namespace {

struct Exchange {
    ReplayResult result;
    QList<QByteArray> headerLines;
};

size_t onHeader(char* data, size_t size, size_t n, void* user) {
    auto* x = static_cast<Exchange*>(user);
    const QByteArray line = QByteArray(data, qsizetype(size * n)).trimmed();
    if (line.startsWith("HTTP/")) {
        x->headerLines.clear(); // a new response head (after 100 Continue)
    }
    if (!line.isEmpty()) {
        x->headerLines << line;
    }
    return size * n;
}

size_t onBody(char* data, size_t size, size_t n, void* user) {
    auto* x = static_cast<Exchange*>(user);
    const qsizetype room = ReplayResult::kMaxBody - x->result.body.size();
    const auto len = qsizetype(size * n);
    x->result.body.append(data, std::min(room, len));
    x->result.bodyCut = x->result.bodyCut || len > room;
    return size * n;
}

ReplayResult perform(const QByteArray& method, const QByteArray& url, const QList<QByteArray>& headers,
                     const QByteArray& body) {
    Exchange x;
    CURL* curl = curl_easy_init();
    if (!curl) {
        x.result.error = QObject::tr("libcurl failed to start");
        return x.result;
    }
    curl_slist* list = nullptr;
    for (const QByteArray& h : headers) {
        list = curl_slist_append(list, h.constData());
    }
    list = curl_slist_append(list, "Expect:"); // no 100-continue round trip for typed bodies
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_URL, url.constData());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.constData());
    curl_easy_setopt(curl, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    if (!body.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.constData());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &x);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10'000L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L); // the gateway's own listener, often self-signed
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    const CURLcode rc = curl_easy_perform(curl);
    if (rc == CURLE_OK) {
        long status = 0;
        curl_off_t micros = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &micros);
        x.result.ok = true;
        x.result.status = int(status);
        x.result.latencyMs = double(micros) / 1000.0;
        for (const QByteArray& line : x.headerLines) {
            if (line.startsWith("HTTP/")) {
                x.result.statusLine = QString::fromLatin1(line);
                continue;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon > 0) {
                const QString name = QString::fromLatin1(line.left(colon));
                const QString value = QString::fromLatin1(line.mid(colon + 1).trimmed());
                x.result.headers.append({name, value});
                if (name.compare(QLatin1String("X-Tollgate-Reason"), Qt::CaseInsensitive) == 0) {
                    x.result.reason = value;
                }
            }
        }
    } else {
        x.result.error = QString::fromLatin1(error[0] ? error : curl_easy_strerror(rc));
    }
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return x.result;
}

} // namespace

ReplayClient::ReplayClient(QObject* parent) : QObject(parent) {
    qRegisterMetaType<tollgate::ui::ReplayResult>();
}

ReplayClient::~ReplayClient() {
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
}

void ReplayClient::send(const QString& method, const QString& url, const HeaderPairs& headers,
                        const QByteArray& body) {
    if (m_thread) {
        return;
    }
    QList<QByteArray> lines;
    for (const auto& [name, value] : headers) {
        lines << (name + QStringLiteral(": ") + value).toUtf8();
    }
    m_thread = QThread::create([this, m = method.toLatin1(), u = url.toUtf8(), lines, body] {
        const ReplayResult result = perform(m, u, lines, body);
        // Queued to the owner's thread, which is alive: its destructor waits for this thread.
        QMetaObject::invokeMethod(
            this,
            [this, result] {
                m_thread->wait();
                delete m_thread;
                m_thread = nullptr;
                emit finished(result);
            },
            Qt::QueuedConnection);
    });
    m_thread->start();
}

} // namespace tollgate::ui
