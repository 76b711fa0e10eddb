#include "replay/exchange_html.h"

#include <QObject>

namespace tollgate::ui {

QString headersHtml(const QString& firstLine, const HeaderPairs& headers, bool cut) {
    QString html = QStringLiteral("<p style='margin:2px 0'><code><b>%1</b></code></p>"
                                  "<table cellspacing='0' cellpadding='1'>")
                       .arg(firstLine.toHtmlEscaped());
    const QString redacted = QString::fromLatin1(kRedactedValue.data(), qsizetype(kRedactedValue.size()));
    for (const auto& [name, value] : headers) {
        const bool secret = value.endsWith(redacted);
        html += QStringLiteral("<tr><td style='color:#4a5568; padding-right:10px'><code>%1</code></td>"
                               "<td><code%2>%3</code></td></tr>")
                    .arg(name.toHtmlEscaped(), secret ? QStringLiteral(" style='color:#a0aec0'") : QString(),
                         value.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    if (cut) {
        html += QObject::tr("<p style='color:#c05621'>… more headers, cut at the %1 KiB kept per request</p>")
                    .arg(kCapturedExchangeBytes / 1024);
    }
    return html;
}

HeaderPairs headerPairs(const std::vector<HeaderLine>& lines) {
    HeaderPairs out;
    out.reserve(qsizetype(lines.size()));
    for (const HeaderLine& h : lines) {
        out.append({QString::fromStdString(h.name), QString::fromStdString(h.value)});
    }
    return out;
}

QString exchangeHtml(const CapturedExchange* x) {
    if (!x) {
        return QObject::tr("<p style='color:#718096'>Headers: not kept (the gateway keeps them for the last "
                           "1,024 requests while the console shows its traffic).</p>");
    }
    const QString response = x->statusLine.empty()
                                 ? QObject::tr("<p style='color:#718096'>No answer was sent.</p>")
                                 : headersHtml(QString::fromStdString(x->statusLine),
                                               headerPairs(x->responseHeaders), x->responseCut);
    return QObject::tr("<p style='margin:0'><b>Request headers</b> (as received)</p>%1"
                       "<p style='margin:8px 0 0 0'><b>Response headers</b> (as sent)</p>%2")
        .arg(headersHtml(QString::fromStdString(x->requestLine), headerPairs(x->requestHeaders),
                         x->requestCut),
             response);
}

} // namespace tollgate::ui
