// The access commands of the real binary: `tollgated key new` and `tollgated explain`.

#include "integration.h"

#include <QCryptographicHash>
#include <QProcess>
#include <QRegularExpression>

using namespace tollgate::test;

namespace {

QString demo() {
    return QString::fromStdString(sourcePath("resources/examples/demo.yaml"));
}

} // namespace

class AccessCliTest : public QObject {
    Q_OBJECT

private slots:
    void keyNewPrintsAKeyAndItsHash() {
        const CliRun r = runTollgatedCli({"key", "new", "--consumer", "acme"});
        QCOMPARE(r.exitCode, 0);
        const auto key = QRegularExpression("\\b(tg_[A-Za-z0-9_-]{43})\\b").match(r.out);
        QVERIFY2(key.hasMatch(), qPrintable(r.out));
        const auto hash = QRegularExpression("hash: \"sha256:([0-9a-f]{64})\"").match(r.out);
        QVERIFY2(hash.hasMatch(), qPrintable(r.out));
        const QByteArray expected =
            QCryptographicHash::hash(key.captured(1).toUtf8(), QCryptographicHash::Sha256).toHex();
        QCOMPARE(hash.captured(1).toUtf8(), expected);
        // Two runs never give the same key.
        const CliRun again = runTollgatedCli({"key", "new", "--consumer", "acme"});
        QVERIFY(!again.out.contains(key.captured(1)));
    }

    void keyNewWithoutConsumerIsAUsageError() {
        const CliRun r = runTollgatedCli({"key", "new"});
        QCOMPARE(r.exitCode, 64);
        QVERIFY(r.err.contains("usage"));
    }

    void explainNamesTheDecisionAndTheRules_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("firstLine");
        QTest::newRow("deny wins") << QStringList{"--consumer", "acme", "DELETE", "/orders/v1/admin/x"}
                                   << "403 deny.explicit: consumer acme denies orders/{admin}";
        QTest::newRow("no grant") << QStringList{"--consumer", "acme", "POST",
                                                 "/inventory/v1/items/3/restock"}
                                  << "403 deny.no_grant: plan free grants inventory/{items,item}; POST "
                                     "/inventory/v1/items/3/restock is inventory/restock";
        QTest::newRow("anonymous") << QStringList{"GET", "/orders/v1/42"} << "401 auth.missing";
        QTest::newRow("allowed") << QStringList{"--consumer", "globex", "POST", "/orders/v1/"}
                                 << "200 allowed: consumer globex, plan pro grants orders/{list,get,create}";
        QTest::newRow("path trick") << QStringList{"--consumer", "acme", "GET", "/orders/v1/x/..//%61dmin/y"}
                                    << "403 deny.explicit";
    }
    void explainNamesTheDecisionAndTheRules() {
        QFETCH(QStringList, args);
        QFETCH(QString, firstLine);
        const CliRun r = runTollgatedCli(QStringList{"explain", "--config", demo()} + args);
        QCOMPARE(r.exitCode, 0);
        const QString first = r.out.section('\n', 0, 0);
        QVERIFY2(first.startsWith(firstLine), qPrintable(r.out));
        // The chain follows, one indented line per rule applied, starting with the IP rules.
        QVERIFY2(r.out.contains("\n  ip_rules: "), qPrintable(r.out));
    }

    void explainUnknownConsumerFails() {
        const CliRun r =
            runTollgatedCli({"explain", "--config", demo(), "--consumer", "nobody", "GET", "/orders/v1/"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains("nobody"), qPrintable(r.out + r.err));
    }
};

QTEST_GUILESS_MAIN(AccessCliTest)
#include "access_cli_test.moc"
