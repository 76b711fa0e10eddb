#pragma once
// Replay: sends a recent request again to the gateway's own listener and shows the original answer
// and the new one side by side (status, reason code, latency, response headers, body). The request
// comes from the captured heads minus redacted values; when the original carried a credential the
// dialog asks for it (the engine keeps hashes only) and may remember it for the session
// (SessionCredentials, memory only). Request bodies are not captured: the user may type one.
// UI thread only; the request runs on ReplayClient's thread.

#include "replay/replay_client.h"
#include "replay/replay_request.h"
#include "traffic/traffic_row.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace tollgate::ui {

class SessionCredentials;

class ReplayDialog : public QDialog {
    Q_OBJECT
public:
    // `baseUrl`: the gateway's listener ("http://127.0.0.1:8080").
    ReplayDialog(const TrafficRow& row, const CapturedExchange& exchange, const QString& baseUrl,
                 SessionCredentials& credentials, QWidget* parent = nullptr);

    const ReplayRequest& request() const { return m_request; }
    QLineEdit* targetField() const { return m_target; }
    QPlainTextEdit* headersField() const { return m_headers; }
    QPlainTextEdit* bodyField() const { return m_body; }
    QLineEdit* credentialField() const { return m_credential; } // nullptr when none is needed
    QCheckBox* rememberBox() const { return m_remember; }
    QPushButton* sendButton() const { return m_send; }
    QTextBrowser* originalView() const { return m_original; }
    QTextBrowser* answerView() const { return m_answer; }
    // The last answer (status 0 before any).
    const ReplayResult& lastResult() const { return m_result; }
    // Sends what the fields say now.
    void send();

signals:
    void answered(const tollgate::ui::ReplayResult& result);

private:
    void showAnswer(const ReplayResult& result);
    HeaderPairs typedHeaders() const;

    TrafficRow m_row;
    ReplayRequest m_request;
    QString m_baseUrl;
    SessionCredentials& m_credentials;
    ReplayClient* m_client;
    ReplayResult m_result;
    QLineEdit* m_target;
    QPlainTextEdit* m_headers;
    QPlainTextEdit* m_body;
    QLineEdit* m_credential = nullptr;
    QCheckBox* m_remember = nullptr;
    QPushButton* m_send;
    QLabel* m_state;
    QTextBrowser* m_original;
    QTextBrowser* m_answer;
};

} // namespace tollgate::ui
