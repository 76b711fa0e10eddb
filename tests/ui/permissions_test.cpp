// The Permissions page over the demo workspace: the matrix shows what the gateway enforces (every
// consumer cell checked against the core's explain()), and clicks and block edits in the view
// become compact grants and denies in the document, one undo step each, that save and reload.

#include "document/config_document.h"
#include "main_window.h"
#include "models/permission_matrix_model.h"
#include "pages/permissions_page.h"
#include "tollgate/explain.h"
#include "ui_test_support.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTreeView>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;
using Subjects = PermissionMatrixModel::Subjects;

namespace {

// Demo APIs and routes, by config index.
constexpr int kOrders = 0;
constexpr int kInventory = 1;
constexpr int kList = 0, kGet = 1, kCreate = 2, kAdmin = 3;
constexpr int kRestock = 2;

// A path the route's pattern matches: "/orders/v1/{id}" -> "/orders/v1/1", "/admin/*" -> "/admin/x".
std::string concretePath(const ApiConfig& api, const RouteConfig& route) {
    std::string base = api.basePath;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    std::string out;
    std::string path = base + route.path;
    for (size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '{') {
            out += '1';
            i = path.find('}', i);
        } else if (path[i] == '*') {
            out += 'x';
        } else {
            out += path[i];
        }
    }
    return out;
}

ExplainQuery query(const std::string& consumer, const std::string& method, const std::string& path) {
    ExplainQuery q;
    q.consumer = consumer;
    q.method = method;
    q.path = path;
    return q;
}

// What explain() says about one method, in the matrix's terms.
PermissionState explained(const Config& config, const std::string& consumer, const std::string& method,
                          const std::string& path, QString* reason) {
    const ExplainResult r = explain(config, query(consumer, method, path));
    *reason = QString::fromStdString(r.reason);
    if (r.reason == "deny.explicit") {
        return PermissionState::Denied;
    }
    if (r.status != 200) {
        return PermissionState::None;
    }
    for (const std::string& step : r.chain) {
        const size_t by = step.find("is granted by ");
        if (by != std::string::npos) {
            return step.find("consumer", by) != std::string::npos ? PermissionState::Granted
                                                                  : PermissionState::Inherited;
        }
    }
    return PermissionState::None;
}

// Every chip of every active consumer against explain(); the number of chips compared.
int compareWithExplain(const PermissionMatrixModel& model, const Config& config) {
    int compared = 0;
    for (const ConsumerConfig& consumer : config.consumers) {
        const int column = model.subjectColumn(QString::fromStdString(consumer.name));
        if (column < 0) {
            qWarning("no column for %s", consumer.name.c_str());
            return -1;
        }
        for (size_t a = 0; a < config.apis.size(); ++a) {
            for (size_t r = 0; r < config.apis[a].routes.size(); ++r) {
                const std::string path = concretePath(config.apis[a], config.apis[a].routes[r]);
                for (const MethodChip& chip : model.chips(model.routeIndex(int(a), int(r), column))) {
                    // GET's chip stands for HEAD too: both must agree with it.
                    QStringList methods{chip.label};
                    if (chip.label == QLatin1String("GET")) {
                        methods << QStringLiteral("HEAD");
                    }
                    for (const QString& m : methods) {
                        QString reason;
                        const PermissionState want =
                            explained(config, consumer.name, m.toStdString(), path, &reason);
                        if (consumer.status == ConsumerConfig::Status::Suspended) {
                            if (reason != QLatin1String("consumer.suspended")) {
                                qWarning("%s: expected consumer.suspended, got %s", consumer.name.c_str(),
                                         qPrintable(reason));
                                return -1;
                            }
                            continue;
                        }
                        if (chip.state != want) {
                            qWarning("%s %s %s: matrix %d, explain %d (%s)", consumer.name.c_str(),
                                     qPrintable(m), path.c_str(), int(chip.state), int(want),
                                     qPrintable(reason));
                            return -1;
                        }
                        ++compared;
                    }
                }
            }
        }
    }
    return compared;
}

