#include "status_panel.h"

#include "models/config_text.h"
#include "widgets/steady_label.h"

#include <QHBoxLayout>
#include <QLabel>

namespace tollgate::ui {

QString uptimeText(double seconds) {
    const auto s = static_cast<long long>(seconds);
    if (s < 60) {
        return QStringLiteral("%1 s").arg(s);
    }
    if (s < 3600) {
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    }
    if (s < 86400) {
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg((s % 86400) / 3600);
}

StatusPanel::StatusPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(18);
    auto label = [&](const QString& tip) {
        auto* l = new QLabel(this);
        l->setToolTip(tip);
        layout->addWidget(l);
        return l;
    };
    m_state = label(tr("The embedded gateway's state"));
    m_listeners = label(tr("Where the gateway listens"));
    m_uptime = label(tr("Time since the gateway started"));
    m_requests = label(tr("Requests answered since the gateway started"));
    m_errors = label(tr("Answers with a 4xx or 5xx status since the gateway started"));
    keepSteady(m_uptime, tr("up %1").arg(QStringLiteral("23 h 59 min")));
    keepSteady(m_requests, tr("%1 requests").arg(QStringLiteral("999,999,999")));
    keepSteady(m_errors, tr("%1 errors (4xx %2, 5xx %3)")
                             .arg(QStringLiteral("99,999,999"), QStringLiteral("99,999,999"),
                                  QStringLiteral("99,999,999")));
    layout->addStretch(1);
    setState(GatewayState::Stopped, {});
}

void StatusPanel::setState(GatewayState state, const QString& message) {
    m_current = state;
    m_shown.invalidate(); // the next snapshot shows at once
    static const char* colors[] = {"#718096", "#b7791f", "#2f855a", "#b7791f", "#c53030"};
    m_state->setText(QStringLiteral("<span style='color:%1'>●</span> %2")
                         .arg(QLatin1String(colors[static_cast<int>(state)]), ui::stateText(state)));
    m_state->setToolTip(message.isEmpty() ? tr("The embedded gateway's state") : message);
    if (state != GatewayState::Running) {
        m_listeners->setText(state == GatewayState::Failed ? message.left(80) : QString());
        m_uptime->clear();
        m_requests->clear();
        m_errors->clear();
    }
}

QString StatusPanel::stateText() const {
    return ui::stateText(m_current);
}

void StatusPanel::setStatus(const EngineStatus& status) {
    // Snapshots come five times a second; a label's new text lays the window out again, so the
    // numbers move once a second.
    if (m_shown.isValid() && m_shown.elapsed() < 950) {
        return;
    }
    m_shown.start();
    QStringList urls;
    for (const BoundListener& l : status.listeners) {
        urls << QString::fromStdString(l.url());
    }
    m_listeners->setText(urls.join(QStringLiteral(", ")));
    m_uptime->setText(tr("up %1").arg(uptimeText(status.uptimeSeconds)));
    const MetricsSnapshot& m = status.metrics;
    m_requests->setText(tr("%1 requests").arg(countText(m.requests)));
    const uint64_t errors = m.status4xx + m.status5xx;
    m_errors->setText(tr("%1 errors (4xx %2, 5xx %3)")
                          .arg(countText(errors), countText(m.status4xx), countText(m.status5xx)));
    if (!status.storeError.empty() || !status.accessLogError.empty()) {
        m_errors->setText(
            m_errors->text() +
            QStringLiteral(" · <span style='color:#c53030'>%1</span>").arg(tr("store or log failing")));
        m_errors->setToolTip(QString::fromStdString(status.storeError + " " + status.accessLogError));
    }
}

} // namespace tollgate::ui
