#pragma once
// Traffic: every request as it happens, in a table of the last 100,000, with a filter bar, pause,
// follow-the-newest, exports (CSV, HAR 1.2) and a detail pane that says in words why the gateway
// answered as it did (the core's explain for that consumer, method and path).

#include "bridge/engine_types.h"
#include "traffic/traffic_model.h"

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

class TrafficPage : public QWidget {
    Q_OBJECT
public:
    TrafficPage(EngineController* controller, QWidget* parent = nullptr);

    TrafficModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    QLineEdit* filterField() const { return m_filter; }
    QLabel* filterError() const { return m_filterError; }
    QTextBrowser* detail() const { return m_detail; }
    QPushButton* pauseButton() const { return m_pause; }
    // Applies the filter field now instead of after the typing pause.
    void applyFilter();
    // The rows selected, or every row shown when `all`.
    std::vector<TrafficRow> rows(bool all) const;
    bool exportTo(const QString& path, bool har, bool all, QString* error = nullptr) const;

private:
    void onTraffic(const RecordBatch& records);
    void flush();
    void showDetail();
    void showExplained(quint64 ticket, const ExplainResult& result);
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
    QLabel* m_count;
    QTimer* m_filterDelay;
    QTimer* m_flush;
    std::vector<RecordBatch> m_waiting; // arrived since the last flush
    quint64 m_ticket = 0;
    QString m_detailHtml; // the row's part, before the explanation arrives
};

} // namespace tollgate::ui
