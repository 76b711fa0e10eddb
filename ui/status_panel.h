#pragma once
// The status bar's permanent part: the gateway's state, listeners, uptime and counters, updated
// from the controller's snapshots.

#include "bridge/engine_types.h"
#include "bridge/gateway_state.h"

#include <QElapsedTimer>
#include <QWidget>

class QLabel;

namespace tollgate::ui {

class StatusPanel : public QWidget {
    Q_OBJECT
public:
    explicit StatusPanel(QWidget* parent = nullptr);
    void setState(GatewayState state, const QString& message);
    void setStatus(const EngineStatus& status);
    QString stateText() const;

private:
    QLabel* m_state;
    QLabel* m_listeners;
    QLabel* m_uptime;
    QLabel* m_requests;
    QLabel* m_errors;
    QElapsedTimer m_shown; // when the numbers last changed
    GatewayState m_current = GatewayState::Stopped;
};

// "42 s", "3 min 05 s", "2 h 07 min", "3 d 4 h".
QString uptimeText(double seconds);

} // namespace tollgate::ui
