#include "traffic/traffic_row.h"

namespace tollgate::ui {
namespace {

constexpr qsizetype kMaxNames = 50'000;

template <size_t N> const char* text(const char (&field)[N]) {
    // Fields are NUL-terminated when filled by the engine; guard against a record that is not.
    return static_cast<const char*>(memchr(field, 0, N)) ? field : "";
}

} // namespace

const QString& RowInterner::intern(const char* text) {
    const QByteArray key = QByteArray::fromRawData(text, qsizetype(strlen(text)));
    auto it = m_names.constFind(key);
    if (it != m_names.constEnd()) {
        return *it;
    }
    if (m_names.size() >= kMaxNames) {
        m_names.clear(); // rows keep their own references; only sharing with new rows is lost
    }
    return *m_names.insert(QByteArray(text), QString::fromUtf8(text));
}

TrafficRow RowInterner::row(const RequestRecord& r) {
    TrafficRow out;
    out.seq = r.seq;
    out.unixMicros = r.unixMicros;
    out.totalMicros = r.totalMicros;
    out.upstreamMicros = r.upstreamMicros;
    out.bytesIn = r.bytesIn;
    out.bytesOut = r.bytesOut;
    out.status = r.status;
    out.method = r.method;
    out.consumer = intern(text(r.consumer));
    out.plan = intern(text(r.plan));
    out.api = intern(text(r.api));
    out.version = intern(text(r.apiVersion));
    out.route = intern(text(r.route));
    out.reason = intern(text(r.reason));
    out.clientIp = intern(text(r.clientIp));
    out.target = intern(text(r.target));
    out.path = QString::fromUtf8(text(r.path)); // too many distinct values to be worth sharing
    return out;
}

QString methodName(uint8_t method) {
    const std::string_view name = recordMethodName(method);
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

} // namespace tollgate::ui
