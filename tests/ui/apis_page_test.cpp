// The APIs page edits what it shows: general fields, accepted credentials, routes with their
// methods (added, moved, removed, methods ticked in the table), new and copied APIs, each an
// undoable edit; save and reload give the same config, and the path tester stays in sight.

#include "document/config_document.h"
#include "page_editing_support.h"
#include "pages/apis_page.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

#include <algorithm>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

// Routes table columns: name, path, then one per method in httpMethods() order.
int methodColumn(const QString& method) {
    return 2 + int(httpMethods().indexOf(method));
}

bool hasMethod(const RouteConfig& route, const char* method) {
    return std::find(route.methods.begin(), route.methods.end(), std::string(method)) != route.methods.end();
}

} // namespace

class ApisPageTest : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::DemoWindow> m_demo;
    MainWindow* m_window = nullptr;
    ApisPage* m_page = nullptr;

    ConfigDocument* doc() { return m_demo->doc(); }
    template <typename T> T* field(const QString& key) { return test::field<T>(m_page, key); }

private slots:
    void initTestCase() { test::useTestLocations(); }

    void init() {
        m_demo = std::make_unique<test::DemoWindow>(MainWindow::Apis);
        m_window = m_demo->window.get();
        m_page = m_demo->page<ApisPage>();
        QVERIFY(m_page);
    }

    void cleanup() { m_demo.reset(); }

    void showsTheSelectedApiAndItsRoutes() {
        QCOMPARE(m_page->currentItem(), 0);
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->text(), QStringLiteral("orders"));
        QCOMPARE(field<QLineEdit>(QStringLiteral("base_path"))->text(), QStringLiteral("/orders/v1"));
        QCOMPARE(field<QComboBox>(QStringLiteral("service"))->currentText(), QStringLiteral("echo"));
        QVERIFY(m_page->authCheck(QStringLiteral("key"))->isChecked());
        QVERIFY(m_page->authCheck(QStringLiteral("jwt"))->isChecked());
        QVERIFY(!m_page->authCheck(QStringLiteral("mtls"))->isChecked());
        QTableWidget* routes = m_page->routes()->table();
        QCOMPARE(routes->rowCount(), 4);
        QCOMPARE(routes->item(3, 0)->text(), QStringLiteral("admin"));
        QCOMPARE(routes->item(3, methodColumn(QStringLiteral("DELETE")))->checkState(), Qt::Checked);
        QCOMPARE(routes->item(3, methodColumn(QStringLiteral("PUT")))->checkState(), Qt::Unchecked);
        QVERIFY(m_page->resultLabel()->isVisible()); // the path tester is still on the page

        m_page->selectItem(1);
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->text(), QStringLiteral("inventory"));
        QCOMPARE(field<QComboBox>(QStringLiteral("lifecycle"))->currentText(), QStringLiteral("deprecated"));
        QCOMPARE(field<QLineEdit>(QStringLiteral("sunset"))->text(), QStringLiteral("2027-06-30"));
        QCOMPARE(m_page->routes()->table()->rowCount(), 3);
    }

    void routesAndCredentials_editedInTheForm_saveReloadUndo() {
        const std::string original = doc()->text();
        QTableWidget* routes = m_page->routes()->table();

        // Tick POST on "list": it overlaps "create" (POST /), which the loader says under the table.
        test::toggleCell(routes, 0, methodColumn(QStringLiteral("POST")));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].routes[0].methods[1]")), QStringLiteral("POST"));
        QVERIFY(test::messageUnder(m_page->routes()).contains(QStringLiteral("overlaps")));
        QVERIFY(!m_window->action(QStringLiteral("apply"))->isEnabled());
        test::toggleCell(routes, 0, methodColumn(QStringLiteral("POST")));
        QVERIFY(test::messageUnder(m_page->routes()).isEmpty());
        // PUT instead; untick GET on "get", tick PATCH.
        test::toggleCell(routes, 0, methodColumn(QStringLiteral("PUT")));
        QCOMPARE(doc()->node(QStringLiteral("apis[0].routes[0].methods")).size(), size_t(2));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].routes[0].methods[1]")), QStringLiteral("PUT"));
        test::toggleCell(routes, 1, methodColumn(QStringLiteral("GET")));
        QCOMPARE(doc()->node(QStringLiteral("apis[0].routes[1].methods")).size(), size_t(0));
        test::toggleCell(routes, 1, methodColumn(QStringLiteral("PATCH")));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].routes[1].methods[0]")), QStringLiteral("PATCH"));

        // A new route, renamed and given a path, moved up above "admin", then an old one removed.
        QTest::mouseClick(m_page->routes()->addButton(), Qt::LeftButton);
        QCOMPARE(routes->rowCount(), 5);
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].routes[4].name")), QStringLiteral("route-2"));
        QVERIFY2(doc()->isValid(), qPrintable(doc()->problemTexts().join('\n')));
        QVERIFY(test::typeInCell(routes, 4, 0, QStringLiteral("search")));
        QVERIFY(test::typeInCell(routes, 4, 1, QStringLiteral("/search/{term}")));
        QCOMPARE(routes->currentRow(), 4);
        QTest::mouseClick(m_page->routes()->upButton(), Qt::LeftButton);
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].routes[3].name")), QStringLiteral("search"));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].routes[4].name")), QStringLiteral("admin"));
        QCOMPARE(routes->currentRow(), 3);

        // A bad pattern: the cell and the line under the table say why.
        QVERIFY(test::typeInCell(routes, 3, 1, QStringLiteral("/a/*/b")));
        QVERIFY(test::messageUnder(m_page->routes()).contains(QStringLiteral("'*'")));
        QVERIFY(routes->item(3, 1)->toolTip().contains(QStringLiteral("'*'")));
        QVERIFY(!m_window->action(QStringLiteral("apply"))->isEnabled());
        QVERIFY(test::typeInCell(routes, 3, 1, QStringLiteral("/search/{term}")));
        QVERIFY(test::messageUnder(m_page->routes()).isEmpty());

        // Another new route, removed again (the others are named by grants).
        QTest::mouseClick(m_page->routes()->addButton(), Qt::LeftButton);
        QCOMPARE(routes->rowCount(), 6);
        QCOMPARE(routes->currentRow(), 5);
        QTest::mouseClick(m_page->routes()->removeButton(), Qt::LeftButton);
        QCOMPARE(routes->rowCount(), 5);

        // Credentials: mTLS on, JWT off.
        test::clickCheck(m_page->authCheck(QStringLiteral("mtls")));
        test::clickCheck(m_page->authCheck(QStringLiteral("jwt")));
        QCOMPARE(doc()->node(QStringLiteral("apis[0].auth")).size(), size_t(2));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].auth[1]")), QStringLiteral("mtls"));

        // General fields.
        test::retype(field<QLineEdit>(QStringLiteral("version")), QStringLiteral("v2"));
        test::retype(field<QLineEdit>(QStringLiteral("base_path")), QStringLiteral("/orders/v2"));
        auto* lifecycle = field<QComboBox>(QStringLiteral("lifecycle"));
        lifecycle->setFocus();
        QTest::keyClick(lifecycle, Qt::Key_End);
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].lifecycle")), QStringLiteral("retired"));
        auto* sunset = field<QLineEdit>(QStringLiteral("sunset"));
        test::retype(sunset, QStringLiteral("2027-02-30"));
        QVERIFY(test::messageUnder(sunset).contains(QStringLiteral("invalid date")));
        test::retype(sunset, QStringLiteral("2027-02-28"));
        QVERIFY(test::messageUnder(sunset).isEmpty());
        test::clickCheck(field<QCheckBox>(QStringLiteral("strip_base_path")));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].strip_base_path")), QStringLiteral("false"));
        QVERIFY2(doc()->isValid(), qPrintable(doc()->problemTexts().join('\n')));

        QVERIFY(m_window->saveDocument());
        const std::string edited = doc()->text();
        const auto saved = test::loadShared(doc()->path());
        const ApiConfig& api = saved->apis[0];
        QCOMPARE(api.version, std::string("v2"));
        QCOMPARE(api.basePath, std::string("/orders/v2"));
        QCOMPARE(api.lifecycle, Lifecycle::Retired);
        QCOMPARE(api.sunset, std::string("2027-02-28"));
        QVERIFY(!api.stripBasePath);
        QCOMPARE(api.auth, (std::vector<std::string>{"key", "mtls"}));
        QCOMPARE(api.routes.size(), size_t(5));
        QVERIFY(hasMethod(api.routes[0], "GET") && hasMethod(api.routes[0], "PUT"));
        QCOMPARE(api.routes[1].methods, std::vector<std::string>{"PATCH"});
        QCOMPARE(api.routes[2].name, std::string("create"));
        QCOMPARE(api.routes[3].name, std::string("search"));
        QCOMPARE(api.routes[3].path, std::string("/search/{term}"));
        QCOMPARE(api.routes[4].name, std::string("admin"));

        ConfigDocument reread;
        QVERIFY(reread.load(doc()->path()));
        QCOMPARE(reread.text(), edited);
        test::undoAll(doc()->undoStack());
        QCOMPARE(doc()->text(), original);
        QCOMPARE(routes->rowCount(), 4);
        QCOMPARE(routes->item(3, 0)->text(), QStringLiteral("admin"));
        test::redoAll(doc()->undoStack());
        QCOMPARE(doc()->text(), edited);
        QCOMPARE(routes->rowCount(), 5);
        QCOMPARE(routes->item(3, 0)->text(), QStringLiteral("search"));
    }

    void newAndDuplicate_stayValid_deleteAsks() {
        QTest::mouseClick(m_page->newButton(), Qt::LeftButton);
        QCOMPARE(m_page->currentItem(), 2);
        QCOMPARE(doc()->scalar(QStringLiteral("apis[2].name")), QStringLiteral("api-2"));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[2].service")), QStringLiteral("echo"));
        QCOMPARE(field<QComboBox>(QStringLiteral("service"))->currentText(), QStringLiteral("echo"));
        QVERIFY2(doc()->isValid(), qPrintable(doc()->problemTexts().join('\n')));

        m_page->selectItem(0);
        QTest::mouseClick(m_page->duplicateButton(), Qt::LeftButton);
        QCOMPARE(m_page->currentItem(), 3);
        QCOMPARE(doc()->scalar(QStringLiteral("apis[3].name")), QStringLiteral("orders-2"));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[3].base_path")), QStringLiteral("/orders-2/v1"));
        QCOMPARE(doc()->node(QStringLiteral("apis[3].routes")).size(), size_t(4));
        QVERIFY2(doc()->isValid(), qPrintable(doc()->problemTexts().join('\n')));
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->text(), QStringLiteral("orders-2"));

        // Every credential type off: the key goes, and the loader's warning shows on the form.
        for (const char* type : {"key", "jwt"}) {
            test::clickCheck(m_page->authCheck(QLatin1String(type)));
        }
        QVERIFY(!doc()->node(QStringLiteral("apis[3].auth")).IsDefined());
        QVERIFY(!m_page->itemMessage()->isHidden());
        QVERIFY(m_page->itemMessage()->text().contains(QStringLiteral("no credential type")));

        m_page->selectItem(0);
        QTest::mouseClick(m_page->deleteButton(), Qt::LeftButton);
        QVERIFY(test::answerConfirmation(true).contains(QStringLiteral("acme")));
        QCOMPARE(doc()->node(QStringLiteral("apis")).size(), size_t(3));
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].name")), QStringLiteral("inventory"));
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->text(), QStringLiteral("inventory"));
        doc()->undoStack()->undo();
        QCOMPARE(doc()->scalar(QStringLiteral("apis[0].name")), QStringLiteral("orders"));
    }
};

QTEST_MAIN(ApisPageTest)
#include "apis_page_test.moc"
