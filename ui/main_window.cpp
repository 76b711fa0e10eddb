#include "main_window.h"

#include "bridge/engine_controller.h"
#include "models/api_tree_model.h"
#include "models/consumer_table_model.h"
#include "models/plan_table_model.h"
#include "models/service_tree_model.h"
#include "notice_bar.h"
#include "pages/apis_page.h"
#include "pages/dashboard_page.h"
#include "pages/why_page.h"
#include "resources_init.h"
#include "simulator/traffic_simulator.h"
#include "stall_probe.h"
#include "status_panel.h"
#include "workspace/demo_workspace.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolButton>

namespace tollgate::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    initUiResources();
    setWindowIcon(QIcon(QStringLiteral(":/icons/tollgate.svg")));
    setWindowTitle(tr("Tollgate"));
    m_controller = new EngineController(this);
    m_apiModel = new ApiTreeModel(this);
    m_serviceModel = new ServiceTreeModel(this);
    m_consumerModel = new ConsumerTableModel(this);
    m_planModel = new PlanTableModel(this);

    buildActions();
    buildEditActions();
    buildSimulation();
    buildToolBar();
    buildPages();
    m_statusPanel = new StatusPanel(this);
    statusBar()->addWidget(m_statusPanel, 1);
    statusBar()->setSizeGripEnabled(false);

    connect(m_controller, &EngineController::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_controller, &EngineController::statusUpdated, this, &MainWindow::onStatus);
    connect(m_controller, &EngineController::addressInUse, this, &MainWindow::onAddressInUse);
    updateActions();
    showUrl();
    resize(1280, 800);
}

// The simulator stops first. The pages go next, while the workspace's document they are bound to
// still exists (members die after this body, children only in ~QObject); the controller (a child)
// joins its thread when Qt deletes the remaining children.
MainWindow::~MainWindow() {
    if (m_simulator) {
        m_simulator->stop();
    }
    delete takeCentralWidget();
}

bool MainWindow::openWorkspace(const QString& path, bool startGateway) {
    if (m_controller->state() == GatewayState::Running || m_controller->state() == GatewayState::Starting) {
        m_controller->stop();
    }
    m_opening = true;
    m_showingEditProblem = false;
    const bool ok = m_workspace.load(path);
    m_opening = false;
    m_controller->setConfig(engineConfig());
    updateTitle();
    m_workspaceLabel->setText(QStringLiteral("<b>%1</b>").arg(m_workspace.displayName().toHtmlEscaped()));
    m_workspaceLabel->setToolTip(m_workspace.path());
    loadModels();
    rememberWorkspace(m_workspace.path());
    if (!ok) {
        const QStringList problems = m_workspace.problems();
        m_notice->showNotice(
            NoticeBar::Kind::Error,
            tr("<b>%1</b> did not load (%n problem(s)). The first: %2", nullptr, int(problems.size()))
                .arg(m_workspace.displayName().toHtmlEscaped(),
                     problems.isEmpty() ? tr("unreadable file") : problems.first().toHtmlEscaped()),
            {{tr("Open another…"), [this] { chooseWorkspace(); }}});
    } else {
        m_notice->hide();
        if (startGateway) {
            m_controller->start();
        }
    }
    updateActions();
    showUrl();
    return ok;
}

void MainWindow::loadModels() {
    const auto config = m_workspace.config();
    const Config empty;
    const Config& c = config ? *config : empty;
    m_apiModel->setApis(c.apis);
    m_serviceModel->setServices(c.services);
    m_consumerModel->setConsumers(c.consumers);
    m_planModel->setPlans(c.plans, c.consumers);
    m_whyPage->refreshConsumers();
    m_dashboardPage->setConfig(config);
}

void MainWindow::showPage(Page page) {
    m_sidebar->setCurrentRow(page);
}

MainWindow::Page MainWindow::currentPage() const {
    return static_cast<Page>(m_stack->currentIndex());
}

QWidget* MainWindow::page(Page page) const {
    return m_stack->widget(page);
}

QString MainWindow::pageTitle(Page page) const {
    return m_sidebar->item(page)->text();
}

