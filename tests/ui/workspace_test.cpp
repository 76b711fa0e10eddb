// Workspace loading and the demo workspace the console creates on first run.

#include "ui_test_support.h"
#include "workspace/demo_workspace.h"
#include "workspace/workspace.h"

#include <QStandardPaths>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

class WorkspaceTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
        QStandardPaths::setTestModeEnabled(true);
    }

    void load_keepsPathConfigAndNoProblems() {
        Workspace ws;
        QVERIFY(ws.load(test::sourceFile(QStringLiteral("resources/examples/demo.yaml"))));
        QVERIFY(ws.isLoaded());
        QCOMPARE(ws.displayName(), QStringLiteral("demo.yaml"));
        QCOMPARE(ws.config()->apis.size(), size_t(2));
        QVERIFY(ws.problems().isEmpty());
    }

    void loadBrokenFile_reportsLineAndKey() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.yaml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("version: 1\nplans:\n  - name: free\n    rate_limits: [ { requests: 10, per: minut } ]\n");
        f.close();
        Workspace ws;
        QVERIFY(!ws.load(path));
        QVERIFY(!ws.isLoaded());
        QVERIFY(!ws.problems().isEmpty());
        QVERIFY2(ws.problems().join('\n').contains(QStringLiteral("broken.yaml:4:")),
                 qPrintable(ws.problems().join('\n')));
        QVERIFY(ws.problems().join('\n').contains(QStringLiteral("per")));
    }

    void moveListener_changesThePortForTheSessionOnly() {
        QTemporaryDir dir;
        Workspace ws;
        QVERIFY(ws.load(test::writeDemoWorkspace(dir, 18080)));
        const auto before = ws.config();
        QVERIFY(ws.moveListener(18080, 18081));
        QCOMPARE(ws.config()->gateway.listen.front().port, quint16(18081));
        QCOMPARE(ws.config()->gateway.listen.front().text, std::string("127.0.0.1:18081"));
        QCOMPARE(before->gateway.listen.front().port, quint16(18080)); // shared copies stay as they were
        QVERIFY(!ws.moveListener(9, 10));
    }

    void demoWorkspace_isCreatedOnceInTheDataFolder() {
        QFile::remove(demoWorkspacePath());
        QVERIFY(demoWorkspacePath().startsWith(
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
        QString error;
        const QString path = ensureDemoWorkspace(&error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        QCOMPARE(path, demoWorkspacePath());
        Workspace ws;
        QVERIFY(ws.load(path));
        const Config& c = *ws.config();
        QCOMPARE(c.services.front().targets.front().url, std::string("builtin:echo"));
        QCOMPARE(c.apis.size(), size_t(2));
        QCOMPARE(c.plans.size(), size_t(3));
        QCOMPARE(c.consumers.size(), size_t(4));
        QVERIFY(QFileInfo(path).isWritable());

        // A second run keeps the user's edits.
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write("# edited\n");
        f.close();
        QCOMPARE(ensureDemoWorkspace(), path);
        QFile again(path);
        QVERIFY(again.open(QIODevice::ReadOnly));
        QVERIFY(again.readAll().endsWith("# edited\n"));
    }

    void lastWorkspace_isRemembered() {
        QTemporaryDir dir;
        const QString path = test::writeDemoWorkspace(dir, 0);
        rememberWorkspace(path);
        QCOMPARE(lastWorkspacePath(), path);
        QFile::remove(path);
        QCOMPARE(lastWorkspacePath(), QString()); // gone: the console falls back to the demo
    }
};

QTEST_GUILESS_MAIN(WorkspaceTest)
#include "workspace_test.moc"