QStringList states(const PermissionMatrixModel& model, int api, int route, const QString& subject) {
    QStringList out;
    for (const MethodChip& chip : model.chips(model.routeIndex(api, route, model.subjectColumn(subject)))) {
        const char* names[] = {"none", "inherited", "granted", "denied", "partial"};
        out << chip.label + QLatin1Char('=') + QLatin1String(names[int(chip.state)]);
    }
    return out;
}

// The grants list at `keyPath` as flow text, "" when the key is absent.
QString grantsText(const ConfigDocument& doc, const QString& keyPath) {
    const YAML::Node node = doc.node(keyPath);
    if (!node.IsDefined() || node.IsNull()) {
        return {};
    }
    YAML::Emitter out;
    out.SetMapFormat(YAML::Flow);
    out.SetSeqFormat(YAML::Flow);
    out << node;
    return QString::fromUtf8(out.c_str());
}

struct Fixture {
    QTemporaryDir dir;
    QString path;
    ConfigDocument doc;
    std::unique_ptr<PermissionsPage> page;

    bool open() {
        path = test::writeDemoWorkspace(dir, 0);
        if (!doc.load(path)) {
            return false;
        }
        page = std::make_unique<PermissionsPage>(&doc);
        page->resize(1200, 760);
        page->show();
        return QTest::qWaitForWindowExposed(page.get());
    }

    // A plain click on the chip of `method` in a route cell, as a user does it.
    bool clickChip(int api, int route, const QString& subject, const QString& method) {
        const QModelIndex cell = page->cell(api, route, subject);
        page->view()->scrollTo(cell);
        const auto chips = cell.data(PermissionMatrixModel::ChipsRole).value<QList<MethodChip>>();
        for (int i = 0; i < chips.size(); ++i) {
            if (chips[i].label == method) {
                const QRect r = page->chipRect(cell, i);
                if (r.isEmpty() || !page->view()->viewport()->rect().contains(r)) {
                    return false;
                }
                QTest::mouseClick(page->view()->viewport(), Qt::LeftButton, {}, r.center());
                return true;
            }
        }
        return false;
    }

    // A click beside the chips (selects without toggling), with `modifiers` (Shift extends).
    bool clickCell(const QModelIndex& cell, Qt::KeyboardModifiers modifiers = {}) {
        page->view()->scrollTo(cell);
        const QRect r = page->view()->visualRect(cell);
        if (r.isEmpty()) {
            return false;
        }
        QTest::mouseClick(page->view()->viewport(), Qt::LeftButton, modifiers,
                          QPoint(r.right() - 3, r.center().y()));
        return true;
    }
};

} // namespace

class PermissionsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void model_passesTheTesterThroughEditsAndSwitches() {
        QTemporaryDir dir;
        ConfigDocument doc;
        QVERIFY(doc.load(test::writeDemoWorkspace(dir, 0)));
        PermissionMatrixModel model(&doc);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.rowCount(model.index(kOrders, 0)), 4);
        QCOMPARE(model.columnCount(), PermissionMatrixModel::FirstSubjectColumn + 4);
        QCOMPARE(model.index(kOrders, 0).data().toString(), QStringLiteral("orders v1"));
        QCOMPARE(model.routeIndex(kOrders, kGet, PermissionMatrixModel::PathColumn).data().toString(),
                 QStringLiteral("/{id}"));
        QCOMPARE(model.routeIndex(kOrders, kGet, PermissionMatrixModel::PathColumn)
                     .data(Qt::ToolTipRole)
                     .toString(),
                 QStringLiteral("/orders/v1/{id}"));
        QCOMPARE(model.headerData(model.subjectColumn(QStringLiteral("umbrella")), Qt::Horizontal).toString(),
                 QStringLiteral("umbrella\nfree, suspended"));
        // The API row sums up its routes: acme may call 3 of the 4 orders routes, one with a deny.
        QCOMPARE(model.index(kOrders, model.subjectColumn(QStringLiteral("acme"))).data().toString(),
                 QStringLiteral("3 of 4 routes · 1 with denies"));
        QVERIFY(
            model.apply({model.routeIndex(kOrders, kAdmin, model.subjectColumn(QStringLiteral("globex")))},
                        PermissionMatrixModel::Action::Grant));
        model.setSubjects(Subjects::Plans);
        QCOMPARE(model.columnCount(), PermissionMatrixModel::FirstSubjectColumn + 3);
        QCOMPARE(model.headerData(model.subjectColumn(QStringLiteral("free")), Qt::Horizontal).toString(),
                 QStringLiteral("free\n2 consumers"));
        doc.undoStack()->undo();
        doc.undoStack()->redo();
        model.setSubjects(Subjects::Consumers);
    }

    void consumerCells_matchTheGatewaysExplain() {
        QTemporaryDir dir;
        ConfigDocument doc;
        QVERIFY(doc.load(test::writeDemoWorkspace(dir, 0)));
        PermissionMatrixModel model(&doc);
        // The demo's interesting cells, spelled out.
        QCOMPARE(states(model, kOrders, kCreate, QStringLiteral("acme")), QStringList{"POST=granted"});
        QCOMPARE(states(model, kOrders, kGet, QStringLiteral("acme")), QStringList{"GET=inherited"});
        QCOMPARE(states(model, kOrders, kAdmin, QStringLiteral("acme")),
                 (QStringList{"GET=denied", "POST=denied", "DELETE=denied"}));
        QCOMPARE(states(model, kOrders, kAdmin, QStringLiteral("initech")),
                 (QStringList{"GET=inherited", "POST=inherited", "DELETE=denied"}));
        QCOMPARE(states(model, kInventory, kRestock, QStringLiteral("acme")), QStringList{"POST=none"});
        // And every chip of every consumer, HEAD included, against explain().
        QCOMPARE(compareWithExplain(model, *doc.config()), 42);
    }

    void clickingAConsumerChip_cyclesGrantDenyClear() {
        Fixture f;
        QVERIFY(f.open());
        QSignalSpy undoSteps(f.doc.undoStack(), &QUndoStack::indexChanged);
        const QString g = QStringLiteral("consumers[1].grants");
        const QString d = QStringLiteral("consumers[1].denies");
        QCOMPARE(states(*f.page->model(), kOrders, kAdmin, "globex"),
                 (QStringList{"GET=none", "POST=none", "DELETE=none"}));
        QVERIFY(f.clickChip(kOrders, kAdmin, QStringLiteral("globex"), QStringLiteral("GET")));
        QCOMPARE(grantsText(f.doc, g), QStringLiteral("[{api: orders, routes: [admin], methods: [GET]}]"));
        QVERIFY(f.clickChip(kOrders, kAdmin, QStringLiteral("globex"), QStringLiteral("GET")));
        QCOMPARE(grantsText(f.doc, g), QString());
        QCOMPARE(grantsText(f.doc, d), QStringLiteral("[{api: orders, routes: [admin], methods: [GET]}]"));
        QCOMPARE(states(*f.page->model(), kOrders, kAdmin, "globex"),
                 (QStringList{"GET=denied", "POST=none", "DELETE=none"}));
        QVERIFY(f.clickChip(kOrders, kAdmin, QStringLiteral("globex"), QStringLiteral("GET")));
        QCOMPARE(grantsText(f.doc, d), QString());
        QCOMPARE(undoSteps.count(), 3);
        QVERIFY(f.doc.isValid());

        // An inherited method: a click denies it, the next gives it back to the plan.
        QVERIFY(f.clickChip(kOrders, kGet, QStringLiteral("acme"), QStringLiteral("GET")));
        QCOMPARE(grantsText(f.doc, QStringLiteral("consumers[0].denies")),
                 QStringLiteral("[{api: orders, routes: [get, admin]}]"));
        QVERIFY(compareWithExplain(*f.page->model(), *f.doc.config()) > 0);

        // Undo walks back through every click, redo forward again.
        const std::string after = f.doc.text();
        for (int i = 0; i < 4; ++i) {
            f.doc.undoStack()->undo();
        }
        QCOMPARE(grantsText(f.doc, QStringLiteral("consumers[0].denies")),
                 QStringLiteral("[{api: orders, routes: [admin]}]"));
        QCOMPARE(grantsText(f.doc, g), QString());
        QVERIFY(!f.doc.isModified());
        for (int i = 0; i < 4; ++i) {
            f.doc.undoStack()->redo();
        }
        QCOMPARE(f.doc.text(), after);
    }

    void blockGrantOnAPlan_isOneStepAndCompact() {
        Fixture f;
        QVERIFY(f.open());
        f.page->plansButton()->click();
        QCOMPARE(f.page->model()->subjects(), Subjects::Plans);
        QVERIFY(!f.page->denyButton()->isVisible());
        // free grants orders/{list,get}: select create..admin of free and of pro, then Grant.
        QVERIFY(f.clickCell(f.page->cell(kOrders, kCreate, QStringLiteral("free"))));
        QVERIFY(f.clickCell(f.page->cell(kOrders, kAdmin, QStringLiteral("pro")), Qt::ShiftModifier));
        QCOMPARE(f.page->view()->selectionModel()->selectedIndexes().size(), 4);
        QVERIFY(f.page->grantButton()->isEnabled());
        const int before = f.doc.undoStack()->count();
        f.page->grantButton()->click();
        QCOMPARE(f.doc.undoStack()->count(), before + 1);
        // The whole API is granted now: one grant with routes ["*"].
        QCOMPARE(grantsText(f.doc, QStringLiteral("plans[0].grants")),
                 QStringLiteral("[{api: orders, routes: [\"*\"]}, {api: inventory, routes: [items, item]}]"));
        QCOMPARE(grantsText(f.doc, QStringLiteral("plans[1].grants")),
                 QStringLiteral("[{api: orders, routes: [\"*\"]}, {api: inventory, routes: [\"*\"]}]"));
        // The selection survives the edit, so Remove grant takes it back in one step.
        QCOMPARE(f.page->view()->selectionModel()->selectedIndexes().size(), 4);
        f.page->clearButton()->click();
        QCOMPARE(
            grantsText(f.doc, QStringLiteral("plans[0].grants")),
            QStringLiteral("[{api: orders, routes: [list, get]}, {api: inventory, routes: [items, item]}]"));
        QCOMPARE(grantsText(f.doc, QStringLiteral("plans[1].grants")),
                 QStringLiteral("[{api: orders, routes: [list, get]}, {api: inventory, routes: [\"*\"]}]"));
        f.doc.undoStack()->undo();
        QCOMPARE(grantsText(f.doc, QStringLiteral("plans[1].grants")),
                 QStringLiteral("[{api: orders, routes: [\"*\"]}, {api: inventory, routes: [\"*\"]}]"));
        f.doc.undoStack()->undo();
        QVERIFY(!f.doc.isModified());
    }

    void narrowingAPlanGrant_splitsItByMethods() {
        Fixture f;
        QVERIFY(f.open());
        f.page->showSubjects(Subjects::Plans);
        // partner: orders ["*"] methods [GET, POST]. Taking POST off admin splits the grant.
        QVERIFY(f.clickChip(kOrders, kAdmin, QStringLiteral("partner"), QStringLiteral("POST")));
        QCOMPARE(grantsText(f.doc, QStringLiteral("plans[2].grants")),
                 QStringLiteral("[{api: orders, routes: [list, get, create]}, {api: orders, routes: [admin], "
                                "methods: [GET]}, {api: inventory, routes: [\"*\"]}]"));
        QVERIFY(f.doc.isValid());
        QCOMPARE(states(*f.page->model(), kOrders, kAdmin, "partner"),
                 (QStringList{"GET=granted", "POST=none", "DELETE=none"}));
        // The consumers of partner see it at once.
        f.page->showSubjects(Subjects::Consumers);
        QCOMPARE(states(*f.page->model(), kOrders, kAdmin, "initech"),
                 (QStringList{"GET=inherited", "POST=none", "DELETE=denied"}));
        QVERIFY(compareWithExplain(*f.page->model(), *f.doc.config()) > 0);
    }

    void blockDenyOnAnApiRow_savesAndReloads() {
        Fixture f;
        QVERIFY(f.open());
        // The inventory row of globex stands for all its routes.
        const int column = f.page->model()->subjectColumn(QStringLiteral("globex"));
        const QModelIndex apiCell =
            f.page->proxy()->mapFromSource(f.page->model()->index(kInventory, column));
        QVERIFY(f.clickCell(apiCell));
        f.page->denyButton()->click();
        QCOMPARE(grantsText(f.doc, QStringLiteral("consumers[1].denies")),
                 QStringLiteral("[{api: inventory, routes: [\"*\"]}]"));
        QCOMPARE(f.page->model()->index(kInventory, column).data().toString(),
                 QStringLiteral("no route · 3 with denies"));
        QVERIFY(compareWithExplain(*f.page->model(), *f.doc.config()) > 0);
        QVERIFY(f.doc.save());
        const auto reloaded = test::loadShared(f.path);
        QCOMPARE(reloaded->consumers[1].denies.size(), size_t(1));
        QCOMPARE(reloaded->consumers[1].denies[0].api, std::string("inventory"));
        QCOMPARE(reloaded->consumers[1].denies[0].routes, std::vector<std::string>{"*"});
        QCOMPARE(explain(*reloaded, query("globex", "GET", "/inventory/v1/items")).reason,
                 std::string("deny.explicit"));
        // The rest of the file is as it was (same config apart from globex's denies).
        QCOMPARE(reloaded->plans.size(), size_t(3));
        QCOMPARE(reloaded->consumers[0].grants[0].routes, std::vector<std::string>{"create"});
    }

    void filters_hideRowsAndColumns_andEditsKeepTheView() {
        Fixture f;
        QVERIFY(f.open());
        QTreeView* view = f.page->view();
        QTest::keyClicks(f.page->rowFilter(), QStringLiteral("restock"));
        QCOMPARE(f.page->proxy()->rowCount(), 1);
        QCOMPARE(f.page->proxy()->rowCount(f.page->proxy()->index(0, 0)), 1);
        QVERIFY(view->isExpanded(f.page->proxy()->index(0, 0)));
        f.page->rowFilter()->clear();
        QTest::keyClicks(f.page->rowFilter(), QStringLiteral("/orders/v1/{id}"));
        QCOMPARE(f.page->proxy()->rowCount(), 1);
        QCOMPARE(f.page->proxy()->index(0, 0).data().toString(), QStringLiteral("orders v1"));
        f.page->rowFilter()->clear();
        QCOMPARE(f.page->proxy()->rowCount(), 2);

        // Columns: by name, or by plan.
        QTest::keyClicks(f.page->columnFilter(), QStringLiteral("partner"));
        const PermissionMatrixModel* m = f.page->model();
        QVERIFY(!view->isColumnHidden(m->subjectColumn(QStringLiteral("initech"))));
        QVERIFY(view->isColumnHidden(m->subjectColumn(QStringLiteral("acme"))));
        QVERIFY(view->isColumnHidden(m->subjectColumn(QStringLiteral("globex"))));
        f.page->columnFilter()->clear();
        QVERIFY(!view->isColumnHidden(m->subjectColumn(QStringLiteral("acme"))));

        // A folded API stays folded, and the selection stays, across edits and undo.
        view->collapse(f.page->proxy()->index(kInventory, 0));
        QVERIFY(f.clickCell(f.page->cell(kOrders, kList, QStringLiteral("acme"))));
        QVERIFY(f.clickChip(kOrders, kCreate, QStringLiteral("globex"), QStringLiteral("POST")));
        f.doc.undoStack()->undo();
        QVERIFY(!view->isExpanded(f.page->proxy()->index(kInventory, 0)));
        QVERIFY(view->isExpanded(f.page->proxy()->index(kOrders, 0)));
        QVERIFY(view->selectionModel()->isSelected(f.page->cell(kOrders, kCreate, QStringLiteral("globex"))));
    }

    void aConfigWithErrors_isShownButNotEdited() {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.doc.setValue(QStringLiteral("consumers[1].plan"), QStringLiteral("gold"),
                               QStringLiteral("typo")));
        QVERIFY(!f.doc.isValid());
        const std::string broken = f.doc.text();
        // The matrix still shows the last valid config, but a click changes nothing.
        QCOMPARE(states(*f.page->model(), kOrders, kList, "globex"), QStringList{"GET=inherited"});
        QVERIFY(f.clickChip(kOrders, kAdmin, QStringLiteral("globex"), QStringLiteral("GET")));
        QCOMPARE(f.doc.text(), broken);
        QVERIFY(f.clickCell(f.page->cell(kOrders, kAdmin, QStringLiteral("globex"))));
        QVERIFY(!f.page->grantButton()->isEnabled());
        QVERIFY(f.page->findChild<QLabel*>(QStringLiteral("permissionsNote"))
                    ->text()
                    .contains(QStringLiteral("errors")));
        f.doc.undoStack()->undo();
        QVERIFY(f.page->grantButton()->isEnabled());
    }

    void aHeadOnlyDeny_showsGetAsPartial() {
        QTemporaryDir dir;
        ConfigDocument doc;
        QVERIFY(doc.load(test::writeDemoWorkspace(dir, 0)));
        PermissionMatrixModel model(&doc);
        YAML::Node deny;
        deny["api"] = "orders";
        deny["routes"].push_back("get");
        deny["methods"].push_back("HEAD");
        QVERIFY(doc.append(QStringLiteral("consumers[1].denies"), deny, QStringLiteral("deny HEAD")) == 0);
        QVERIFY(doc.isValid());
        QCOMPARE(states(model, kOrders, kGet, "globex"), QStringList{"GET=partial"});
        QCOMPARE(explain(*doc.config(), query("globex", "HEAD", "/orders/v1/1")).reason,
                 std::string("deny.explicit"));
        QCOMPARE(explain(*doc.config(), query("globex", "GET", "/orders/v1/1")).status, 200);
        // Clicking a partial chip with a deny in it clears the deny: the whole of GET passes again.
        QVERIFY(
            model.toggle(model.routeIndex(kOrders, kGet, model.subjectColumn(QStringLiteral("globex"))), 0));
        QCOMPARE(states(model, kOrders, kGet, "globex"), QStringList{"GET=inherited"});
        QCOMPARE(grantsText(doc, QStringLiteral("consumers[1].denies")), QString());
    }

    void theWindowShowsTheMatrix() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openWorkspace(test::writeDemoWorkspace(dir, 0), false));
        auto* page = qobject_cast<PermissionsPage*>(w.page(MainWindow::Permissions));
        QVERIFY(page);
        QCOMPARE(page->model()->rowCount(), 2);
        QVERIFY(page->model()->apply(
            {page->model()->routeIndex(kOrders, kList, page->model()->subjectColumn("acme"))},
            PermissionMatrixModel::Action::Deny));
        QVERIFY(w.action(QStringLiteral("undo"))->isEnabled());
        w.action(QStringLiteral("undo"))->trigger();
        QCOMPARE(states(*page->model(), kOrders, kList, "acme"), QStringList{"GET=inherited"});
    }
};

QTEST_MAIN(PermissionsTest)
#include "permissions_test.moc"
