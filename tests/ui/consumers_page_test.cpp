// The Consumers page edits consumers through its form: name, plan, status, allowed addresses and
// credentials, with API keys issued so that only their hash is ever written.

#include "dialogs/new_key_dialog.h"
#include "document/config_document.h"
#include "page_editing_support.h"
#include "pages/consumers_page.h"
#include "tollgate/credentials.h"
#include "widgets/consumer_credentials_editor.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QUndoStack>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;
using test::DemoWindow;
using test::retype;

namespace {

QByteArray fileText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class ConsumersPageTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { test::useTestLocations(); }

    void formEditsNamePlanAndStatus_savedAndUndoable() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        QVERIFY(page);
        QVERIFY(!page->nameEdit()->isEnabled()); // nothing selected yet
        test::clickRow(page, 0);
        QCOMPARE(page->currentItem(), 0);
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("acme"));
        QCOMPARE(page->planCombo()->currentText(), QStringLiteral("free"));
        QUndoStack* undo = d.doc()->undoStack();
        const QString original = QString::fromStdString(d.doc()->text());

        retype(page->nameEdit(), QStringLiteral("acme-corp"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].name")), QStringLiteral("acme-corp"));
        QCOMPARE(undo->count(), 1); // typing is one step
        page->statusCombo()->setFocus();
        QTest::keyClick(page->statusCombo(), Qt::Key_Down);
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].status")), QStringLiteral("suspended"));
        QTest::keyClick(page->planCombo(), Qt::Key_Down); // free -> pro
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].plan")), QStringLiteral("pro"));
        QVERIFY(d.doc()->isValid());
        // The table follows, and the form stays on the edited consumer.
        QTRY_COMPARE(page->proxy()->index(0, 0).data().toString(), QStringLiteral("acme-corp"));
        QCOMPARE(page->currentItem(), 0);

        d.window->action(QStringLiteral("save"))->trigger();
        QVERIFY(!d.doc()->isModified());
        const auto saved = test::loadShared(d.path);
        QCOMPARE(saved->consumers[0].name, std::string("acme-corp"));
        QCOMPARE(saved->consumers[0].plan, std::string("pro"));
        QCOMPARE(saved->consumers[0].status, ConsumerConfig::Status::Suspended);

        while (undo->canUndo()) {
            undo->undo();
        }
        QCOMPARE(QString::fromStdString(d.doc()->text()), original);
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("acme"));
        QCOMPARE(page->planCombo()->currentText(), QStringLiteral("free"));
        while (undo->canRedo()) {
            undo->redo();
        }
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("acme-corp"));
        QCOMPARE(page->statusCombo()->currentText(), QStringLiteral("suspended"));
    }

    void unknownPlan_showsTheLoadersMessageUntilFixed() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        test::clickRow(page, 1); // globex, on pro
        QLineEdit* planText = page->planCombo()->lineEdit();
        QVERIFY(!test::showsMessage(page->planCombo()));
        retype(planText, QStringLiteral("gold"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[1].plan")), QStringLiteral("gold"));
        QVERIFY(!d.doc()->isValid());
        QVERIFY(test::showsMessage(page->planCombo()));
        QVERIFY(test::messageUnder(page->planCombo()).contains(QStringLiteral("unknown plan \"gold\"")));
        QVERIFY(page->planCombo()->property("invalid").toBool());
        // The table keeps the last valid config, and the form its consumer.
        QCOMPARE(page->currentItem(), 1);
        retype(planText, QStringLiteral("partner"));
        QVERIFY(d.doc()->isValid());
        QVERIFY(!test::showsMessage(page->planCombo()));
        QVERIFY(!page->planCombo()->property("invalid").toBool());
    }

    void newKey_isShownOnceAndOnlyItsHashIsStored() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        test::clickRow(page, 0);
        ConsumerCredentialsEditor* creds = page->credentials();
        QCOMPARE(creds->table()->rowCount(), 1);
        const int steps = d.doc()->undoStack()->count();

        creds->newKeyButton()->click();
        auto* dialog = test::openDialog<NewKeyDialog>(QStringLiteral("newKeyDialog"));
        QVERIFY(dialog);
        const QString key = dialog->findChild<QLabel*>(QStringLiteral("newKey"))->text();
        QVERIFY(key.startsWith(QStringLiteral("tg_")));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("newKeyWarning"))
                    ->text()
                    .contains(QStringLiteral("not stored")));
        dialog->copyButton()->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), key);
        QGuiApplication::clipboard()->clear();

        QCOMPARE(d.doc()->undoStack()->count(), steps + 1);
        QCOMPARE(creds->table()->rowCount(), 2);
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].credentials[1].type")), QStringLiteral("key"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].credentials[1].id")), QStringLiteral("acme-2"));
        const QString hash = d.doc()->scalar(QStringLiteral("consumers[0].credentials[1].hash"));
        QCOMPARE(hash.toStdString(), apiKeyHash(key.toStdString()));
        QVERIFY(d.doc()->isValid());
        QVERIFY(!QString::fromStdString(d.doc()->text()).contains(key));
        for (int i = 0; i < d.doc()->undoStack()->count(); ++i) {
            QVERIFY(!d.doc()->undoStack()->text(i).contains(key));
        }
        dialog->close();
        QTRY_VERIFY(!test::openDialog<NewKeyDialog>());

        d.window->action(QStringLiteral("save"))->trigger();
        const QByteArray saved = fileText(d.path);
        QVERIFY(!saved.contains(key.toUtf8()));
        QVERIFY(saved.contains(hash.toUtf8()));
        // The gateway's loader reads the saved file and recognises the key by its hash.
        const auto config = test::loadShared(d.path);
        QCOMPARE(config->consumers[0].credentials.size(), size_t(2));
        QCOMPARE(config->consumers[0].credentials[1].hash, apiKeyHash(key.toStdString()));

        d.doc()->undoStack()->undo();
        QCOMPARE(creds->table()->rowCount(), 1);
        d.doc()->undoStack()->redo();
        QCOMPARE(creds->table()->rowCount(), 2);
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].credentials[1].hash")), hash);
    }

    void revoke_asksThenRemovesTheCredential() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        test::clickRow(page, 1); // globex: one key
        ConsumerCredentialsEditor* creds = page->credentials();
        QCOMPARE(creds->currentCredential(), 0);
        creds->revokeButton()->click();
        QVERIFY(test::answerConfirmation(false).contains(QStringLiteral("globex-1")));
        QVERIFY(d.doc()->node(QStringLiteral("consumers[1].credentials")).IsDefined());
        creds->revokeButton()->click();
        test::answerConfirmation(true);
        QVERIFY(!d.doc()->node(QStringLiteral("consumers[1].credentials")).IsDefined());
        QCOMPARE(creds->table()->rowCount(), 0);
        QVERIFY(!creds->revokeButton()->isEnabled());
        QVERIFY(d.doc()->isValid());
        d.window->action(QStringLiteral("save"))->trigger();
        QVERIFY(test::loadShared(d.path)->consumers[1].credentials.empty());
        d.doc()->undoStack()->undo();
        QCOMPARE(creds->table()->rowCount(), 1);
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[1].credentials[0].id")),
                 QStringLiteral("globex-1"));
    }

    void jwtAndMtlsCredentials_editedWithTheirRules() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        test::clickRow(page, 2); // initech
        ConsumerCredentialsEditor* creds = page->credentials();
        creds->addJwtButton()->click();
        QCOMPARE(creds->currentCredential(), 1);
        const QString cred = QStringLiteral("consumers[2].credentials[1]");
        QCOMPARE(d.doc()->scalar(cred + QStringLiteral(".type")), QStringLiteral("jwt"));
        QVERIFY(d.doc()->isValid());
        QVERIFY(creds->editor(QStringLiteral("issuer"))->isVisible());
        QVERIFY(creds->editor(QStringLiteral("jwks_url"))->isVisible());
        QVERIFY(!creds->editor(QStringLiteral("secret_env"))->isVisible());
        QVERIFY(!creds->editor(QStringLiteral("fingerprint"))->isVisible());
        retype(creds->editor(QStringLiteral("issuer")), QStringLiteral("https://login.initech.example"));
        QCOMPARE(d.doc()->scalar(cred + QStringLiteral(".issuer")),
                 QStringLiteral("https://login.initech.example"));

        // Switching the key source leaves exactly one of them.
        creds->sourceCombo()->setFocus();
        QTest::keyClick(creds->sourceCombo(), Qt::Key_Down);
        QVERIFY(!d.doc()->node(cred + QStringLiteral(".jwks_url")).IsDefined());
        QCOMPARE(d.doc()->scalar(cred + QStringLiteral(".secret_env")), QStringLiteral("JWT_SECRET"));
        QVERIFY(creds->editor(QStringLiteral("secret_env"))->isVisible());
        QVERIFY(!creds->editor(QStringLiteral("jwks_url"))->isVisible());
        QLineEdit* secret = creds->editor(QStringLiteral("secret_env"));
        retype(secret, QStringLiteral("1bad"));
        QVERIFY(test::showsMessage(secret));
        QVERIFY(test::messageUnder(secret).contains(QStringLiteral("environment variable")));
        retype(secret, QStringLiteral("INITECH_JWT"));
        QVERIFY(!test::showsMessage(secret));
        QTest::keyClicks(creds->editor(QStringLiteral("audience")), QStringLiteral("orders"));
        QVERIFY(d.doc()->isValid());

        creds->addMtlsButton()->click();
        QCOMPARE(creds->currentCredential(), 2);
        QLineEdit* fingerprint = creds->editor(QStringLiteral("fingerprint"));
        QVERIFY(fingerprint->isVisible());
        QVERIFY(!creds->editor(QStringLiteral("issuer"))->isVisible());
        QVERIFY(test::showsMessage(fingerprint)); // no default fingerprint: the field says what it needs
        const QString fp = QStringLiteral("sha256:") + QString(64, QLatin1Char('A'));
        retype(fingerprint, fp);
        QVERIFY(!test::showsMessage(fingerprint));
        QVERIFY(d.doc()->isValid());

        d.window->action(QStringLiteral("save"))->trigger();
        const auto config = test::loadShared(d.path);
        const auto& list = config->consumers[2].credentials;
        QCOMPARE(list.size(), size_t(3));
        QCOMPARE(list[1].type, CredentialConfig::Type::Jwt);
        QCOMPARE(list[1].issuer, std::string("https://login.initech.example"));
        QCOMPARE(list[1].secretEnv, std::string("INITECH_JWT"));
        QCOMPARE(list[1].audience, std::string("orders"));
        QVERIFY(list[1].jwksUrl.empty());
        QCOMPARE(list[2].type, CredentialConfig::Type::Mtls);
        QCOMPARE(list[2].hash, fp.toLower().toStdString());
    }

    void ipAllow_rowsAreCheckedAsTyped() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        test::clickRow(page, 0); // acme: any address
        ListEditor* ips = page->ipAllowEditor();
        QCOMPARE(ips->table()->rowCount(), 0);
        ips->addButton()->click();
        QCOMPARE(ips->table()->rowCount(), 1);
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[0].ip_allow[0]")), QStringLiteral("127.0.0.1/32"));
        QVERIFY(test::typeInCell(ips->table(), 0, 0, QStringLiteral("10.0.0.0/33")));
        QVERIFY(!d.doc()->isValid());
        QVERIFY(!ips->message()->isHidden());
        QVERIFY(!ips->table()->item(0, 0)->toolTip().isEmpty());
        QVERIFY(test::typeInCell(ips->table(), 0, 0, QStringLiteral("10.0.0.0/8")));
        QVERIFY(d.doc()->isValid());
        QVERIFY(ips->message()->isHidden());
        d.window->action(QStringLiteral("save"))->trigger();
        QCOMPARE(test::loadShared(d.path)->consumers[0].ipAllow.size(), size_t(1));
        ips->table()->setCurrentCell(0, 0);
        ips->removeButton()->click();
        QVERIFY(!d.doc()->node(QStringLiteral("consumers[0].ip_allow")).IsDefined());
    }

    void newDuplicateDelete_keepTheConfigValid() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        page->newButton()->click();
        QCOMPARE(page->currentItem(), 4);
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("consumer-5"));
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[4].plan")), QStringLiteral("free"));
        QVERIFY(d.doc()->isValid());
        QCOMPARE(page->proxy()->rowCount(), 5);

        test::clickRow(page, 0);
        page->duplicateButton()->click();
        QCOMPARE(page->currentItem(), 5);
        QCOMPARE(page->nameEdit()->text(), QStringLiteral("acme-copy"));
        // A copy cannot share the original's key.
        QVERIFY(!d.doc()->node(QStringLiteral("consumers[5].credentials")).IsDefined());
        QCOMPARE(d.doc()->scalar(QStringLiteral("consumers[5].denies[0].api")), QStringLiteral("orders"));
        QVERIFY(d.doc()->isValid());

        page->deleteButton()->click();
        QVERIFY(test::answerConfirmation(true).contains(QStringLiteral("acme-copy")));
        QCOMPARE(page->proxy()->rowCount(), 5);
        QVERIFY(d.doc()->isValid());
        d.window->action(QStringLiteral("save"))->trigger();
        QCOMPARE(test::loadShared(d.path)->consumers.size(), size_t(5));
        d.doc()->undoStack()->undo();
        QCOMPARE(page->proxy()->rowCount(), 6);
        d.doc()->undoStack()->undo();
        d.doc()->undoStack()->undo();
        QCOMPARE(page->proxy()->rowCount(), 4);
    }

    void editInPermissions_switchesPage() {
        DemoWindow d(MainWindow::Consumers);
        ConsumersPage* page = d.page<ConsumersPage>();
        test::clickRow(page, 0);
        auto* grants = page->findChild<QLabel*>(QStringLiteral("consumerGrants"));
        QVERIFY(grants->text().contains(QStringLiteral("create")));
        QVERIFY(grants->text().contains(QStringLiteral("admin")));
        page->editPermissionsButton()->click();
        QCOMPARE(d.window->currentPage(), MainWindow::Permissions);
    }
};

QTEST_MAIN(ConsumersPageTest)
#include "consumers_page_test.moc"
