// `--version` and `--help` of both executables, run as a user would: the version and commit they were
// built from, the versions of the libraries the dynamic linker loaded (compared with what this test
// process loads from the same system), and every option in the help.

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QtTest>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <sqlite3.h>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

// No display and no Qt platform: --version and --help must answer before Qt needs one.
Run run(const QString& program, const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    p.setProcessEnvironment(env);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QStringList libraryLines() {
    return {QStringLiteral("  ") + QString::fromUtf8(OpenSSL_version(OPENSSL_VERSION)),
            QStringLiteral("  libcurl ") + QString::fromUtf8(curl_version_info(CURLVERSION_NOW)->version),
            QStringLiteral("  SQLite ") + QString::fromUtf8(sqlite3_libversion())};
}

QString firstLine(const QString& program) {
    return program + QStringLiteral(" " TOLLGATE_VERSION " (commit " TOLLGATE_GIT_COMMIT ")");
}

void verifyOptionsListed(const QString& help, const QStringList& options) {
    for (const QString& option : options) {
        QVERIFY2(help.contains(option), qPrintable(QStringLiteral("help lacks %1:\n%2").arg(option, help)));
    }
}

} // namespace

class CliIdentityTest : public QObject {
    Q_OBJECT

private:
    const QString m_daemon = qEnvironmentVariable("TOLLGATED");
    const QString m_console = qEnvironmentVariable("TOLLGATE_CONSOLE");

private slots:
    void initTestCase() {
        QVERIFY2(QFileInfo(m_daemon).isExecutable(), "TOLLGATED must name the built tollgated");
        // The commit is a short hash in a checkout, "unknown" elsewhere; never empty.
        QVERIFY(QRegularExpression(QStringLiteral("^([0-9a-f]{7,40}|unknown)$"))
                    .match(QStringLiteral(TOLLGATE_GIT_COMMIT))
                    .hasMatch());
    }

    void daemonVersion_namesVersionCommitAndLoadedLibraries() {
        const Run r = run(m_daemon, {QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), firstLine(QStringLiteral("tollgated")));
        QCOMPARE(lines.mid(1), libraryLines());
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    }

    void daemonHelp_listsEveryOptionAndCommand() {
        const Run r = run(m_daemon, {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        verifyOptionsListed(r.out,
                            {"--config", "-c,",     "--check",     "--workers",  "--no-watch", "--version",
                             "--help",   "-h,",     "key new",     "--consumer", "--id",       "explain",
                             "--host",   "--ip",    "METHOD PATH", "report",     "--period",   "--format",
                             "csv|json", "--store", "Exit codes"});
        QCOMPARE(run(m_daemon, {QStringLiteral("-h")}).out, r.out);
    }

    void daemonUnknownOption_printsUsageAndExits64() {
        const Run r = run(m_daemon, {QStringLiteral("--frobnicate")});
        QCOMPARE(r.exitCode, 64);
        QVERIFY(r.err.contains(QStringLiteral("unknown argument --frobnicate")));
        QVERIFY(r.err.contains(QStringLiteral("usage: tollgated")));
        QVERIFY(r.out.isEmpty());
    }

    void consoleVersion_addsQtWithoutADisplay() {
        if (m_console.isEmpty()) {
            QSKIP("the console is not built (TOLLGATE_BUILD_GUI=OFF)");
        }
        for (const QString& flag : {QStringLiteral("--version"), QStringLiteral("-v")}) {
            const Run r = run(m_console, {flag});
            QCOMPARE(r.exitCode, 0);
            const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
            QCOMPARE(lines.value(0), firstLine(QStringLiteral("tollgate")));
            QCOMPARE(lines.value(1), QStringLiteral("  Qt ") + QString::fromUtf8(qVersion()));
            QCOMPARE(lines.mid(2), libraryLines());
        }
    }

    void consoleHelp_listsEveryOption() {
        if (m_console.isEmpty()) {
            QSKIP("the console is not built (TOLLGATE_BUILD_GUI=OFF)");
        }
        const Run r = run(m_console, {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        verifyOptionsListed(r.out, {"usage: tollgate [FILE]", "--screenshots DIR", "--page NAME",
                                    "--simulate RATE", "--quit-after SECONDS", "--no-stall-probe",
                                    "-v, --version", "-h, --help", "demo workspace"});
    }
};

QTEST_GUILESS_MAIN(CliIdentityTest)
#include "cli_identity_test.moc"
