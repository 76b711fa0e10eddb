// `tollgated --check` on gateway.tls.certificates: a key that does not match its certificate, an
// expired certificate, a file that is not PEM (errors, exit 2) and a certificate not valid yet (a
// warning), each as FILE:LINE:COL: key: message naming the file.

#include "integration.h"
#include "test_pki.h"

#include <QRegularExpression>

using namespace tollgate::test;

namespace {

std::string yamlWith(const std::string& cert, const std::string& key) {
    return "version: 1\n"
           "gateway:\n"
           "  tls:\n"
           "    listen: [\"127.0.0.1:0\"]\n"
           "    certificates:\n"
           "      - cert: \"" +
           cert +
           "\"\n"
           "        key: \"" +
           key +
           "\"\n"
           "services:\n"
           "  - { name: echo, targets: [{ url: builtin:echo }] }\n"
           "apis:\n"
           "  - { name: open, base_path: /open, service: echo, public: true, routes: [{ name: all, path: "
           "\"/*\" }] }\n";
}

} // namespace

class TlsCheckTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    TestPki m_pki;

    std::string dir() const { return m_dir.path().toStdString(); }

    CheckResult check(const std::string& name, const std::string& cert, const std::string& key) {
        const std::string path = dir() + "/" + name;
        writeFile(path, yamlWith(cert, key));
        return runCheck(path);
    }

private slots:
    void goodPairIsOk() {
        const TestCertificate c = m_pki.issueServer({"a.test"});
        const CheckResult r =
            check("good.yaml", writePem(dir(), "good.crt", c.certPem), writePem(dir(), "good.key", c.keyPem));
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
    }

    void keyOfAnotherCertificate() {
        const TestCertificate a = m_pki.issueServer({"a.test"});
        const TestCertificate b = m_pki.issueServer({"b.test"});
        const std::string cert = writePem(dir(), "mine.crt", a.certPem);
        const std::string key = writePem(dir(), "other.key", b.keyPem);
        const CheckResult r = check("mismatch.yaml", cert, key);
        QCOMPARE(r.exitCode, 2);
        const QRegularExpression line(
            QStringLiteral(
                "mismatch\\.yaml:7:14: gateway\\.tls\\.certificates\\[0\\]\\.key: the key in \"%1\" does not "
                "match the certificate in \"%2\"")
                .arg(QRegularExpression::escape(QString::fromStdString(key)),
                     QRegularExpression::escape(QString::fromStdString(cert))));
        QVERIFY2(line.match(QString::fromStdString(r.err + r.out)).hasMatch(), (r.out + r.err).c_str());
    }

    void expiredCertificate() {
        const TestCertificate old = m_pki.issueServer({"a.test"}, {"127.0.0.1"}, -10, -1);
        const std::string cert = writePem(dir(), "old.crt", old.certPem);
        const CheckResult r = check("expired.yaml", cert, writePem(dir(), "old.key", old.keyPem));
        QCOMPARE(r.exitCode, 2);
        const QRegularExpression line(
            QStringLiteral(
                "expired\\.yaml:6:15: gateway\\.tls\\.certificates\\[0\\]\\.cert: the certificate in \"%1\" "
                "expired on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC")
                .arg(QRegularExpression::escape(QString::fromStdString(cert))));
        QVERIFY2(line.match(QString::fromStdString(r.err + r.out)).hasMatch(), (r.out + r.err).c_str());
    }

    void notYetValidIsAWarning() {
        const TestCertificate future = m_pki.issueServer({"a.test"}, {"127.0.0.1"}, 2, 30);
        const std::string cert = writePem(dir(), "future.crt", future.certPem);
        const CheckResult r = check("future.yaml", cert, writePem(dir(), "future.key", future.keyPem));
        QVERIFY2(r.exitCode == 0, (r.out + r.err).c_str());
        QVERIFY2((r.out + r.err)
                         .find("warning: gateway.tls.certificates[0].cert: the certificate in \"" + cert +
                               "\" is not valid before") != std::string::npos,
                 (r.out + r.err).c_str());
    }

    void notPem() {
        const TestCertificate c = m_pki.issueServer({"a.test"});
        const std::string junk = dir() + "/junk.crt";
        writeFile(junk, "this is not a certificate\n");
        const CheckResult r = check("junk.yaml", junk, writePem(dir(), "junk.key", c.keyPem));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2((r.out + r.err)
                         .find("junk.yaml:6:15: gateway.tls.certificates[0].cert: \"" + junk +
                               "\" is not a PEM certificate") != std::string::npos,
                 (r.out + r.err).c_str());
    }
};

QTEST_GUILESS_MAIN(TlsCheckTest)
#include "tls_check_test.moc"
