#include "stall_probe.h"

namespace tollgate::ui {

namespace {
constexpr int kIntervalMs = 10;
}

StallProbe::StallProbe(QObject* parent) : QObject(parent) {
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start() {
    m_clock.start();
    m_last = 0;
    m_worst = 0;
    m_ticks = 0;
    m_timer.start();
}

void StallProbe::stop() {
    m_timer.stop();
}

void StallProbe::reset() {
    m_worst = 0;
    m_ticks = 0;
    m_last = m_clock.isValid() ? m_clock.elapsed() : 0;
}

void StallProbe::tick() {
    const qint64 now = m_clock.elapsed();
    m_worst = std::max(m_worst, now - m_last - kIntervalMs);
    m_last = now;
    ++m_ticks;
}

} // namespace tollgate::ui
