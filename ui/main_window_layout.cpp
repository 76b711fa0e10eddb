// MainWindow's furniture: actions and their shortcuts, the toolbar, the sidebar and its pages.
#include "main_window.h"

#include "bridge/engine_controller.h"
#include "models/api_tree_model.h"
#include "models/consumer_table_model.h"
#include "models/plan_table_model.h"
#include "models/service_tree_model.h"
#include "notice_bar.h"
#include "pages/apis_page.h"
#include "pages/consumers_page.h"
#include "pages/dashboard_page.h"
#include "pages/model_page.h"
#include "pages/permissions_page.h"
#include "pages/plans_page.h"
#include "pages/reports_page.h"
#include "pages/services_page.h"
#include "pages/settings_page.h"
#include "pages/traffic_page.h"
#include "pages/why_page.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace tollgate::ui {
namespace {

QIcon icon(const char* name) {
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name)));
}

} // namespace

void MainWindow::buildActions() {
    auto make = [this](const char* name, const QIcon& i, const QString& text, const QKeySequence& key,
                       const QString& tip) {
        auto* a = new QAction(i, text, this);
        a->setObjectName(QLatin1String(name));
        a->setShortcut(key);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        addAction(a);
        return a;
    };
    m_open = make("open", icon("open"), tr("&Open…"), QKeySequence::Open, tr("Open a workspace file"));
    m_start = make("start", icon("start"), tr("&Start"), QKeySequence(Qt::Key_F5), tr("Start the gateway"));
    m_stop =
        make("stop", icon("stop"), tr("S&top"), QKeySequence(Qt::SHIFT | Qt::Key_F5), tr("Stop the gateway"));
    // Ctrl+R is Replay on the Traffic page (issue 7): a gateway restart should not be one slip away.
    m_restart = make("restart", icon("restart"), tr("&Restart"),
                     QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), tr("Restart the gateway"));
    m_copyUrl = make("copyUrl", icon("copy"), tr("&Copy address"),
                     QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), tr("Copy the gateway's address"));
    auto* quit = make("quit", QIcon(), tr("&Quit"), QKeySequence::Quit, tr("Quit"));
    connect(m_open, &QAction::triggered, this, &MainWindow::chooseWorkspace);
    connect(m_start, &QAction::triggered, m_controller, &EngineController::start);
    connect(m_stop, &QAction::triggered, m_controller, &EngineController::stop);
    connect(m_restart, &QAction::triggered, m_controller, &EngineController::restart);
    connect(m_copyUrl, &QAction::triggered, this, &MainWindow::copyUrl);
    connect(quit, &QAction::triggered, this, &QWidget::close);
}

QAction* MainWindow::action(const QString& name) const {
    return findChild<QAction*>(name);
}

void MainWindow::buildToolBar() {
    auto* bar = addToolBar(tr("Gateway"));
    bar->setObjectName(QStringLiteral("gatewayToolBar"));
    bar->setMovable(false);
    bar->setIconSize(QSize(20, 20));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_open);
    bar->addAction(m_save);
    bar->addSeparator();
    bar->addAction(m_undo);
    bar->addAction(m_redo);
    bar->addAction(m_apply);
    bar->addSeparator();
    bar->addAction(m_start);
    bar->addAction(m_stop);
    bar->addAction(m_restart);
    bar->addAction(m_simulate);
    bar->addSeparator();

    auto* address = new QWidget(bar);
    auto* row = new QHBoxLayout(address);
    row->setContentsMargins(8, 0, 0, 0);
    row->setSpacing(6);
    auto* caption = new QLabel(tr("Gateway:"), address);
    m_urlLabel = new QLabel(address);
    m_urlLabel->setObjectName(QStringLiteral("gatewayUrl"));
    m_urlLabel->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_urlLabel->setOpenExternalLinks(true);
    m_copyButton = new QToolButton(address);
    m_copyButton->setDefaultAction(m_copyUrl);
    m_copyButton->setToolButtonStyle(Qt::ToolButtonIconOnly);
    m_copyButton->setAutoRaise(true);
    row->addWidget(caption);
    row->addWidget(m_urlLabel);
    row->addWidget(m_copyButton);
    bar->addWidget(address);

    auto* spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_workspaceLabel = new QLabel(bar);
    m_workspaceLabel->setContentsMargins(0, 0, 12, 0);
    bar->addWidget(m_workspaceLabel);
}

void MainWindow::buildPages() {
    auto* central = new QWidget(this);
    auto* outer = new QHBoxLayout(central);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);

    m_sidebar = new QListWidget(central);
    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setFixedWidth(188);
    m_sidebar->setSpacing(1);
    outer->addWidget(m_sidebar);

    auto* content = new QWidget(central);
    auto* column = new QVBoxLayout(content);
    column->setContentsMargins(18, 14, 18, 8);
    m_notice = new NoticeBar(content);
    column->addWidget(m_notice);
    m_stack = new QStackedWidget(content);
    column->addWidget(m_stack, 1);
    outer->addWidget(content, 1);
    setCentralWidget(central);

    auto add = [this](const char* iconName, const QString& title, QWidget* page) {
        auto* item = new QListWidgetItem(icon(iconName), title, m_sidebar);
        const int n = m_sidebar->count();
        item->setToolTip(tr("%1 (Ctrl+%2)").arg(title).arg(n % 10));
        item->setSizeHint(QSize(0, 36));
        m_stack->addWidget(page);
    };
    m_dashboardPage = new DashboardPage(m_controller, m_stack);
    add("dashboard", tr("Dashboard"), m_dashboardPage);
    m_apisPage = new ApisPage(m_apiModel, m_controller, document(), m_stack);
    add("apis", tr("APIs"), m_apisPage);
    auto* services = new ServicesPage(m_serviceModel, document(), m_stack);
    add("services", tr("Services"), services);
    auto* consumers = new ConsumersPage(document(), m_consumerModel, m_stack);
    connect(consumers, &ConsumersPage::editPermissionsRequested, this, [this] { showPage(Permissions); });
    add("consumers", tr("Consumers"), consumers);
    auto* plans = new PlansPage(document(), m_planModel, m_stack);
    connect(plans, &PlansPage::editPermissionsRequested, this, [this] { showPage(Permissions); });
    add("plans", tr("Plans"), plans);
    add("permissions", tr("Permissions"), new PermissionsPage(m_workspace.document(), m_stack));
    m_whyPage = new WhyPage(m_controller, m_stack);
    add("why", tr("Why?"), m_whyPage);
    m_trafficPage = new TrafficPage(m_controller, m_stack);
    add("traffic", tr("Traffic"), m_trafficPage);
    m_reportsPage = new ReportsPage(m_controller, m_stack);
    add("reports", tr("Reports"), m_reportsPage);
    auto* settings = new SettingsPage(document(), m_stack);
    add("settings", tr("Settings"), settings);

    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    // F5 is Refresh on the Reports page, as in every report viewer, and Start everywhere else: two
    // actions on one key would make both ambiguous, so Start lets go of it there.
    connect(m_sidebar, &QListWidget::currentRowChanged, this, [this](int row) {
        m_start->setShortcut(row == Reports ? QKeySequence() : QKeySequence(Qt::Key_F5));
    });
    for (int i = 0; i < PageCount; ++i) {
        auto* go = new QAction(this);
        go->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + (i + 1) % 10)));
        connect(go, &QAction::triggered, this, [this, i] { showPage(static_cast<Page>(i)); });
        addAction(go);
    }
    m_sidebar->setCurrentRow(Apis);
}

} // namespace tollgate::ui
