// Path normaliser: canonical forms, and the encoding tricks used to reach a path a policy guards.

#include "http/path_normalizer.h"

#include <QtTest>

#include <string>

using namespace tollgate::http;

Q_DECLARE_METATYPE(PathError)

namespace {

QString str(std::string_view v) {
    return QString::fromLatin1(v.data(), qsizetype(v.size()));
}

} // namespace

class HttpPathNormalizerTest : public QObject {
    Q_OBJECT

private slots:
    void normalizesToCanonicalPath_data();
    void normalizesToCanonicalPath();
    void rejectsUnsafePath_data();
    void rejectsUnsafePath();
    void outputIsIdempotent_data();
    void outputIsIdempotent();
    void splitsQueryUnchanged();
    void pathLengthLimitIsInclusive();
    void reusesCallerBuffer();
    void everyErrorHasAReason();
};

void HttpPathNormalizerTest::normalizesToCanonicalPath_data() {
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QString>("path");

    QTest::newRow("root") << QByteArray("/") << "/";
    QTest::newRow("dot segments") << QByteArray("/a/./b/../c") << "/a/c";
    QTest::newRow("slash runs") << QByteArray("//a///b/") << "/a/b/";
    QTest::newRow("double slash admin") << QByteArray("//admin") << "/admin";
    QTest::newRow("dot admin") << QByteArray("/./admin") << "/admin";
    QTest::newRow("dotdot admin") << QByteArray("/x/../admin") << "/admin";
    QTest::newRow("encoded dotdot") << QByteArray("/x/%2e%2e/admin") << "/admin";
    QTest::newRow("mixed encoded dotdot") << QByteArray("/x/.%2E/admin") << "/admin";
    QTest::newRow("encoded dot") << QByteArray("/%2e/admin") << "/admin";
    QTest::newRow("decoded unreserved") << QByteArray("/%61dmin") << "/admin";
    QTest::newRow("tilde") << QByteArray("/a/%7e") << "/a/~";
    QTest::newRow("unreserved set") << QByteArray("/%41%7A%30%2D%2E%5F%7E") << "/Az0-._~";
    QTest::newRow("non-ascii kept encoded upper") << QByteArray("/%e2%82") << "/%E2%82";
    QTest::newRow("utf8 kept encoded") << QByteArray("/caf%c3%a9") << "/caf%C3%A9";
    QTest::newRow("reserved kept encoded") << QByteArray("/a%3fb%23c%20d") << "/a%3Fb%23c%20d";
    QTest::newRow("encoded control kept") << QByteArray("/a%0a") << "/a%0A";
    QTest::newRow("trailing slash kept") << QByteArray("/a/b/") << "/a/b/";
    QTest::newRow("trailing dot") << QByteArray("/a/.") << "/a/";
    QTest::newRow("trailing dotdot") << QByteArray("/a/b/..") << "/a/";
    QTest::newRow("dotdot to root") << QByteArray("/a/..") << "/";
    QTest::newRow("dotdot with slashes") << QByteArray("/a//b//..//c") << "/a/c";
    QTest::newRow("dots in names") << QByteArray("/a.b/..c/.d/...") << "/a.b/..c/.d/...";
    QTest::newRow("sub-delims and colon") << QByteArray("/a:b@c!$&'()*+,=") << "/a:b@c!$&'()*+,=";
    QTest::newRow("only slashes") << QByteArray("///") << "/";
    QTest::newRow("with query") << QByteArray("/a/../b?x=/../y") << "/b";
}

void HttpPathNormalizerTest::normalizesToCanonicalPath() {
    QFETCH(QByteArray, target);
    QFETCH(QString, path);
    std::string out;
    std::string_view query;
    const PathError e =
        normalizePath(std::string_view(target.constData(), size_t(target.size())), out, query);
    QVERIFY2(e == PathError::None, pathErrorReason(e));
    QCOMPARE(QString::fromStdString(out), path);
}

