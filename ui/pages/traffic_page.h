#pragma once
// Traffic: every request as it happens, in a table of the last 100,000, with a filter bar, pause,
// follow-the-newest, exports (CSV, HAR 1.2) and a detail pane that says in words why the gateway
// answered as it did (the core's explain for that consumer, method and path) and shows the request
// and response headers the engine kept (fetched by seq on selection). Replay (Ctrl+R) sends the
// selected request again.

#include "bridge/engine_types.h"
#include "replay/session_credentials.h"
#include "traffic/traffic_model.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTextBrowser;
class QTimer;
class QToolButton;

namespace tollgate {
struct ExplainResult;
}

namespace tollgate::ui {

class EngineController;
class ReplayDialog;

class TrafficPage : public QWidget {
    Q_OBJECT
public:
    TrafficPage(EngineController* controller, QWidget* parent = nullptr);

    TrafficModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QLineEdit* filterField() const { return m_filter; }
    QLabel* filterError() const { return m_filterError; }
    QTextBrowser* detail() const { return m_detail; }
    // The selected request's heads, beside the detail.
    QTextBrowser* headersView() const { return m_headersView; }
    QPushButton* pauseButton() const { return m_pause; }
    QCheckBox* followBox() const { return m_follow; }
    // Applies the filter field now instead of after the typing pause.
    void applyFilter();
    // The rows selected, or every row shown when `all`.
    std::vector<TrafficRow> rows(bool all) const;
    // Writes with the headers already fetched (see exportWhenReady).
    bool exportTo(const QString& path, bool har, bool all, QString* error = nullptr) const;
    // Fetches the headers the engine still keeps for the chosen rows, then writes; exported() says how
    // it went.
    void exportWhenReady(const QString& path, bool har, bool all);
    QPushButton* replayButton() const { return m_replayButton; }
    // Opens Replay for the selected request (Ctrl+R); nullptr when its headers were not kept.
    ReplayDialog* openReplay();
    ReplayDialog* replayDialog() const;
    SessionCredentials& credentials() { return m_credentials; }
    // The headers fetched for `row`, nullptr when not (yet) known.
    const CapturedExchange* exchange(const TrafficRow& row) const;

signals:
    void exported(bool ok, const QString& error);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onTraffic(const RecordBatch& records);
    void flush();
    // `rows` left the top of the table; `moveSelection` when the model did not move indexes itself.
    void followShift(int rows, bool moveSelection);
    void showDetail();
    void showExplained(quint64 ticket, const ExplainResult& result);
    void onExchanges(quint64 ticket, const std::vector<CapturedExchange>& found);
    void renderDetail();
    void updateCount();
    void saveFilter();
    void chooseExport(bool har, bool all);

    EngineController* m_controller;
    TrafficModel* m_model;
    QLineEdit* m_filter;
    QLabel* m_filterError;
    QComboBox* m_saved;
    QPushButton* m_pause;
    QCheckBox* m_follow;
    QTableView* m_view;
    QTextBrowser* m_detail;
    QTextBrowser* m_headersView;
    QLabel* m_count;
    QTimer* m_filterDelay;
    QTimer* m_flush;
    std::vector<RecordBatch> m_waiting; // arrived since the last flush
    size_t m_lastFlushRows = 0;
    QPushButton* m_replayButton;
    quint64 m_ticket = 0;
    QString m_detailHtml; // the row's part, before the explanation arrives
    QString m_whyHtml;
    quint64 m_detailSeq = 0;                      // the row the detail pane shows
    quint64 m_headersTicket = 0;                  // its headers, on their way
    QHash<quint64, CapturedExchange> m_exchanges; // fetched heads by seq (bounded)
    struct PendingExport {
        QString path;
        bool har = false;
        bool all = false;
    };
    QHash<quint64, PendingExport> m_pendingExports; // by the ticket of the headers they wait for
    SessionCredentials m_credentials;
    QPointer<ReplayDialog> m_replay;
};

} // namespace tollgate::ui
