#include "replay/replay_dialog.h"

#include "replay/exchange_html.h"
#include "replay/session_credentials.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace tollgate::ui {
namespace {

QString answerHtml(const QString& title, int status, const QString& reason, double latencyMs,
                   const QString& headers, const QString& body) {
    const QString color = status >= 500   ? QStringLiteral("#c53030")
                          : status >= 400 ? QStringLiteral("#c05621")
                                          : QStringLiteral("#2f855a");
    return QStringLiteral("<h3 style='margin:0'>%1</h3>"
                          "<p><span style='font-size:large; color:%2'><b>%3</b></span>%4 · %5 ms</p>%6%7")
        .arg(title.toHtmlEscaped(), color, QString::number(status),
             reason.isEmpty() ? QString() : QStringLiteral(" <code>%1</code>").arg(reason.toHtmlEscaped()),
             QString::number(latencyMs, 'f', 2), headers, body);
}

} // namespace

ReplayDialog::ReplayDialog(const TrafficRow& row, const CapturedExchange& exchange, const QString& baseUrl,
                           SessionCredentials& credentials, QWidget* parent)
    : QDialog(parent), m_row(row), m_request(ReplayRequest::fromExchange(exchange)), m_baseUrl(baseUrl),
      m_credentials(credentials), m_client(new ReplayClient(this)) {
    setWindowTitle(tr("Replay %1 %2").arg(m_request.method, row.path));
    setObjectName(QStringLiteral("replayDialog"));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(10);

    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(8);
    auto* requestRow = new QHBoxLayout;
    auto* method = new QLabel(QStringLiteral("<b>%1</b>").arg(m_request.method.toHtmlEscaped()), this);
    requestRow->addWidget(method);
    m_target = new QLineEdit(m_request.target, this);
    m_target->setObjectName(QStringLiteral("replayTarget"));
    m_target->setFont(mono);
    requestRow->addWidget(m_target, 1);
    form->addRow(tr("Request"), requestRow);

    m_headers = new QPlainTextEdit(this);
    m_headers->setObjectName(QStringLiteral("replayHeaders"));
    m_headers->setFont(mono);
    QStringList lines;
    for (const auto& [name, value] : m_request.headers) {
        lines << name + QStringLiteral(": ") + value;
    }
    m_headers->setPlainText(lines.join(QLatin1Char('\n')));
    m_headers->setFixedHeight(m_headers->fontMetrics().lineSpacing() * 5 + 12);
    form->addRow(tr("Headers"), m_headers);
    if (!m_request.leftOut.isEmpty()) {
        auto* note = new QLabel(
            tr("Not sent (redacted when captured): %1").arg(m_request.leftOut.join(QStringLiteral(", "))),
            this);
        note->setStyleSheet(QStringLiteral("color:#718096"));
        form->addRow(QString(), note);
    }

    m_body = new QPlainTextEdit(this);
    m_body->setObjectName(QStringLiteral("replayBody"));
    m_body->setFont(mono);
    m_body->setFixedHeight(m_body->fontMetrics().lineSpacing() * 3 + 12);
    const bool takesBody = ReplayRequest::methodTakesBody(m_request.method);
    m_body->setEnabled(takesBody);
    m_body->setPlaceholderText(
        takesBody ? tr("Request bodies are not captured: type the body to send")
                  : tr("Request bodies are not captured (%1 sends none)").arg(m_request.method));
    form->addRow(tr("Body"), m_body);

    if (m_request.credential.needed()) {
        auto* credentialRow = new QHBoxLayout;
        m_credential = new QLineEdit(this);
        m_credential->setObjectName(QStringLiteral("replayCredential"));
        m_credential->setEchoMode(QLineEdit::Password);
        m_credential->setPlaceholderText(tr("Only its hash is kept: type it to send it"));
        m_credential->setText(m_credentials.recall(row.consumer));
        credentialRow->addWidget(m_credential, 1);
        m_remember = new QCheckBox(tr("Remember for this session"), this);
        m_remember->setObjectName(QStringLiteral("rememberCredential"));
        m_remember->setToolTip(tr("Kept in memory until the console closes; never saved"));
        m_remember->setChecked(m_credentials.has(row.consumer));
        credentialRow->addWidget(m_remember);
        form->addRow(m_request.credential.describe(), credentialRow);
    }
    layout->addLayout(form);

    auto* sendRow = new QHBoxLayout;
    m_send = new QPushButton(tr("Send"), this);
    m_send->setObjectName(QStringLiteral("replaySend"));
    m_send->setDefault(true);
    sendRow->addWidget(m_send);
    m_state = new QLabel(tr("Sends to %1").arg(m_baseUrl.toHtmlEscaped()), this);
    m_state->setStyleSheet(QStringLiteral("color:#4a5568"));
    sendRow->addWidget(m_state, 1);
    layout->addLayout(sendRow);

    auto* split = new QSplitter(Qt::Horizontal, this);
    m_original = new QTextBrowser(split);
    m_original->setObjectName(QStringLiteral("replayOriginal"));
    m_answer = new QTextBrowser(split);
    m_answer->setObjectName(QStringLiteral("replayAnswer"));
    m_answer->setPlaceholderText(tr("The new answer appears here."));
    split->addWidget(m_original);
    split->addWidget(m_answer);
    layout->addWidget(split, 1);
    const QString originalHeaders =
        exchange.statusLine.empty()
            ? tr("<p style='color:#718096'>No answer was sent.</p>")
            : headersHtml(QString::fromStdString(exchange.statusLine), headerPairs(exchange.responseHeaders),
                          exchange.responseCut);
    m_original->setHtml(answerHtml(tr("Original"), row.status, row.reason, row.totalMicros / 1000.0,
                                   originalHeaders, tr("<p style='color:#718096'>Body: not captured.</p>")));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_send, &QPushButton::clicked, this, &ReplayDialog::send);
    connect(m_client, &ReplayClient::finished, this, &ReplayDialog::showAnswer);
    resize(1000, 680);
}

