// `tollgated --check FILE`: "ok" and exit 0 for a good file, every problem as FILE:LINE:COL: key: message
// and exit 2 for a bad one. `--config` with a bad file fails to start with the same messages.

#include "integration.h"

#include <QRegularExpression>

using namespace tollgate::test;

namespace {

std::string goodYaml() {
    GatewayYaml cfg;
    cfg.targets = {"http://127.0.0.1:9", "builtin:echo"};
    return cfg.toYaml();
}

std::string replaceOnce(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

} // namespace

class CheckCliTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string write(const std::string& name, const std::string& yaml) {
        const std::string path = m_dir.filePath(QString::fromStdString(name)).toStdString();
        writeFile(path, yaml);
        return path;
    }

private slots:
    void goodFilePrintsOk() {
        const CheckResult r = runCheck(write("good.yaml", goodYaml()));
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QCOMPARE(QString::fromStdString(r.out).trimmed(), QString("ok"));
    }

    void badValueGivesFileLineColumnAndKey() {
        const std::string yaml = replaceOnce(goodYaml(), "balance: round_robin", "balance: sideways");
        const std::string path = write("bad.yaml", yaml);
        const CheckResult r = runCheck(path);
        QVERIFY2(r.exitCode == 2, ("exit " + std::to_string(r.exitCode) + "\n" + r.out + r.err).c_str());
        const QString all = QString::fromStdString(r.out + r.err);
        const QString expected =
            QString::fromStdString(path) + ":" + QString::number(lineOf(yaml, "sideways")) + ":";
        QVERIFY2(all.contains(expected), qPrintable("expected " + expected + " in:\n" + all));
        QVERIFY2(all.contains(QRegularExpression(QRegularExpression::escape(QString::fromStdString(path)) +
                                                 ":\\d+:\\d+: services\\[0\\]\\.balance: ")),
                 qPrintable(all));
        QVERIFY2(!all.contains(QRegularExpression("^ok$", QRegularExpression::MultilineOption)),
                 qPrintable(all));
    }

    void everyProblemIsReported() {
        std::string yaml = replaceOnce(goodYaml(), "balance: round_robin", "balance: sideways");
        yaml = replaceOnce(yaml, "    service: backend\n", "    service: nowhere\n");
        const std::string path = write("two.yaml", yaml);
        const CheckResult r = runCheck(path);
        QCOMPARE(r.exitCode, 2);
        const QString all = QString::fromStdString(r.out + r.err);
        const QRegularExpression line(QRegularExpression::escape(QString::fromStdString(path)) +
                                      ":\\d+:\\d+: ");
        int count = 0;
        for (auto it = line.globalMatch(all); it.hasNext(); it.next()) {
            ++count;
        }
        QVERIFY2(count >= 2, qPrintable("expected two problems:\n" + all));
        QVERIFY2(all.contains("apis[0].service"), qPrintable(all));
    }

    void yamlSyntaxErrorIsLocated() {
        const std::string yaml = goodYaml() + "apis: [ { name: \"unterminated\n";
        const std::string path = write("syntax.yaml", yaml);
        const CheckResult r = runCheck(path);
        QCOMPARE(r.exitCode, 2);
        const QString all = QString::fromStdString(r.out + r.err);
        QVERIFY2(all.contains(QRegularExpression(QRegularExpression::escape(QString::fromStdString(path)) +
                                                 ":\\d+:\\d+:")),
                 qPrintable(all));
    }

    void missingFileFails() {
        const CheckResult r = runCheck(m_dir.filePath("missing.yaml").toStdString());
        QVERIFY2(r.exitCode != 0 && r.exitCode != -1, (std::to_string(r.exitCode) + r.out + r.err).c_str());
        QVERIFY2(QString::fromStdString(r.out + r.err).contains("missing.yaml"), (r.out + r.err).c_str());
    }

    void startingWithBadConfigFails() {
        TollgatedProcess gw;
        const std::string yaml = replaceOnce(goodYaml(), "balance: round_robin", "balance: sideways");
        QVERIFY(!gw.start(yaml, {}, 1, 5s));
        const auto code = gw.waitForExit(5s);
        QVERIFY2(code && *code != 0, gw.diagnostics().c_str());
        QVERIFY2(gw.stderrText().find("services[0].balance") != std::string::npos, gw.diagnostics().c_str());
    }
};

QTEST_GUILESS_MAIN(CheckCliTest)
#include "check_cli_test.moc"