void MainWindow::updateActions() {
    const GatewayState s = m_controller->state();
    const bool loaded = m_workspace.isLoaded();
    m_start->setEnabled(loaded && (s == GatewayState::Stopped || s == GatewayState::Failed));
    m_stop->setEnabled(s == GatewayState::Running || s == GatewayState::Starting);
    m_restart->setEnabled(
        loaded && (s == GatewayState::Running || s == GatewayState::Stopped || s == GatewayState::Failed));
    m_copyUrl->setEnabled(!m_url.isEmpty());
}

void MainWindow::onStateChanged(GatewayState state, const QString& message) {
    m_statusPanel->setState(state, message);
    if (state != GatewayState::Running) {
        m_url.clear();
    }
    if (state == GatewayState::Failed && !message.contains(QLatin1String("in use"))) {
        m_notice->showNotice(NoticeBar::Kind::Error,
                             tr("The gateway could not start: %1").arg(message.toHtmlEscaped()),
                             {{tr("Try again"), [this] { m_controller->start(); }}});
    }
    updateActions();
    showUrl();
}

void MainWindow::onStatus(const EngineStatus& status) {
    const QString url =
        status.listeners.empty() ? QString() : QString::fromStdString(status.listeners.front().url());
    if (url != m_url) {
        m_url = url;
        showUrl();
        updateActions();
    }
    m_statusPanel->setStatus(status);
}

void MainWindow::onAddressInUse(const QString& address, quint16 freePort) {
    const quint16 taken = static_cast<quint16>(address.section(QLatin1Char(':'), -1).toUInt());
    QList<NoticeBar::Action> actions;
    QString text = tr("<b>%1</b> is already in use by another program, so the gateway could not start there.")
                       .arg(address.toHtmlEscaped());
    if (freePort != 0) {
        text += QLatin1Char(' ') + tr("Port %1 is free.").arg(freePort);
        actions.append(
            {tr("Use port %1").arg(freePort), [this, taken, freePort] { useFreePort(taken, freePort); }});
    }
    actions.append({tr("Try again"), [this] { m_controller->start(); }});
    m_notice->showNotice(NoticeBar::Kind::Warning, text, actions);
}

void MainWindow::useFreePort(quint16 taken, quint16 freePort) {
    if (m_workspace.moveListener(taken, freePort)) {
        m_controller->setConfig(engineConfig());
        statusBar()->showMessage(tr("Listening on port %1 for this session; %2 still says %3.")
                                     .arg(freePort)
                                     .arg(m_workspace.displayName())
                                     .arg(taken),
                                 10000);
    }
    m_controller->start();
}

void MainWindow::chooseWorkspace() {
    const QString dir =
        m_workspace.path().isEmpty() ? QString() : QFileInfo(m_workspace.path()).absolutePath();
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a workspace"), dir, tr("Gateway configs (*.yaml *.yml *.json);;All files (*)"));
    if (!path.isEmpty()) {
        openWorkspace(path, false);
    }
}

void MainWindow::copyUrl() {
    if (m_url.isEmpty()) {
        return;
    }
    QApplication::clipboard()->setText(m_url);
    statusBar()->showMessage(tr("Copied %1").arg(m_url), 3000);
}

void MainWindow::showUrl() {
    if (!m_url.isEmpty()) {
        m_urlLabel->setText(QStringLiteral("<a href='%1'>%1</a>").arg(m_url.toHtmlEscaped()));
        m_urlLabel->setToolTip(tr("The embedded gateway answers here"));
    } else {
        const auto config = m_workspace.config();
        QString planned =
            config && !config->gateway.listen.empty()
                ? QStringLiteral("http://") + QString::fromStdString(config->gateway.listen.front().text)
                : tr("no listener");
        m_urlLabel->setText(QStringLiteral("<span style='color:#718096'>%1 (%2)</span>")
                                .arg(planned.toHtmlEscaped(), stateText(m_controller->state()).toLower()));
        m_urlLabel->setToolTip(tr("Where the gateway will listen once started"));
    }
    m_copyButton->setEnabled(!m_url.isEmpty());
}

} // namespace tollgate::ui
