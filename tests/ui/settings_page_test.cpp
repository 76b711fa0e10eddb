// The Settings page edits the gateway section and the IP rules: fields and lists typed into become
// the file's keys, a wrong value shows the loader's message and holds Apply back until fixed, and
// save, reload, undo and redo give back the same text.

#include "document/config_document.h"
#include "document/form_binder.h"
#include "page_editing_support.h"
#include "pages/settings_page.h"

#include <QAction>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

class SettingsPageTest : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::DemoWindow> m_demo;
    MainWindow* m_window = nullptr;
    SettingsPage* m_page = nullptr;

    ConfigDocument* doc() { return m_demo->doc(); }
    template <typename T> T* field(const QString& key) { return test::field<T>(m_page, key); }

private slots:
    void initTestCase() { test::useTestLocations(); }

    void init() {
        m_demo = std::make_unique<test::DemoWindow>(MainWindow::Settings);
        m_window = m_demo->window.get();
        m_page = m_demo->page<SettingsPage>();
        QVERIFY(m_page);
    }

    void cleanup() { m_demo.reset(); }

    void showsTheWorkspaceSettings() {
        QCOMPARE(m_page->list(QStringLiteral("listen"))->table()->rowCount(), 1);
        QCOMPARE(m_page->list(QStringLiteral("listen"))->table()->item(0, 0)->text(),
                 QStringLiteral("127.0.0.1:0"));
        QCOMPARE(field<QLineEdit>(QStringLiteral("limits.max_body_bytes"))->text(), QStringLiteral("1MiB"));
        QCOMPARE(field<QLineEdit>(QStringLiteral("limits.idle_timeout"))->text(), QString());
        QCOMPARE(field<QLineEdit>(QStringLiteral("limits.idle_timeout"))->placeholderText(),
                 QStringLiteral("60s (default)"));
        QCOMPARE(field<QComboBox>(QStringLiteral("workers"))->currentText(), QStringLiteral("1"));
        QCOMPARE(m_page->list(QStringLiteral("deny"))->table()->item(0, 0)->text(),
                 QStringLiteral("203.0.113.0/24"));
        QCOMPARE(m_page->list(QStringLiteral("allow"))->table()->rowCount(), 0);
    }

    void fieldsAndLists_editedInTheForm_saveReloadUndo() {
        const std::string original = doc()->text();
        test::retype(field<QLineEdit>(QStringLiteral("limits.idle_timeout")), QStringLiteral("90s"));
        test::retype(field<QLineEdit>(QStringLiteral("limits.max_uri_bytes")), QStringLiteral("16KiB"));
        test::retype(field<QComboBox>(QStringLiteral("workers"))->lineEdit(), QStringLiteral("2"));
        test::retype(field<QLineEdit>(QStringLiteral("admin.listen")), QStringLiteral("127.0.0.1:0"));
        test::retype(field<QLineEdit>(QStringLiteral("access_log")), QStringLiteral("access.jsonl"));
        test::retype(field<QLineEdit>(QStringLiteral("retention.minutes")), QStringLiteral("2d"));
        QCOMPARE(doc()->scalar(QStringLiteral("gateway.limits.idle_timeout")), QStringLiteral("90s"));
        QCOMPARE(doc()->scalar(QStringLiteral("gateway.workers")), QStringLiteral("2"));

        // A second HTTP listener, then trusted proxies and both IP rule lists.
        ListEditor* listen = m_page->list(QStringLiteral("listen"));
        QTest::mouseClick(listen->addButton(), Qt::LeftButton);
        QCOMPARE(doc()->scalar(QStringLiteral("gateway.listen[1]")), QStringLiteral("127.0.0.1:8081"));
        QVERIFY(test::typeInCell(listen->table(), 1, 0, QStringLiteral("127.0.0.1:0")));
        QCOMPARE(doc()->scalar(QStringLiteral("gateway.listen[1]")), QStringLiteral("127.0.0.1:0"));
        QTest::mouseClick(m_page->list(QStringLiteral("trusted_proxies"))->addButton(), Qt::LeftButton);
        QCOMPARE(doc()->scalar(QStringLiteral("gateway.trusted_proxies[0]")), QStringLiteral("10.0.0.0/8"));

        ListEditor* allow = m_page->list(QStringLiteral("allow"));
        QTest::mouseClick(allow->addButton(), Qt::LeftButton);
        QVERIFY(test::typeInCell(allow->table(), 0, 0, QStringLiteral("127.0.0.0/8")));
        ListEditor* deny = m_page->list(QStringLiteral("deny"));
        QTest::mouseClick(deny->addButton(), Qt::LeftButton);
        QCOMPARE(deny->table()->rowCount(), 2);
        // Not an address: the loader's message in the cell and under the list, Apply held back.
        QVERIFY(test::typeInCell(deny->table(), 1, 0, QStringLiteral("not-an-address")));
        QVERIFY(test::messageUnder(deny).contains(QStringLiteral("invalid CIDR")));
        QVERIFY(deny->table()->item(1, 0)->toolTip().contains(QStringLiteral("invalid CIDR")));
        QVERIFY(!m_window->action(QStringLiteral("apply"))->isEnabled());
        QVERIFY(test::typeInCell(deny->table(), 1, 0, QStringLiteral("198.51.100.7")));
        QVERIFY(test::messageUnder(deny).isEmpty());
        QVERIFY(m_window->action(QStringLiteral("apply"))->isEnabled());
        deny->table()->setCurrentCell(0, 0);
        QTest::mouseClick(deny->removeButton(), Qt::LeftButton);
        QCOMPARE(doc()->node(QStringLiteral("ip_rules.deny")).size(), size_t(1));
        QVERIFY2(doc()->isValid(), qPrintable(doc()->problemTexts().join('\n')));

        QVERIFY(m_window->saveDocument());
        const std::string edited = doc()->text();
        const auto saved = test::loadShared(doc()->path());
        const GatewayConfig& gw = saved->gateway;
        QCOMPARE(gw.limits.idleTimeout, Millis(90'000));
        QCOMPARE(gw.limits.maxUriBytes, uint64_t(16 * 1024));
        QCOMPARE(gw.workers, 2);
        QCOMPARE(gw.listen.size(), size_t(2));
        QVERIFY(gw.admin.listen.has_value());
        QCOMPARE(gw.retention.minutes, Millis(2 * 86'400'000LL));
        QCOMPARE(gw.trustedProxies.size(), size_t(1));
        QCOMPARE(saved->ipRules.allow.size(), size_t(1));
        QCOMPARE(saved->ipRules.deny.size(), size_t(1));

        ConfigDocument reread;
        QVERIFY(reread.load(doc()->path()));
        QCOMPARE(reread.text(), edited);
        test::undoAll(doc()->undoStack());
        QCOMPARE(doc()->text(), original);
        QCOMPARE(field<QLineEdit>(QStringLiteral("limits.idle_timeout"))->text(), QString());
        QCOMPARE(deny->table()->rowCount(), 1);
        QCOMPARE(deny->table()->item(0, 0)->text(), QStringLiteral("203.0.113.0/24"));
        test::redoAll(doc()->undoStack());
        QCOMPARE(doc()->text(), edited);
        QCOMPARE(deny->table()->item(0, 0)->text(), QStringLiteral("198.51.100.7"));
    }

    void invalidDuration_showsTheMessageAndBlocksApply() {
        auto* idle = field<QLineEdit>(QStringLiteral("limits.idle_timeout"));
        test::retype(idle, QStringLiteral("10 parsecs"));
        QVERIFY2(test::messageUnder(idle).contains(QStringLiteral("invalid duration")),
                 qPrintable(test::messageUnder(idle)));
        QVERIFY(!m_window->action(QStringLiteral("apply"))->isEnabled());
        test::retype(idle, QStringLiteral("10s"));
        QVERIFY(test::messageUnder(idle).isEmpty());
        QVERIFY(m_window->action(QStringLiteral("apply"))->isEnabled());
    }
};

QTEST_MAIN(SettingsPageTest)
#include "settings_page_test.moc"
