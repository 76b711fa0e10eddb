// MainWindow's traffic simulator and UI responsiveness probe: Tools > Simulate traffic, and what
// `tollgate --simulate RATE` starts.
#include "main_window.h"

#include "bridge/engine_controller.h"
#include "simulator/simulation_plan.h"
#include "simulator/traffic_simulator.h"
#include "stall_probe.h"

#include <QAction>
#include <QListWidget>
#include <QStatusBar>
#include <QTimer>

namespace tollgate::ui {

// The demo's free plan allows 10 requests/s per consumer: a gentle rate keeps most calls allowed, and
// the simulator's bursts still show rate limiting.
constexpr double kToolbarRate = 25;

void MainWindow::buildSimulation() {
    m_stallProbe = new StallProbe(this);
    m_simulate = new QAction(QIcon(QStringLiteral(":/icons/traffic.svg")), tr("Simulate &traffic"), this);
    m_simulate->setObjectName(QStringLiteral("simulate"));
    m_simulate->setCheckable(true);
    m_simulate->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    m_simulate->setToolTip(
        tr("Send realistic requests from the workspace's consumers through the gateway (%1)")
            .arg(m_simulate->shortcut().toString(QKeySequence::NativeText)));
    addAction(m_simulate);
    connect(m_simulate, &QAction::toggled, this, [this](bool on) {
        if (on && !m_simulator) {
            startSimulation(kToolbarRate);
        } else if (!on && m_simulator) {
            stopSimulation();
        }
    });
    m_simulationTimer = new QTimer(this);
    m_simulationTimer->setInterval(1000);
    connect(m_simulationTimer, &QTimer::timeout, this, &MainWindow::showSimulation);
    connect(m_controller, &EngineController::stateChanged, this, [this](GatewayState state) {
        if (state == GatewayState::Running && m_simulationWaitsForGateway) {
            launchSimulator();
        }
    });
}

std::shared_ptr<const Config> MainWindow::engineConfig() const {
    const auto base = m_workspace.config();
    return base && !m_simulationHashes.empty() ? withSimulationKeys(*base, m_simulationHashes) : base;
}

void MainWindow::startSimulation(double rate) {
    const auto running = m_controller->config();
    if (!running || rate <= 0) {
        m_simulate->setChecked(false);
        return;
    }
    SimulationPlan plan = planSimulation(*running);
    m_simulationHashes = plan.hashes;
    m_simulationKeys = plan.keys;
    m_simulationRate = rate;
    m_simulator = std::make_unique<TrafficSimulator>();
    // The keys go into the config the engine runs now, not into the edits or the file.
    m_controller->setConfig(withSimulationKeys(*running, m_simulationHashes));
    m_simulationWaitsForGateway = true;
    if (m_controller->state() == GatewayState::Running) {
        auto once = std::make_shared<QMetaObject::Connection>();
        *once = connect(m_controller, &EngineController::applied, this, [this, once](bool) {
            disconnect(*once);
            launchSimulator();
        });
        m_controller->apply();
    } else {
        m_controller->start();
    }
    const QSignalBlocker quiet(m_simulate);
    m_simulate->setChecked(true);
}

void MainWindow::launchSimulator() {
    m_simulationWaitsForGateway = false;
    const auto config = m_controller->config();
    if (!m_simulator || !config || m_url.isEmpty()) {
        // The address arrives with the first status poll; try again then.
        if (m_simulator && config) {
            m_simulationWaitsForGateway = true;
            QTimer::singleShot(100, this, [this] {
                if (m_simulationWaitsForGateway) {
                    launchSimulator();
                }
            });
        }
        return;
    }
    SimulationPlan plan = planSimulation(*config);
    plan.keys = m_simulationKeys;
    plan.hashes = m_simulationHashes;
    m_simulator->start(m_url.toStdString(), std::move(plan), m_simulationRate);
    if (m_stallProbeWanted) {
        m_stallProbe->start();
    }
    m_simulationTimer->start();
    showSimulation();
}

void MainWindow::stopSimulation() {
    m_simulationWaitsForGateway = false;
    m_simulationTimer->stop();
    m_stallProbe->stop();
    if (m_simulator) {
        m_simulator->stop();
        m_simulator.reset();
    }
    m_simulationHashes.clear();
    m_simulationKeys.clear();
    // The session keys leave the running config again.
    if (const auto running = m_controller->config()) {
        m_controller->setConfig(withSimulationKeys(*running, {}));
        if (m_controller->state() == GatewayState::Running) {
            m_controller->apply();
        }
    }
    const QSignalBlocker quiet(m_simulate);
    m_simulate->setChecked(false);
    statusBar()->showMessage(tr("Simulation stopped."), 3000);
}

void MainWindow::showSimulation() {
    if (!m_simulator) {
        return;
    }
    const TrafficSimulator::Counts c = m_simulator->counts();
    QString text = tr("Simulating %1 requests/s: %2 sent, %3 answered 2xx/3xx, %4 4xx, %5 5xx, %6 failed")
                       .arg(m_simulationRate)
                       .arg(c.sent)
                       .arg(c.success)
                       .arg(c.clientErrors)
                       .arg(c.serverErrors)
                       .arg(c.failed);
    if (m_stallProbe->isRunning()) {
        text += tr(" · UI worst stall %1 ms").arg(m_stallProbe->worstMillis());
    }
    statusBar()->showMessage(text);
}

std::optional<MainWindow::Page> MainWindow::pageNamed(const QString& name) const {
    for (int i = 0; i < PageCount; ++i) {
        QString title = m_sidebar->item(i)->text();
        title.remove(QLatin1Char('?'));
        if (title.compare(name, Qt::CaseInsensitive) == 0) {
            return static_cast<Page>(i);
        }
    }
    return std::nullopt;
}

} // namespace tollgate::ui
