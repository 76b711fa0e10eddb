// The document the console edits: key paths, undoable edits, validation keyed like the loader,
// atomic save that round-trips, and a file changed by another program.

#include "document/config_diff.h"
#include "document/config_document.h"
#include "ui_test_support.h"

#include <QSignalSpy>
#include <QtTest>

using namespace tollgate;
using namespace tollgate::ui;

namespace {

QString copyDemo(const QTemporaryDir& dir) {
    const QString path = dir.filePath(QStringLiteral("demo.yaml"));
    QFile::remove(path);
    QFile::copy(test::sourceFile(QStringLiteral("resources/examples/demo.yaml")), path);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    return path;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class ConfigDocumentTest : public QObject {
    Q_OBJECT
private slots:
    void keyPath_parsesTheLoadersSyntax() {
        const auto p = parseKeyPath("apis[0].routes[12].path");
        QVERIFY(p.has_value());
        QCOMPARE(p->size(), size_t(5));
        QCOMPARE(std::get<std::string>((*p)[0]), std::string("apis"));
        QCOMPARE(std::get<size_t>((*p)[3]), size_t(12));
        QCOMPARE(keyPathText(*p), std::string("apis[0].routes[12].path"));
        QVERIFY(!parseKeyPath("apis[x]").has_value());
        QVERIFY(!parseKeyPath("apis..name").has_value());
        QVERIFY(!parseKeyPath("apis[1").has_value());
        QVERIFY(!parseKeyPath("apis.").has_value());
    }

    void untouchedDocument_savesTheFileByteForByte() {
        QTemporaryDir dir;
        const QString path = copyDemo(dir);
        const QByteArray before = readAll(path);
        ConfigDocument doc;
        QVERIFY(doc.load(path));
        QVERIFY(doc.isValid());
        QVERIFY(!doc.isModified());
        QVERIFY(doc.save());
        QCOMPARE(readAll(path), before);
    }

    void setValue_isValidatedAndUndoable() {
        QTemporaryDir dir;
        ConfigDocument doc;
        QVERIFY(doc.load(copyDemo(dir)));
        QCOMPARE(doc.scalar(QStringLiteral("consumers[0].plan")), QStringLiteral("free"));
        QSignalSpy changed(&doc, &ConfigDocument::changed);

        QVERIFY(
            doc.setValue(QStringLiteral("consumers[0].plan"), QStringLiteral("pro"), QStringLiteral("Plan")));
        QCOMPARE(changed.count(), 1);
        QVERIFY(doc.isModified());
        QVERIFY(doc.isValid());
        QCOMPARE(doc.config()->consumers[0].plan, std::string("pro"));

        // A plan that does not exist: the loader's message lands on the field's key.
        QVERIFY(doc.setValue(QStringLiteral("consumers[0].plan"), QStringLiteral("platinum"),
                             QStringLiteral("Plan")));
        QVERIFY(!doc.isValid());
        QVERIFY(doc.problemAt(QStringLiteral("consumers[0].plan")).contains(QStringLiteral("platinum")));
        QVERIFY(doc.problemAt(QStringLiteral("consumers[0]")).contains(QStringLiteral("platinum")));
        QVERIFY(doc.problemAt(QStringLiteral("consumers[1]")).isEmpty());
        // The last valid config stays for the tables.
        QCOMPARE(doc.config()->consumers[0].plan, std::string("pro"));

        doc.undoStack()->undo();
        QVERIFY(doc.isValid());
        QCOMPARE(doc.scalar(QStringLiteral("consumers[0].plan")), QStringLiteral("pro"));
        doc.undoStack()->undo();
        QCOMPARE(doc.scalar(QStringLiteral("consumers[0].plan")), QStringLiteral("free"));
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QCOMPARE(doc.scalar(QStringLiteral("consumers[0].plan")), QStringLiteral("pro"));
        QVERIFY(doc.isModified());
    }

    void valueEdits_keepTheFileAsWritten() {
        QTemporaryDir dir;
        const QString path = copyDemo(dir);
        const QByteArray original = readAll(path);
        ConfigDocument doc;
        QVERIFY(doc.load(path));
        QVERIFY(
            doc.setValue(QStringLiteral("consumers[0].plan"), QStringLiteral("pro"), QStringLiteral("Plan")));
        QVERIFY(doc.setValue(QStringLiteral("apis[0].routes[1].path"), QStringLiteral("/{order}"),
                             QStringLiteral("Path")));
        QVERIFY(doc.setValue(QStringLiteral("plans[0].price.currency"), QStringLiteral("EUR"),
                             QStringLiteral("Currency")));
        QVERIFY(doc.isValid());
        const QByteArray text = QByteArray::fromStdString(doc.text());
        // Only the three values changed: comments, quoting and layout are the user's.
        QByteArray expected = original;
        expected.replace("  - name: acme\n    plan: free\n", "  - name: acme\n    plan: pro\n");
        expected.replace("path: \"/{id}\" }", "path: \"/{order}\" }");
        expected.replace("currency: USD, monthly: 0, per_1000_over_quota: 0",
                         "currency: EUR, monthly: 0, per_1000_over_quota: 0");
        QCOMPARE(text, expected);
        QVERIFY(text.contains("# demo-key-acme"));

        // A value that plain YAML would misread is quoted, and reads back as typed.
        QVERIFY(doc.setValue(QStringLiteral("apis[1].name"), QStringLiteral("stock: v2 # x"),
                             QStringLiteral("Name")));
        QCOMPARE(doc.scalar(QStringLiteral("apis[1].name")), QStringLiteral("stock: v2 # x"));
        QVERIFY(QByteArray::fromStdString(doc.text()).contains("# demo-key-acme"));
    }

    void typingInOneField_isOneUndoStep() {
        QTemporaryDir dir;
        ConfigDocument doc;
        QVERIFY(doc.load(copyDemo(dir)));
        const QString key = QStringLiteral("apis[0].base_path");
        for (const QString& text :
             {QStringLiteral("/o"), QStringLiteral("/or"), QStringLiteral("/orders/v2")}) {
            QVERIFY(doc.setValue(key, text, QStringLiteral("Base path"), true));
        }
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.undoStack()->undo();
        QCOMPARE(doc.scalar(key), QStringLiteral("/orders/v1"));
    }

    void appendAndRemove_renumberTheList() {
        QTemporaryDir dir;
        ConfigDocument doc;
        QVERIFY(doc.load(copyDemo(dir)));
        const size_t routes = doc.node(QStringLiteral("apis[0].routes")).size();
        YAML::Node route;
        route["name"] = "cancel";
        route["methods"].push_back("DELETE");
        route["path"] = "/{id}";
        const int at = doc.append(QStringLiteral("apis[0].routes"), route, QStringLiteral("New route"));
        QCOMPARE(at, int(routes));
        QVERIFY2(doc.isValid(), qPrintable(doc.problemTexts().join('\n')));
        QCOMPARE(doc.config()->apis[0].routes.back().name, std::string("cancel"));

        QVERIFY(doc.remove(QStringLiteral("apis[0].routes[0]"), QStringLiteral("Remove route")));
        QCOMPARE(doc.node(QStringLiteral("apis[0].routes")).size(), routes);
        QCOMPARE(doc.scalar(QStringLiteral("apis[0].routes[0].name")), QStringLiteral("get"));
        QVERIFY(!doc.remove(QStringLiteral("apis[0].routes[99]"), QStringLiteral("Remove route")));
        // The plan still grants the removed route: the loader says so, on the grant.
        QVERIFY(!doc.isValid());
        QVERIFY(doc.problemAt(QStringLiteral("plans[0].grants[0]")).contains(QStringLiteral("list")));
        doc.undoStack()->undo();
        QVERIFY(doc.isValid());
        QCOMPARE(doc.scalar(QStringLiteral("apis[0].routes[0].name")), QStringLiteral("list"));
        // A new key under a missing map is created on the way.
        QVERIFY(doc.setValue(QStringLiteral("gateway.retention.minutes"), QStringLiteral("3d"),
                             QStringLiteral("Retention")));
        QVERIFY2(doc.isValid(), qPrintable(doc.problemTexts().join(QLatin1Char('\n'))));
        QCOMPARE(doc.config()->gateway.retention.minutes, Millis(3LL * 86400000));
        // An empty value removes the key again.
        QVERIFY(doc.setValue(QStringLiteral("gateway.retention.minutes"), QString(),
                             QStringLiteral("Retention")));
        QVERIFY(!doc.node(QStringLiteral("gateway.retention.minutes")).IsDefined());
    }

    void save_isAtomicKeepsABackupAndReloadsEqual() {
        QTemporaryDir dir;
        const QString path = copyDemo(dir);
        const QByteArray original = readAll(path);
        ConfigDocument doc;
        QVERIFY(doc.load(path));
        QVERIFY(doc.setValue(QStringLiteral("plans[0].quota.requests"), QStringLiteral("20000"),
                             QStringLiteral("Quota")));
        QSignalSpy disk(&doc, &ConfigDocument::changedOnDisk);
        QVERIFY(doc.save());
        QVERIFY(!doc.isModified());
        QCOMPARE(readAll(path + QStringLiteral(".bak")), original);

        // What was saved loads back to the same config, and saving it untouched changes nothing.
        ConfigDocument again;
        QVERIFY(again.load(path));
        QVERIFY(again.isValid());
        QCOMPARE(again.config()->plans[0].quota->requests, uint64_t(20000));
        QCOMPARE(again.config()->consumers.size(), doc.config()->consumers.size());
        const QByteArray saved = readAll(path);
        QVERIFY(again.save());
        QCOMPARE(readAll(path), saved);
        // Our own writes are not reported as outside changes.
        QTest::qWait(200);
        QCOMPARE(disk.count(), 0);
    }

    void outsideChange_isNoticed() {
        QTemporaryDir dir;
        const QString path = copyDemo(dir);
        ConfigDocument doc;
        QVERIFY(doc.load(path));
        QSignalSpy disk(&doc, &ConfigDocument::changedOnDisk);
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        f.write("# edited elsewhere\n");
        f.close();
        QVERIFY(disk.wait(5000));
        // The document is unchanged until the user reloads.
        QVERIFY(!doc.isModified());
        QVERIFY(!QString::fromStdString(doc.text()).contains(QStringLiteral("edited elsewhere")));
    }

    void diff_showsOnlyRealChanges() {
        const std::string before = "version: 1\nplans:\n  - {name: free, grants: []}\n  - name: pro\n";
        // Same config, other spacing: no difference.
        QVERIFY(configDiff(before, "version:   1\nplans:\n  - {name: free,   grants: []}\n  - name: pro\n")
                    .empty());
        const auto lines =
            configDiff(before, "version: 1\nplans:\n  - {name: free, grants: []}\n  - name: gold\n");
        QCOMPARE(diffSummary(lines), QStringLiteral("+1 \u22121"));
        bool added = false;
        for (const DiffLine& l : lines) {
            added |= l.kind == DiffLine::Kind::Added && l.text.contains(QStringLiteral("gold"));
        }
        QVERIFY(added);
    }
};

QTEST_MAIN(ConfigDocumentTest)
#include "config_document_test.moc"
