// The Plans page edits plans through its form: name (renames can carry the consumers along),
// rate limits, quota and price, with the loader's messages under the fields as they are typed.

#include "document/config_document.h"
#include "page_editing_support.h"
#include "pages/consumers_page.h"
#include "pages/plans_page.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QUndoStack>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;
using test::DemoWindow;
using test::retype;

namespace {} // namespace

class PlansPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::useTestLocations(); }

    void rename_carriesItsConsumersInOneUndoStep() {
        DemoWindow d(MainWindow::Plans);
        PlansPage* page = d.page<PlansPage>();
        test::clickRow(page, 0); // free: acme and umbrella
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("free"));
        QVERIFY(page->renameConsumersCheck()->isVisibleTo(page));
        QVERIFY(page->renameConsumersCheck()->text().contains(QStringLiteral("2 consumers")));
        const std::string before = d.doc()->text();
        retype(page->nameEdit(), QStringLiteral("starter"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[0].name")), QStringLiteral("starter"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].plan")), QStringLiteral("starter"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[3].plan")), QStringLiteral("starter"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[1].plan")), QStringLiteral("pro"));
        QVERIFY(d.doc()->isValid());
        QCOMPARE(d.doc()->undoStack()->count(), 1);
        d.window->action(QStringLiteral("save"))->trigger();
        const auto saved = test::loadShared(d.path);
        QCOMPARE(saved->plans[0].name, std::string("starter"));
        QCOMPARE(saved->consumers[3].plan, std::string("starter"));
        d.doc()->undoStack()->undo();
        QCOMPARE(d.doc()->text(), before);
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("free"));
        d.doc()->undoStack()->redo();
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].plan")), QStringLiteral("starter"));
    }

    void renameAlone_leavesConsumersOnAnUnknownPlan() {
        DemoWindow d(MainWindow::Plans);
        PlansPage* page = d.page<PlansPage>();
        test::clickRow(page, 1); // pro: globex
        page->renameConsumersCheck()->click();
        QVERIFY(!page->renameConsumersCheck()->isChecked());
        retype(page->nameEdit(), QStringLiteral("business"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[1].plan")), QStringLiteral("pro"));
        QVERIFY(!d.doc()->isValid());
        // The message shows where it belongs: under globex's plan on the Consumers page.
        auto* consumers = qobject_cast<ConsumersPage*>(d.window->page(MainWindow::Consumers));
        d.window->showPage(MainWindow::Consumers);
        test::clickRow(consumers, 1);
        QVERIFY(test::showsMessage(consumers->planCombo()));
        QVERIFY(test::messageUnder(consumers->planCombo()).contains(QStringLiteral("unknown plan \"pro\"")));
        consumers->planCombo()->lineEdit()->selectAll();
        QTest::keyClick(consumers->planCombo()->lineEdit(), Qt::Key_Backspace);
        QTest::keyClicks(consumers->planCombo()->lineEdit(), QStringLiteral("business"));
        QVERIFY(d.doc()->isValid());
        QVERIFY(!test::showsMessage(consumers->planCombo()));
    }

    void rateLimits_editedInTheTable() {
        DemoWindow d(MainWindow::Plans);
        PlansPage* page = d.page<PlansPage>();
        test::clickRow(page, 0); // free: 10/second, 1000/hour
        ListEditor* limits = page->rateLimitsEditor();
        QCOMPARE(limits->table()->rowCount(), 2);
        QCOMPARE(limits->table()->item(0, 0)->text(), QStringLiteral("10"));
        QCOMPARE(limits->comboAt(1, 1)->currentText(), QStringLiteral("hour"));

        QVERIFY(test::typeInCell(limits->table(), 0, 0, QStringLiteral("0")));
        QVERIFY(!d.doc()->isValid());
        QVERIFY(!limits->message()->isHidden());
        QVERIFY(limits->message()->text().contains(QStringLiteral("got 0")));
        QVERIFY(limits->table()->item(0, 0)->toolTip().contains(QStringLiteral("got 0")));
        QVERIFY(test::typeInCell(limits->table(), 0, 0, QStringLiteral("20")));
        QVERIFY(d.doc()->isValid());
        QVERIFY(limits->message()->isHidden());
        QVERIFY(limits->table()->item(0, 0)->toolTip().isEmpty());

        // A second limit per hour is refused by the loader: the message says so.
        limits->comboAt(0, 1)->setFocus();
        QTest::keyClick(limits->comboAt(0, 1), Qt::Key_Down); // second -> minute
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[0].rate_limits[0].per")), QStringLiteral("minute"));
        QTest::keyClick(limits->comboAt(0, 1), Qt::Key_Down); // minute -> hour: a clash
        QVERIFY(!d.doc()->isValid());
        QVERIFY(limits->message()->text().contains(QStringLiteral("second limit per hour")));
        QTest::keyClick(limits->comboAt(0, 1), Qt::Key_Up);
        QVERIFY(d.doc()->isValid());

        limits->addButton()->click();
        QCOMPARE(limits->table()->rowCount(), 3);
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[0].rate_limits[2].per")), QStringLiteral("second"));
        QVERIFY(d.doc()->isValid());
        d.window->action(QStringLiteral("save"))->trigger();
        const auto saved = test::loadShared(d.path);
        QCOMPARE(saved->plans[0].rateLimits.size(), size_t(3));
        QCOMPARE(saved->plans[0].rateLimits[0].requests, uint64_t(20));
        QCOMPARE(saved->plans[0].rateLimits[0].per, RateLimitConfig::Per::Minute);

        limits->table()->setCurrentCell(1, 0);
        limits->removeButton()->click();
        QCOMPARE(limits->table()->rowCount(), 2);
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[0].rate_limits[1].per")), QStringLiteral("second"));
        d.doc()->undoStack()->undo();
        QCOMPARE(limits->table()->rowCount(), 3);
        QCOMPARE(limits->comboAt(1, 1)->currentText(), QStringLiteral("hour"));
    }

    void quota_addedEditedAndRemoved() {
        DemoWindow d(MainWindow::Plans);
        PlansPage* page = d.page<PlansPage>();
        test::clickRow(page, 2); // partner: no quota
        QVERIFY(page->noQuotaCheck()->isChecked());
        QVERIFY(!page->quotaRequestsEdit()->isEnabled());
        page->noQuotaCheck()->click();
        QVERIFY(page->quotaRequestsEdit()->isEnabled());
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[2].quota.requests")), QStringLiteral("10000"));
        retype(page->quotaRequestsEdit(), QStringLiteral("5000x"));
        QVERIFY(test::showsMessage(page->quotaRequestsEdit()));
        QTest::keyClick(page->quotaRequestsEdit(), Qt::Key_Backspace);
        QVERIFY(!test::showsMessage(page->quotaRequestsEdit()));
        QTest::keyClick(page->quotaPerCombo(), Qt::Key_Up);     // month -> week
        QTest::keyClick(page->onExceededCombo(), Qt::Key_Down); // block -> allow_and_bill
        QVERIFY(d.doc()->isValid());
        d.window->action(QStringLiteral("save"))->trigger();
        auto saved = test::loadShared(d.path);
        QVERIFY(saved->plans[2].quota.has_value());
        QCOMPARE(saved->plans[2].quota->requests, uint64_t(5000));
        QCOMPARE(saved->plans[2].quota->per, QuotaConfig::Per::Week);
        QCOMPARE(saved->plans[2].quota->onExceeded, QuotaConfig::OnExceeded::AllowAndBill);

        page->noQuotaCheck()->click();
        QVERIFY(!d.doc()->node(QStringLiteral("plans[2].quota")).IsDefined());
        QVERIFY(!page->quotaRequestsEdit()->isEnabled());
        d.doc()->undoStack()->undo();
        QCOMPARE(page->quotaRequestsEdit()->text(), QStringLiteral("5000"));
        QVERIFY(!page->noQuotaCheck()->isChecked());
    }

    void price_checkedAsTyped() {
        DemoWindow d(MainWindow::Plans);
        PlansPage* page = d.page<PlansPage>();
        test::clickRow(page, 1); // pro
        QCOMPARE(page->monthlyEdit()->text(), QStringLiteral("49"));
        retype(page->currencyEdit(), QStringLiteral("eur"));
        QVERIFY(test::showsMessage(page->currencyEdit()));
        QVERIFY(test::messageUnder(page->currencyEdit()).contains(QStringLiteral("ISO 4217")));
        retype(page->currencyEdit(), QStringLiteral("EUR"));
        QVERIFY(!test::showsMessage(page->currencyEdit()));
        retype(page->monthlyEdit(), QStringLiteral("39.5"));
        retype(page->overQuotaEdit(), QStringLiteral("0.25"));
        QVERIFY(d.doc()->isValid());
        d.window->action(QStringLiteral("save"))->trigger();
        const auto saved = test::loadShared(d.path);
        QCOMPARE(saved->plans[1].price.currency, std::string("EUR"));
        QCOMPARE(saved->plans[1].price.monthly, 39.5);
        QCOMPARE(saved->plans[1].price.per1000OverQuota, 0.25);
    }

    void newAndDelete_sayWhatTheyDo() {
        DemoWindow d(MainWindow::Plans);
        PlansPage* page = d.page<PlansPage>();
        page->newButton()->click();
        QCOMPARE(page->currentItem(), 3);
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("plan-4"));
        QVERIFY(d.doc()->isValid());
        QCOMPARE(page->proxy()->rowCount(), 4);
        page->duplicateButton()->click();
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("plan-4-copy"));
        QVERIFY(d.doc()->isValid());

        test::clickRow(page, 1); // pro, used by globex
        page->deleteButton()->click();
        QVERIFY(test::answerConfirmation(false).contains(QStringLiteral("1 consumer")));
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[1].name")), QStringLiteral("pro"));
        page->deleteButton()->click();
        test::answerConfirmation(true);
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[1].name")), QStringLiteral("partner"));
        QVERIFY(
            d.doc()->problemAt(QStringLiteral("consumers[1].plan")).contains(QStringLiteral("unknown plan")));
        d.doc()->undoStack()->undo();
        QVERIFY(d.doc()->isValid());
        QCOMPARE(d.doc()->scalar(QStringLiteral("plans[1].name")), QStringLiteral("pro"));
    }

    void grantsShownReadOnly_editInPermissions() {
        DemoWindow d(MainWindow::Plans);
        PlansPage* page = d.page<PlansPage>();
        test::clickRow(page, 2);
        auto* grants = page->findChild<QLabel*>(QStringLiteral("planGrants"));
        QVERIFY(grants->text().contains(QStringLiteral("inventory")));
        QCOMPARE(page->findChild<QLabel*>(QStringLiteral("planConsumers"))->text(),
                 QStringLiteral("initech"));
        page->editPermissionsButton()->click();
        QCOMPARE(d.window->currentPage(), MainWindow::Permissions);
    }
};

QTEST_MAIN(PlansPageTest)
#include "plans_page_test.moc"