HeaderPairs ReplayDialog::typedHeaders() const {
    HeaderPairs out;
    for (const QString& line : m_headers->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon > 0) {
            out.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
    }
    return out;
}

void ReplayDialog::send() {
    if (m_client->busy()) {
        return;
    }
    const QString secret = m_credential ? m_credential->text() : QString();
    if (m_remember) {
        if (m_remember->isChecked() && !secret.isEmpty()) {
            m_credentials.remember(m_row.consumer, secret);
        } else if (!m_remember->isChecked()) {
            m_credentials.forget(m_row.consumer);
        }
    }
    ReplayRequest r = m_request;
    r.target = m_target->text().trimmed();
    r.headers = typedHeaders();
    const QByteArray body = m_body->isEnabled() ? m_body->toPlainText().toUtf8() : QByteArray();
    m_send->setEnabled(false);
    m_state->setText(tr("Sending…"));
    m_client->send(r.method, m_baseUrl + r.targetWith(secret), r.headersWith(secret), body);
}

void ReplayDialog::showAnswer(const ReplayResult& result) {
    m_result = result;
    m_send->setEnabled(true);
    if (!result.ok) {
        m_state->setText(tr("Failed: %1").arg(result.error));
        m_answer->setHtml(
            QStringLiteral("<p style='color:#c53030'>%1</p>").arg(result.error.toHtmlEscaped()));
        emit answered(result);
        return;
    }
    m_state->setText(tr("Answered %1 in %2 ms").arg(result.status).arg(result.latencyMs, 0, 'f', 2));
    // JSON (the gateway's own answers, most APIs) indented, so it reads without scrolling sideways.
    QString text = QString::fromUtf8(result.body);
    const QJsonDocument json = QJsonDocument::fromJson(result.body);
    if (!result.bodyCut && !json.isNull()) {
        text = QString::fromUtf8(json.toJson(QJsonDocument::Indented));
    }
    const QString body =
        QStringLiteral("<p><b>Body</b>%1</p><pre style='white-space:pre-wrap'>%2</pre>")
            .arg(result.bodyCut ? tr(" (first %1 KiB)").arg(ReplayResult::kMaxBody / 1024) : QString(),
                 text.toHtmlEscaped());
    m_answer->setHtml(answerHtml(tr("New answer"), result.status, result.reason, result.latencyMs,
                                 headersHtml(result.statusLine, result.headers), body));
    emit answered(result);
}

} // namespace tollgate::ui
