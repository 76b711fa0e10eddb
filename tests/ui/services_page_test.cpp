// The Services page edits what it shows: a new service, its targets, balancing, health checks and
// TLS typed into the form become the file's keys, with the loader's message under a field while it
// is wrong; save, reload, undo and redo give back the same text.

#include "document/config_document.h"
#include "page_editing_support.h"
#include "pages/services_page.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

class ServicesPageTest : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<test::DemoWindow> m_demo;
    MainWindow* m_window = nullptr;
    ServicesPage* m_page = nullptr;

    ConfigDocument* doc() { return m_demo->doc(); }
    template <typename T> T* field(const QString& key) { return test::field<T>(m_page, key); }

private slots:
    void initTestCase() { test::useTestLocations(); }

    void init() {
        m_demo = std::make_unique<test::DemoWindow>(MainWindow::Services);
        m_window = m_demo->window.get();
        m_page = m_demo->page<ServicesPage>();
        QVERIFY(m_page);
    }

    void cleanup() { m_demo.reset(); }

    void opensOnTheFirstService() {
        QCOMPARE(m_page->currentItem(), 0);
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->text(), QStringLiteral("echo"));
        QCOMPARE(m_page->targets()->table()->rowCount(), 1);
        QCOMPARE(m_page->targets()->table()->item(0, 0)->text(), QStringLiteral("builtin:echo"));
        QVERIFY(!m_page->healthCheck()->isChecked());
    }

    void newService_editedThroughTheForm_savesReloadsUndoes() {
        const std::string original = doc()->text();
        QTest::mouseClick(m_page->newButton(), Qt::LeftButton);
        QCOMPARE(m_page->currentItem(), 1);
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].name")), QStringLiteral("service-2"));
        QVERIFY2(doc()->isValid(), qPrintable(doc()->problemTexts().join('\n')));

        test::retype(field<QLineEdit>(QStringLiteral("name")), QStringLiteral("billing"));
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].name")), QStringLiteral("billing"));

        auto* balance = field<QComboBox>(QStringLiteral("balance"));
        balance->setFocus();
        QTest::keyClick(balance, Qt::Key_End);
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].balance")), QStringLiteral("consistent_hash"));
        auto* hashOn = field<QComboBox>(QStringLiteral("hash_on"));
        QVERIFY(hashOn->isVisible());
        test::retype(hashOn->lineEdit(), QStringLiteral("header:X-Tenant"));
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].hash_on")), QStringLiteral("header:X-Tenant"));

        // Targets: add one, give it an address and a weight, remove the default one.
        QTableWidget* targets = m_page->targets()->table();
        QTest::mouseClick(m_page->targets()->addButton(), Qt::LeftButton);
        QCOMPARE(targets->rowCount(), 2);
        QVERIFY(test::typeInCell(targets, 1, 0, QStringLiteral("http://10.0.0.5:9000")));
        QVERIFY(test::typeInCell(targets, 1, 1, QStringLiteral("5")));
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].targets[1].url")),
                 QStringLiteral("http://10.0.0.5:9000"));
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].targets[1].weight")), QStringLiteral("5"));
        targets->setCurrentCell(0, 0);
        QTest::mouseClick(m_page->targets()->removeButton(), Qt::LeftButton);
        QCOMPARE(targets->rowCount(), 1);
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].targets[0].url")),
                 QStringLiteral("http://10.0.0.5:9000"));

        // A target the loader refuses: its message under the table and in the cell, Apply off.
        QVERIFY(test::typeInCell(targets, 0, 0, QStringLiteral("ftp://files")));
        QVERIFY(test::messageUnder(m_page->targets()).contains(QStringLiteral("invalid target")));
        QVERIFY(targets->item(0, 0)->toolTip().contains(QStringLiteral("invalid target")));
        QVERIFY(!m_window->action(QStringLiteral("apply"))->isEnabled());
        QVERIFY(test::typeInCell(targets, 0, 0, QStringLiteral("http://10.0.0.5:9000")));
        QVERIFY(test::messageUnder(m_page->targets()).isEmpty());

        // Health checks: turned on by the check box, then tuned.
        auto* path = field<QLineEdit>(QStringLiteral("health.path"));
        QVERIFY(!path->isEnabled());
        test::clickCheck(m_page->healthCheck());
        QVERIFY(doc()->node(QStringLiteral("services[1].health")).IsMap());
        QVERIFY(path->isEnabled());
        test::retype(path, QStringLiteral("/ping"));
        auto* down = field<QSpinBox>(QStringLiteral("health.unhealthy_after"));
        down->setFocus();
        QTest::keyClick(down, Qt::Key_Up);
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].health.path")), QStringLiteral("/ping"));
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].health.unhealthy_after")), QStringLiteral("4"));

        // Verification off loads, with the loader's warning under the check box.
        auto* verify = field<QCheckBox>(QStringLiteral("tls.verify"));
        QVERIFY(verify->isChecked());
        test::clickCheck(verify);
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].tls.verify")), QStringLiteral("false"));
        QVERIFY(test::messageUnder(verify).contains(QStringLiteral("verification is disabled")));
        QVERIFY(doc()->isValid());

        QVERIFY(m_window->saveDocument());
        const std::string edited = doc()->text();
        const auto saved = test::loadShared(doc()->path());
        QCOMPARE(saved->services.size(), size_t(2));
        const ServiceConfig& s = saved->services[1];
        QCOMPARE(s.name, std::string("billing"));
        QCOMPARE(s.balance, Balance::ConsistentHash);
        QCOMPARE(s.hashOn, std::string("header:X-Tenant"));
        QCOMPARE(s.targets.size(), size_t(1));
        QCOMPARE(s.targets[0].weight, 5);
        QVERIFY(s.health.has_value());
        QCOMPARE(s.health->path, std::string("/ping"));
        QCOMPARE(s.health->unhealthyAfter, 4);
        QVERIFY(!s.tls.verify);

        ConfigDocument reread;
        QVERIFY(reread.load(doc()->path()));
        QCOMPARE(reread.text(), edited);

        test::undoAll(doc()->undoStack());
        QCOMPARE(doc()->text(), original);
        test::redoAll(doc()->undoStack());
        QCOMPARE(doc()->text(), edited);
        m_page->selectItem(1);
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->text(), QStringLiteral("billing"));
        QCOMPARE(m_page->targets()->table()->item(0, 1)->text(), QStringLiteral("5"));
    }

    void invalidDuration_showsTheMessageAndBlocksApply() {
        const std::string original = doc()->text();
        auto* connect = field<QLineEdit>(QStringLiteral("timeouts.connect"));
        test::retype(connect, QStringLiteral("10 parsecs"));
        QCOMPARE(doc()->scalar(QStringLiteral("services[0].timeouts.connect")), QStringLiteral("10 parsecs"));
        QVERIFY2(test::messageUnder(connect).contains(QStringLiteral("invalid duration")),
                 qPrintable(test::messageUnder(connect)));
        QVERIFY(connect->property("invalid").toBool());
        QVERIFY(!m_window->action(QStringLiteral("apply"))->isEnabled());

        test::retype(connect, QStringLiteral("3s"));
        QVERIFY(test::messageUnder(connect).isEmpty());
        QVERIFY(!connect->property("invalid").toBool());
        QVERIFY(m_window->action(QStringLiteral("apply"))->isEnabled());
        QCOMPARE(doc()->scalar(QStringLiteral("services[0].timeouts.connect")), QStringLiteral("3s"));
        // The typing was one step: one undo gives the file's text back.
        QCOMPARE(doc()->undoStack()->count(), 1);
        doc()->undoStack()->undo();
        QCOMPARE(doc()->text(), original);
        QVERIFY(connect->text().isEmpty());
    }

    void duplicateAndDelete_askFirstAndUndo() {
        QTest::mouseClick(m_page->duplicateButton(), Qt::LeftButton);
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].name")), QStringLiteral("echo-2"));
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].targets[0].url")), QStringLiteral("builtin:echo"));
        QVERIFY(doc()->isValid());
        QCOMPARE(m_page->currentItem(), 1);

        // "echo" is what both APIs use: the question says so; Cancel keeps it.
        m_page->selectItem(0);
        QTest::mouseClick(m_page->deleteButton(), Qt::LeftButton);
        QVERIFY(test::answerConfirmation(false).contains(QStringLiteral("orders")));
        QCOMPARE(doc()->node(QStringLiteral("services")).size(), size_t(2));

        QTest::mouseClick(m_page->deleteButton(), Qt::LeftButton);
        test::answerConfirmation(true);
        QCOMPARE(doc()->node(QStringLiteral("services")).size(), size_t(1));
        QCOMPARE(doc()->scalar(QStringLiteral("services[0].name")), QStringLiteral("echo-2"));
        QCOMPARE(field<QLineEdit>(QStringLiteral("name"))->text(), QStringLiteral("echo-2"));
        QVERIFY(!doc()->isValid()); // the APIs name a service that is gone
        doc()->undoStack()->undo();
        QCOMPARE(doc()->scalar(QStringLiteral("services[0].name")), QStringLiteral("echo"));
        QVERIFY(doc()->isValid());
    }

    void keyboard_newDuplicateDelete() {
        m_page->view()->setFocus();
        QTest::keyClick(m_page->view(), Qt::Key_N, Qt::ControlModifier);
        QCOMPARE(doc()->scalar(QStringLiteral("services[1].name")), QStringLiteral("service-2"));
        QCOMPARE(m_page->currentItem(), 1);
        // From a field of the form too.
        auto* name = field<QLineEdit>(QStringLiteral("name"));
        name->setFocus();
        QTest::keyClick(name, Qt::Key_D, Qt::ControlModifier);
        QCOMPARE(doc()->scalar(QStringLiteral("services[2].name")), QStringLiteral("service-2-2"));
        QCOMPARE(m_page->currentItem(), 2);
        // Delete in a field deletes a character, in the tree the selected service (after asking).
        name->setFocus();
        name->setCursorPosition(0);
        QTest::keyClick(name, Qt::Key_Delete);
        QCOMPARE(doc()->scalar(QStringLiteral("services[2].name")), QStringLiteral("ervice-2-2"));
        QVERIFY(!test::openDialog<QMessageBox>(QStringLiteral("confirmBox")));
        m_page->view()->setFocus();
        QTest::keyClick(m_page->view(), Qt::Key_Delete);
        QVERIFY(test::answerConfirmation(true).contains(QStringLiteral("ervice-2-2")));
        QCOMPARE(doc()->node(QStringLiteral("services")).size(), size_t(2));
    }
};

QTEST_MAIN(ServicesPageTest)
#include "services_page_test.moc"
