#include "screenshot_tour.h"

#include "bridge/engine_controller.h"
#include "dialogs/new_key_dialog.h"
#include "document/config_document.h"
#include "main_window.h"
#include "notice_bar.h"
#include "pages/apis_page.h"
#include "pages/consumers_page.h"
#include "pages/traffic_page.h"
#include "pages/why_page.h"
#include "replay/replay_dialog.h"
#include "widgets/consumer_credentials_editor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>

#include <memory>

namespace tollgate::ui {
namespace {

struct Tour : std::enable_shared_from_this<Tour> {
    MainWindow* window;
    QDir dir;
    std::function<void(int)> done;
    int written = 0;
    int page = 0;
    bool triedFreePort = false;
    QElapsedTimer clock;
    QNetworkAccessManager* net = nullptr;

    void later(int ms, void (Tour::*step)()) {
        QTimer::singleShot(ms, window, [self = shared_from_this(), step] { ((*self).*step)(); });
    }

    void waitForGateway() {
        const GatewayState s = window->controller()->state();
        if (s == GatewayState::Running && !window->gatewayUrl().isEmpty()) {
            sendRequests();
            return;
        }
        if (s == GatewayState::Failed && !triedFreePort && !window->notice()->actionButtons().isEmpty()) {
            triedFreePort = true; // the demo's port is taken: take the offer, as a user would
            window->notice()->actionButtons().first()->click();
        }
        if (clock.elapsed() > 15000) {
            shootPages(); // pictures of a stopped gateway are still pictures
            return;
        }
        later(100, &Tour::waitForGateway);
    }

    void sendRequests() {
        net = new QNetworkAccessManager(window);
        struct Call {
            const char* method;
            const char* path;
            const char* key;
        };
        static const Call calls[] = {
            {"GET", "/orders/v1/42", "demo-key-acme"},
            {"GET", "/orders/v1/", "demo-key-acme"},
            {"POST", "/orders/v1/", "demo-key-acme"},
            {"DELETE", "/orders/v1/admin/x", "demo-key-acme"},
            {"GET", "/orders/v1/7", nullptr},
            {"GET", "/inventory/v1/items", "demo-key-globex"},
            {"GET", "/inventory/v1/items", "demo-key-umbrella"},
            {"GET", "/nowhere", nullptr},
        };
        auto pending = std::make_shared<int>(int(std::size(calls)));
        for (const Call& c : calls) {
            QNetworkRequest request(QUrl(window->gatewayUrl() + QLatin1String(c.path)));
            if (c.key) {
                request.setRawHeader("apikey", c.key);
            }
            QNetworkReply* reply = net->sendCustomRequest(request, c.method);
            QObject::connect(reply, &QNetworkReply::finished, window,
                             [self = shared_from_this(), reply, pending] {
                                 reply->deleteLater();
                                 if (--*pending == 0) {
                                     // The simulator brings the dashboard and the traffic table to life
                                     // first.
                                     self->window->startSimulation(25);
                                     self->later(8000, &Tour::shootPages);
                                 }
                             });
        }
    }

    void shootPages() {
        if (page >= MainWindow::PageCount) {
            window->showPage(MainWindow::Why);
            window->whyPage()->ask(QStringLiteral("acme"), QStringLiteral("GET"),
                                   QStringLiteral("/orders/v1/42"));
            later(600, &Tour::shootAllowedWhy);
            return;
        }
        const auto p = static_cast<MainWindow::Page>(page);
        window->showPage(p);
        if (p == MainWindow::Apis) {
            window->apisPage()->testPath(QStringLiteral("GET"), QStringLiteral("/orders/v1/42"));
        } else if (p == MainWindow::Traffic) {
            selectRefusedRequest();
        } else if (p == MainWindow::Consumers || p == MainWindow::Plans) {
            // An editing page shows its form with the first item in it.
            qobject_cast<EditableListPage*>(window->page(p))->selectItem(0);
        } else if (p == MainWindow::Why) {
            window->whyPage()->ask(QStringLiteral("acme"), QStringLiteral("DELETE"),
                                   QStringLiteral("/orders/v1/admin/x"));
        }
        later(600, &Tour::savePage);
    }

    // The detail pane at its most useful: a refused request and the reason for it.
    void selectRefusedRequest() {
        TrafficPage* traffic = window->trafficPage();
        for (int row = traffic->model()->rowCount() - 1; row >= 0; --row) {
            const std::optional<TrafficRow> r = traffic->model()->rowAt(row);
            if (r->status == 403 || r->status == 429) {
                traffic->view()->selectRow(row);
                traffic->view()->scrollTo(traffic->model()->index(row, 0));
                return;
            }
        }
    }

    void savePage() {
        const auto p = static_cast<MainWindow::Page>(page);
        QString name = window->pageTitle(p).toLower().remove(QLatin1Char('?'));
        save(QStringLiteral("%1-%2.png").arg(page + 1, 2, 10, QLatin1Char('0')).arg(name));
        ++page;
        shootPages();
    }

    void shootAllowedWhy() {
        save(QStringLiteral("%1-why-allowed.png").arg(MainWindow::Why + 1, 2, 10, QLatin1Char('0')));
        window->showPage(MainWindow::Consumers);
        qobject_cast<ConsumersPage*>(window->page(MainWindow::Consumers))
            ->credentials()
            ->newKeyButton()
            ->click();
        later(600, &Tour::shootNewKey);
    }

    void shootNewKey() {
        if (auto* dialog = window->findChild<NewKeyDialog*>()) {
            if (dialog->grab().save(
                    dir.filePath(QStringLiteral("%1-consumers-new-key.png")
                                     .arg(MainWindow::Consumers + 1, 2, 10, QLatin1Char('0'))))) {
                ++written;
            }
            dialog->close();
            window->document()->undoStack()->undo(); // the demo keeps its keys
        }
        // Replay of the tour's first request (acme's GET), its headers fetched on selection.
        window->showPage(MainWindow::Traffic);
        TrafficPage* traffic = window->trafficPage();
        for (int row = 0; row < traffic->model()->rowCount(); ++row) {
            const std::optional<TrafficRow> r = traffic->model()->rowAt(row);
            if (r->status == 200 && r->path == QLatin1String("/orders/v1/42")) {
                traffic->view()->selectRow(row);
                break;
            }
        }
        later(600, &Tour::sendReplay);
    }

    void sendReplay() {
        if (ReplayDialog* dialog = window->trafficPage()->openReplay()) {
            if (dialog->credentialField()) {
                dialog->credentialField()->setText(QStringLiteral("demo-key-acme"));
            }
            dialog->send();
        }
        later(1000, &Tour::shootReplay);
    }

    void shootReplay() {
        if (ReplayDialog* dialog = window->trafficPage()->replayDialog()) {
            if (dialog->grab().save(
                    dir.filePath(QStringLiteral("%1-traffic-replay.png")
                                     .arg(MainWindow::Traffic + 1, 2, 10, QLatin1Char('0'))))) {
                ++written;
            }
            dialog->close();
        }
        window->stopSimulation();
        done(written);
    }

    void save(const QString& file) {
        if (window->grab().save(dir.filePath(file))) {
            ++written;
        }
    }
};

} // namespace

void runScreenshotTour(MainWindow* window, const QString& dir, std::function<void(int)> done) {
    if (!QDir().mkpath(dir)) {
        done(-1);
        return;
    }
    auto tour = std::make_shared<Tour>();
    tour->window = window;
    tour->dir = QDir(dir);
    tour->done = std::move(done);
    tour->clock.start();
    tour->later(300, &Tour::waitForGateway);
}

} // namespace tollgate::ui
