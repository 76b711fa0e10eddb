#pragma once
// The console's window: a sidebar of pages, the gateway's controls and address in the toolbar, its
// state in the status bar. It wires the workspace, the engine controller, the models and the pages;
// the logic lives in those.

#include "bridge/engine_types.h"
#include "bridge/gateway_state.h"
#include "workspace/workspace.h"

#include <QMainWindow>

#include <map>
#include <memory>
#include <optional>
#include <string>

class QAction;
class QCloseEvent;
class QLabel;
class QListWidget;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace tollgate::ui {

class ApiTreeModel;
class ConfigDocument;
class ApisPage;
class ConsumerTableModel;
class EngineController;
class NoticeBar;
class PlanTableModel;
class ServiceTreeModel;
class DashboardPage;
class StallProbe;
class StatusPanel;
class TrafficSimulator;
class ReportsPage;
class TrafficPage;
class WhyPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Page {
        Dashboard,
        Apis,
        Services,
        Consumers,
        Plans,
        Permissions,
        Why,
        Traffic,
        Reports,
        Settings,
        PageCount
    };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads the file into the pages; starts the gateway when asked and the file is valid.
    bool openWorkspace(const QString& path, bool startGateway);

    void showPage(Page page);
    Page currentPage() const;
    QWidget* page(Page page) const;
    QString pageTitle(Page page) const;

    EngineController* controller() const { return m_controller; }
    const Workspace& workspace() const { return m_workspace; }
    NoticeBar* notice() const { return m_notice; }
    ApisPage* apisPage() const { return m_apisPage; }
    WhyPage* whyPage() const { return m_whyPage; }
    TrafficPage* trafficPage() const { return m_trafficPage; }
    DashboardPage* dashboardPage() const { return m_dashboardPage; }
    ReportsPage* reportsPage() const { return m_reportsPage; }
    // The first listener's URL when running, "" otherwise.
    QString gatewayUrl() const { return m_url; }
    // "start", "stop", "restart", "copyUrl", "open", "save", "undo", "redo", "apply", "reload"
    QAction* action(const QString& name) const;
    ConfigDocument* document() { return m_workspace.document(); }

    // Apply: validates the edits, shows what changes in an ApplyDialog (a child of this window, open
    // until answered) and hands the config to the engine when accepted. False when there is nothing
    // valid to apply.
    bool applyEdits();
    // Save: writes the workspace file atomically. False (and says why) when it could not.
    bool saveDocument();
    // Reload: reads the file again, dropping unsaved edits and the undo history.
    void reloadDocument();

    // Tools > Simulate traffic: gives each consumer a key for this session (in the engine's config
    // only), starts the gateway if needed, then sends `rate` requests per second through it.
    void startSimulation(double rate);
    void stopSimulation();
    TrafficSimulator* simulator() const { return m_simulator.get(); }
    StallProbe* stallProbe() const { return m_stallProbe; }
    // Whether simulating also runs the stall probe (on unless measuring the console's CPU without it).
    void setStallProbeWanted(bool wanted) { m_stallProbeWanted = wanted; }
    // "traffic" -> Traffic (the sidebar titles, any case); nullopt when none is called that.
    std::optional<Page> pageNamed(const QString& name) const;

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildEditActions();
    void onDocumentChanged();
    void onChangedOnDisk();
    void updateTitle();
    void buildSimulation();
    void launchSimulator();
    void showSimulation();
    // The workspace's config as the engine should run it: with this session's simulation keys.
    std::shared_ptr<const Config> engineConfig() const;
    void buildToolBar();
    void buildPages();
    void loadModels();
    void updateActions();
    void onStateChanged(GatewayState state, const QString& message);
    void onStatus(const EngineStatus& status);
    void onAddressInUse(const QString& address, quint16 freePort);
    void useFreePort(quint16 taken, quint16 freePort);
    void chooseWorkspace();
    void copyUrl();
    void showUrl();

    Workspace m_workspace;
    EngineController* m_controller;
    ApiTreeModel* m_apiModel;
    ServiceTreeModel* m_serviceModel;
    ConsumerTableModel* m_consumerModel;
    PlanTableModel* m_planModel;

    QListWidget* m_sidebar = nullptr;
    QStackedWidget* m_stack = nullptr;
    NoticeBar* m_notice = nullptr;
    StatusPanel* m_statusPanel = nullptr;
    ApisPage* m_apisPage = nullptr;
    WhyPage* m_whyPage = nullptr;
    TrafficPage* m_trafficPage = nullptr;
    DashboardPage* m_dashboardPage = nullptr;
    ReportsPage* m_reportsPage = nullptr;
    QLabel* m_urlLabel = nullptr;
    QToolButton* m_copyButton = nullptr;
    QLabel* m_workspaceLabel = nullptr;
    QAction* m_open = nullptr;
    QAction* m_start = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_restart = nullptr;
    QAction* m_copyUrl = nullptr;
    QAction* m_save = nullptr;
    QAction* m_undo = nullptr;
    QAction* m_redo = nullptr;
    QAction* m_apply = nullptr;
    QAction* m_reload = nullptr;
    QString m_url;
    QAction* m_simulate = nullptr;
    std::unique_ptr<TrafficSimulator> m_simulator;
    std::map<std::string, std::string> m_simulationHashes; // consumer -> session key hash
    std::map<std::string, std::string> m_simulationKeys;   // consumer -> session key (memory only)
    double m_simulationRate = 0;
    bool m_simulationWaitsForGateway = false;
    StallProbe* m_stallProbe = nullptr;
    bool m_stallProbeWanted = true;
    QTimer* m_simulationTimer = nullptr;
    bool m_opening = false;            // openWorkspace() is loading: it reports problems itself
    bool m_showingEditProblem = false; // the notice shows an invalid edit, to hide once fixed
};

} // namespace tollgate::ui
