#pragma once
// Measures how responsive the UI thread is: a timer that should fire every 10 ms records how late it
// fires. The worst lateness is the longest the window could not react to the user. It runs only
// while asked to (the simulator starts it): 100 wake-ups a second cost more CPU than an idle
// console does otherwise.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace tollgate::ui {

class StallProbe : public QObject {
    Q_OBJECT
public:
    explicit StallProbe(QObject* parent = nullptr);
    void start();
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    // Worst lateness in milliseconds since start() or reset().
    qint64 worstMillis() const { return m_worst; }
    qint64 ticks() const { return m_ticks; }
    void reset();

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_worst = 0;
    qint64 m_ticks = 0;
};

} // namespace tollgate::ui