void HttpPathNormalizerTest::rejectsUnsafePath_data() {
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<PathError>("error");
    QTest::addColumn<QString>("reason");

    QTest::newRow("encoded slash") << QByteArray("/a%2fb") << PathError::EncodedSlash << "path.encoded_slash";
    QTest::newRow("encoded slash upper")
        << QByteArray("/admin%2F") << PathError::EncodedSlash << "path.encoded_slash";
    QTest::newRow("encoded backslash")
        << QByteArray("/a%5cb") << PathError::EncodedSlash << "path.encoded_slash";
    QTest::newRow("backslash") << QByteArray("/a\\..\\admin") << PathError::Backslash << "path.backslash";
    QTest::newRow("encoded nul") << QByteArray("/admin%00.json") << PathError::Nul << "path.nul";
    QTest::newRow("raw control") << QByteArray("/a\tb") << PathError::Nul << "path.nul";
    QTest::newRow("raw nul") << QByteArray("/a\0b", 4) << PathError::Nul << "path.nul";
    QTest::newRow("raw DEL") << QByteArray("/a\x7f") << PathError::Nul << "path.nul";
    QTest::newRow("raw non-ascii") << QByteArray("/caf\xc3\xa9") << PathError::BadEncoding
                                   << "path.bad_encoding";
    QTest::newRow("raw space") << QByteArray("/a b") << PathError::BadEncoding << "path.bad_encoding";
    QTest::newRow("raw pipe") << QByteArray("/a|b") << PathError::BadEncoding << "path.bad_encoding";
    QTest::newRow("truncated percent") << QByteArray("/a%2") << PathError::BadEncoding << "path.bad_encoding";
    QTest::newRow("lone percent") << QByteArray("/a%") << PathError::BadEncoding << "path.bad_encoding";
    QTest::newRow("non-hex percent") << QByteArray("/a%zz") << PathError::BadEncoding << "path.bad_encoding";
    QTest::newRow("double encoding start")
        << QByteArray("/%%32%65") << PathError::BadEncoding << "path.bad_encoding";
    QTest::newRow("path parameters") << QByteArray("/admin;jsessionid=1") << PathError::Parameters
                                     << "path.parameters";
    QTest::newRow("dotdot parameters")
        << QByteArray("/x/..;/admin") << PathError::Parameters << "path.parameters";
    QTest::newRow("above root") << QByteArray("/..") << PathError::AboveRoot << "path.above_root";
    QTest::newRow("above root later")
        << QByteArray("/a/../../etc/passwd") << PathError::AboveRoot << "path.above_root";
    QTest::newRow("encoded above root")
        << QByteArray("/%2e%2e/etc") << PathError::AboveRoot << "path.above_root";
    QTest::newRow("empty") << QByteArray("") << PathError::NotOriginForm << "path.not_origin_form";
    QTest::newRow("asterisk") << QByteArray("*") << PathError::NotOriginForm << "path.not_origin_form";
    QTest::newRow("absolute uri") << QByteArray("http://a/b") << PathError::NotOriginForm
                                  << "path.not_origin_form";
    QTest::newRow("query only") << QByteArray("?a") << PathError::NotOriginForm << "path.not_origin_form";
    QTest::newRow("fragment") << QByteArray("/a#b") << PathError::Fragment << "path.fragment";
    QTest::newRow("fragment in query") << QByteArray("/a?b#c") << PathError::Fragment << "path.fragment";
    QTest::newRow("control in query") << QByteArray("/a?b\x01") << PathError::Nul << "path.nul";
    QTest::newRow("too long") << "/" + QByteArray(8 * 1024, 'a') << PathError::TooLong << "path.too_long";
}

void HttpPathNormalizerTest::rejectsUnsafePath() {
    QFETCH(QByteArray, target);
    QFETCH(PathError, error);
    QFETCH(QString, reason);
    std::string out;
    std::string_view query;
    const PathError e =
        normalizePath(std::string_view(target.constData(), size_t(target.size())), out, query);
    QCOMPARE(int(e), int(error));
    QCOMPARE(QString(pathErrorReason(e)), reason);
}

void HttpPathNormalizerTest::outputIsIdempotent_data() {
    normalizesToCanonicalPath_data();
}

void HttpPathNormalizerTest::outputIsIdempotent() {
    QFETCH(QByteArray, target);
    std::string once;
    std::string twice;
    std::string_view query;
    QCOMPARE(normalizePath(std::string_view(target.constData(), size_t(target.size())), once, query),
             PathError::None);
    QCOMPARE(normalizePath(once, twice, query), PathError::None);
    QCOMPARE(QString::fromStdString(twice), QString::fromStdString(once));
}

void HttpPathNormalizerTest::splitsQueryUnchanged() {
    const std::string target = "/a/%7e/?q=%2F..%7e&x";
    std::string path;
    std::string_view query;
    QCOMPARE(normalizePath(target, path, query), PathError::None);
    QCOMPARE(QString::fromStdString(path), QString("/a/~/"));
    QCOMPARE(str(query), QString("q=%2F..%7e&x"));
    QVERIFY(query.data() >= target.data() && query.data() + query.size() <= target.data() + target.size());
    QCOMPARE(normalizePath("/a?", path, query), PathError::None);
    QVERIFY(query.empty());
    QCOMPARE(normalizePath("/a", path, query), PathError::None);
    QVERIFY(query.empty());
}

void HttpPathNormalizerTest::pathLengthLimitIsInclusive() {
    std::string path;
    std::string_view query;
    const std::string at = "/" + std::string(8 * 1024 - 1, 'a');
    QCOMPARE(normalizePath(at, path, query), PathError::None);
    QCOMPARE(path.size(), size_t(8 * 1024));
    QCOMPARE(normalizePath(at + "b", path, query), PathError::TooLong);
    // Dot-segments that bring a long input back under the limit are fine.
    QCOMPARE(normalizePath(at + "b/..", path, query), PathError::None);
}

void HttpPathNormalizerTest::reusesCallerBuffer() {
    std::string path;
    path.reserve(8 * 1024);
    const char* before = path.data();
    std::string_view query;
    QCOMPARE(normalizePath("/v1/users/%7e42/./orders/../items?x=1", path, query), PathError::None);
    QCOMPARE(QString::fromStdString(path), QString("/v1/users/~42/items"));
    QCOMPARE(static_cast<const void*>(path.data()), static_cast<const void*>(before));
}

void HttpPathNormalizerTest::everyErrorHasAReason() {
    for (int e = int(PathError::NotOriginForm); e <= int(PathError::Fragment); ++e) {
        QVERIFY(QString(pathErrorReason(PathError(e))).startsWith("path."));
    }
    QCOMPARE(QString(pathErrorReason(PathError::None)), QString());
}

QTEST_APPLESS_MAIN(HttpPathNormalizerTest)
#include "http_path_normalizer_test.moc"
