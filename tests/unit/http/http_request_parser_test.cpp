// Request-head parser: valid forms, every rejection rule (with the smuggling classics), limits at
// their boundaries, incomplete heads at every split point and pipelining.

#include "http/request_parser.h"

#include <QtTest>

#include <chrono>
#include <memory>
#include <string>

using namespace tollgate::http;

namespace {

struct Outcome {
    ParseStatus status;
    ParseError err;
};

Outcome parse(const QByteArray& in, RequestHead& head, const ParserLimits& limits = {}) {
    ParseError err;
    const ParseStatus st = parseRequestHead(in.constData(), size_t(in.size()), limits, head, err);
    return {st, err};
}

bool inside(std::string_view v, const QByteArray& buf) {
    return v.empty() || (v.data() >= buf.constData() && v.data() + v.size() <= buf.constData() + buf.size());
}

QString str(std::string_view v) {
    return QString::fromLatin1(v.data(), qsizetype(v.size()));
}

} // namespace

class HttpRequestParserTest : public QObject {
    Q_OBJECT

private slots:
    void acceptsValidRequest_data();
    void acceptsValidRequest();
    void rejectsInvalidRequest_data();
    void rejectsInvalidRequest();
    void headerViewsAreTrimmedAndPointIntoInput();
    void reportsIncompleteAtEverySplitPoint();
    void parsesPipelinedRequestsFromOneBuffer();
    void headerBytesLimitIsInclusive();
    void headerBytesLimitAppliesWhileIncomplete();
    void uriLimitIsInclusive();
    void uriLimitAppliesBeforeRequestLineCompletes();
    void headerCountLimitIsInclusive();
    void headerCountNeverExceedsHardMaximum();
    void skipsAFewLeadingEmptyLines();
    void rejectsBadRequestLineBeforeHeadIsComplete();
    void absoluteFormTargetPointsAtPath();
    void equalsIgnoreCaseComparesAscii();
    void reparsesIntoReusedHead();
};

void HttpRequestParserTest::acceptsValidRequest_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("versionMinor");
    QTest::addColumn<qlonglong>("contentLength");
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<bool>("expectContinue");

    QTest::newRow("simple get") << QByteArray("GET / HTTP/1.1\r\nHost: a.com\r\n\r\n") << "GET"
                                << "/"
                                << "a.com" << 1 << -1LL << false << true << false << false;
    QTest::newRow("post with length")
        << QByteArray("POST /x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n") << "POST"
        << "/x?y=1"
        << "a" << 1 << 5LL << false << true << false << false;
    QTest::newRow("content-length zero")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n") << "POST"
        << "/"
        << "a" << 1 << 0LL << false << true << false << false;
    QTest::newRow("identical length list")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7, 7 ,7\r\n\r\n") << "POST"
        << "/"
        << "a" << 1 << 7LL << false << true << false << false;
    QTest::newRow("identical duplicate length")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\ncontent-length: 7\r\n\r\n")
        << "POST"
        << "/"
        << "a" << 1 << 7LL << false << true << false << false;
    QTest::newRow("length at 2^62")
        << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 4611686018427387904\r\n\r\n") << "PUT"
        << "/"
        << "a" << 1 << 4611686018427387904LL << false << true << false << false;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n")
                             << "POST"
                             << "/"
                             << "a" << 1 << -1LL << true << true << false << false;
    QTest::newRow("chunked upper case")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\ntransfer-encoding: CHUNKED\r\n\r\n") << "POST"
        << "/"
        << "a" << 1 << -1LL << true << true << false << false;
    QTest::newRow("connection close")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n") << "GET"
        << "/"
        << "a" << 1 << -1LL << false << false << false << false;
    QTest::newRow("close wins in list")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n") << "GET"
        << "/"
        << "a" << 1 << -1LL << false << false << false << false;
    QTest::newRow("http10 default close") << QByteArray("GET / HTTP/1.0\r\n\r\n") << "GET"
                                          << "/"
                                          << "" << 0 << -1LL << false << false << false << false;
    QTest::newRow("http10 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << "GET"
        << "/"
        << "" << 0 << -1LL << false << true << false << false;
    QTest::newRow("upgrade websocket")
        << QByteArray(
               "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n")
        << "GET"
        << "/ws"
        << "a" << 1 << -1LL << false << true << true << false;
    QTest::newRow("upgrade header without connection token")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n") << "GET"
        << "/"
        << "a" << 1 << -1LL << false << true << false << false;
    QTest::newRow("upgrade ignored in http10")
        << QByteArray("GET / HTTP/1.0\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n") << "GET"
        << "/"
        << "" << 0 << -1LL << false << false << false << false;
    QTest::newRow("expect continue")
        << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n")
        << "PUT"
        << "/"
        << "a" << 1 << 3LL << false << true << false << true;
    QTest::newRow("options asterisk") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << "OPTIONS"
                                      << "*"
                                      << "a" << 1 << -1LL << false << true << false << false;
    QTest::newRow("connect authority")
        << QByteArray("CONNECT a.com:443 HTTP/1.1\r\nHost: a.com:443\r\n\r\n") << "CONNECT"
        << "a.com:443"
        << "a.com:443" << 1 << -1LL << false << true << false << false;
    QTest::newRow("absolute form") << QByteArray(
                                          "GET http://b.com:8080/p?q HTTP/1.1\r\nHost: ignored\r\n\r\n")
                                   << "GET"
                                   << "/p?q"
                                   << "b.com:8080" << 1 << -1LL << false << true << false << false;
    QTest::newRow("absolute form no path")
        << QByteArray("GET HTTPS://b.com HTTP/1.1\r\nHost: b.com\r\n\r\n") << "GET"
        << "/"
        << "b.com" << 1 << -1LL << false << true << false << false;
    QTest::newRow("ipv6 host") << QByteArray("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n") << "GET"
                               << "/"
                               << "[::1]:8080" << 1 << -1LL << false << true << false << false;
    QTest::newRow("ipv4 host") << QByteArray("GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n") << "GET"
                               << "/"
                               << "10.0.0.1" << 1 << -1LL << false << true << false << false;
    QTest::newRow("empty host value") << QByteArray("GET / HTTP/1.1\r\nHost:\r\n\r\n") << "GET"
                                      << "/"
                                      << "" << 1 << -1LL << false << true << false << false;
    QTest::newRow("extension method") << QByteArray("PROPFIND /d HTTP/1.1\r\nHost: a\r\n\r\n") << "PROPFIND"
                                      << "/d"
                                      << "a" << 1 << -1LL << false << true << false << false;
    QTest::newRow("obs-text and tab in value")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-T: a\tb \xe9\r\n\r\n") << "GET"
        << "/"
        << "a" << 1 << -1LL << false << true << false << false;
    QTest::newRow("empty value") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-E:\r\nX-F:   \r\n\r\n")
                                 << "GET"
                                 << "/"
                                 << "a" << 1 << -1LL << false << true << false << false;
}

void HttpRequestParserTest::acceptsValidRequest() {
    QFETCH(QByteArray, input);
    QFETCH(QString, method);
    QFETCH(QString, target);
    QFETCH(QString, host);
    QFETCH(int, versionMinor);
    QFETCH(qlonglong, contentLength);
    QFETCH(bool, chunked);
    QFETCH(bool, keepAlive);
    QFETCH(bool, upgrade);
    QFETCH(bool, expectContinue);

    auto head = std::make_unique<RequestHead>();
    const Outcome o = parse(input, *head);
    QVERIFY2(o.status == ParseStatus::Complete, o.err.reason);
    QCOMPARE(str(head->method), method);
    QCOMPARE(str(head->target), target);
    QCOMPARE(str(head->host), host);
    QCOMPARE(head->versionMinor, versionMinor);
    QCOMPARE(qlonglong(head->contentLength), contentLength);
    QCOMPARE(head->chunked, chunked);
    QCOMPARE(head->keepAlive, keepAlive);
    QCOMPARE(head->upgrade, upgrade);
    QCOMPARE(head->expectContinue, expectContinue);
    QCOMPARE(head->headBytes, size_t(input.size()));
    if (upgrade) {
        QCOMPARE(str(head->upgradeProtocol), QString("websocket"));
    }
}

void HttpRequestParserTest::rejectsInvalidRequest_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");

    // Smuggling classics.
    QTest::newRow("CL.TE")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n")
        << 400 << "request.length_and_chunked";
    QTest::newRow("TE.CL")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n")
        << 400 << "request.length_and_chunked";
    QTest::newRow("chunked, identity")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n") << 400
        << "request.transfer_coding_not_chunked";
    QTest::newRow("identity") << QByteArray(
                                     "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n")
                              << 400 << "request.transfer_coding_not_chunked";
    QTest::newRow("gzip, chunked")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n") << 501
        << "request.transfer_coding";
    QTest::newRow("chunked twice across lines")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: "
                      "chunked\r\n\r\n")
        << 501 << "request.transfer_coding";
    QTest::newRow("chunked with parameter")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n") << 400
        << "request.transfer_coding_not_chunked";
    QTest::newRow("xchunked") << QByteArray(
                                     "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n")
                              << 400 << "request.transfer_coding_not_chunked";
    QTest::newRow("empty transfer-encoding")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n") << 400
        << "request.transfer_coding_not_chunked";
    QTest::newRow("space before colon TE")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n") << 400
        << "request.header_name";
    QTest::newRow("tab before colon")
        << QByteArray("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n") << 400 << "request.header_name";
    QTest::newRow("te in http10") << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n")
                                  << 400 << "request.transfer_coding_http10";
    QTest::newRow("differing duplicate length")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n") << 400
        << "request.conflicting_length";
    QTest::newRow("differing length list")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n") << 400
        << "request.conflicting_length";
    QTest::newRow("signed length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n")
                                   << 400 << "request.content_length";
    QTest::newRow("negative length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")
                                     << 400 << "request.content_length";
    QTest::newRow("hex length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n")
                                << 400 << "request.content_length";
    QTest::newRow("empty length") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n")
                                  << 400 << "request.content_length";
    QTest::newRow("empty list element length")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,\r\n\r\n") << 400
        << "request.content_length";
    QTest::newRow("length above 2^62")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4611686018427387905\r\n\r\n") << 400
        << "request.content_length";
    QTest::newRow("length overflowing 64 bits")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n") << 400
        << "request.content_length";
    QTest::newRow("obs-fold") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n") << 400
                              << "request.obs_fold";
    QTest::newRow("obs-fold with tab")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n") << 400 << "request.obs_fold";
    QTest::newRow("whitespace before first header")
        << QByteArray("GET / HTTP/1.1\r\n Host: a\r\n\r\n") << 400 << "request.obs_fold";
    QTest::newRow("LF only line endings")
        << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << 400 << "request.bare_lf";
    QTest::newRow("bare LF in header section")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n") << 400 << "request.bare_lf";
    QTest::newRow("bare CR in value")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n") << 400 << "request.bare_cr";
    QTest::newRow("bare CR in name") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX\rY: a\r\n\r\n") << 400
                                     << "request.bare_cr";
    QTest::newRow("bare CR in request line")
        << QByteArray("GET /\r HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.bare_cr";
    QTest::newRow("CR CR LF") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\r\n\r\n") << 400
                              << "request.bare_cr";
    QTest::newRow("NUL in header value")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", 35) << 400 << "request.header_value";
    QTest::newRow("DEL in header value")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n") << 400 << "request.header_value";
    QTest::newRow("control in header value")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: a\x01\r\n\r\n") << 400 << "request.header_value";
    QTest::newRow("empty header name")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n") << 400 << "request.header_name";
    QTest::newRow("header without colon")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n") << 400 << "request.header_name";
    QTest::newRow("non-token header name")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX(y): v\r\n\r\n") << 400 << "request.header_name";
    QTest::newRow("non-ascii header name")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX\xe9: v\r\n\r\n") << 400 << "request.header_name";
    // Request line.
    QTest::newRow("lower-case version")
        << QByteArray("GET / http/1.1\r\nHost: a\r\n\r\n") << 400 << "request.version";
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\nHost: a\r\n\r\n") << 505 << "request.version";
    QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\nHost: a\r\n\r\n") << 505 << "request.version";
    QTest::newRow("HTTP/0.9") << QByteArray("GET / HTTP/0.9\r\n\r\n") << 505 << "request.version";
    QTest::newRow("HTTP/1.10") << QByteArray("GET / HTTP/1.10\r\nHost: a\r\n\r\n") << 400
                               << "request.version";
    QTest::newRow("trailing space after version")
        << QByteArray("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") << 400 << "request.version";
    QTest::newRow("missing version") << QByteArray("GET /\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("double space after method")
        << QByteArray("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("double space before version")
        << QByteArray("GET /  HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.version";
    QTest::newRow("tab separator") << QByteArray("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n") << 400
                                   << "request.method";
    QTest::newRow("non-token method")
        << QByteArray("G(T / HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.method";
    QTest::newRow("empty request line") << QByteArray("\r\n\r\n\r\n\r\n\r\n\r\n") << 400 << "request.method";
    QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n") << 400
                                     << "request.version";
    QTest::newRow("control in target")
        << QByteArray("GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("non-ascii in target")
        << QByteArray("GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("DEL in target") << QByteArray("GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n") << 400
                                   << "request.target";
    QTest::newRow("asterisk with GET")
        << QByteArray("GET * HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("authority with GET")
        << QByteArray("GET a.com:80 HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("origin with CONNECT")
        << QByteArray("CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("CONNECT without port")
        << QByteArray("CONNECT a.com HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("absolute with userinfo")
        << QByteArray("GET http://u@a.com/ HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("absolute other scheme")
        << QByteArray("GET ftp://a.com/ HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("absolute empty authority")
        << QByteArray("GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n") << 400 << "request.target";
    QTest::newRow("relative target") << QByteArray("GET a/b HTTP/1.1\r\nHost: a\r\n\r\n") << 400
                                     << "request.target";
    // Host.
    QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400 << "request.host_missing";
    QTest::newRow("duplicate host") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n") << 400
                                    << "request.host_duplicate";
    QTest::newRow("host list") << QByteArray("GET / HTTP/1.1\r\nHost: a.com, b.com\r\n\r\n") << 400
                               << "request.host";
    QTest::newRow("host with path") << QByteArray("GET / HTTP/1.1\r\nHost: a.com/x\r\n\r\n") << 400
                                    << "request.host";
    QTest::newRow("host with userinfo")
        << QByteArray("GET / HTTP/1.1\r\nHost: u@a.com\r\n\r\n") << 400 << "request.host";
    QTest::newRow("host port too big")
        << QByteArray("GET / HTTP/1.1\r\nHost: a:65536\r\n\r\n") << 400 << "request.host";
    QTest::newRow("host empty port") << QByteArray("GET / HTTP/1.1\r\nHost: a:\r\n\r\n") << 400
                                     << "request.host";
    QTest::newRow("host bad ipv6") << QByteArray("GET / HTTP/1.1\r\nHost: [zz]\r\n\r\n") << 400
                                   << "request.host";
    QTest::newRow("host unclosed ipv6")
        << QByteArray("GET / HTTP/1.1\r\nHost: [::1\r\n\r\n") << 400 << "request.host";
    QTest::newRow("host bad percent")
        << QByteArray("GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n") << 400 << "request.host";
    // Expect and Upgrade.
    QTest::newRow("unknown expectation")
        << QByteArray("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n") << 417 << "request.expect";
    QTest::newRow("duplicate upgrade")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: a\r\nUpgrade: b\r\n\r\n") << 400
        << "request.upgrade_duplicate";
}

void HttpRequestParserTest::rejectsInvalidRequest() {
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QString, reason);
    auto head = std::make_unique<RequestHead>();
    const Outcome o = parse(input, *head);
    QCOMPARE(int(o.status), int(ParseStatus::Error));
    QCOMPARE(QString(o.err.reason), reason);
    QCOMPARE(o.err.status, status);
}

void HttpRequestParserTest::headerViewsAreTrimmedAndPointIntoInput() {
    const QByteArray in("GET /p HTTP/1.1\r\nHost:  a.com \r\nX-Mixed-Case:\t v a l \t\r\nEmpty:\r\n\r\n");
    auto head = std::make_unique<RequestHead>();
    QVERIFY(parse(in, *head).status == ParseStatus::Complete);
    QCOMPARE(head->headerCount, size_t(3));
    QCOMPARE(str(head->headers[1].name), QString("X-Mixed-Case"));
    QCOMPARE(str(head->headers[1].value), QString("v a l"));
    QCOMPARE(str(head->headers[0].value), QString("a.com"));
    QVERIFY(head->headers[2].value.empty());
    for (size_t i = 0; i < head->headerCount; ++i) {
        QVERIFY(inside(head->headers[i].name, in));
        QVERIFY(inside(head->headers[i].value, in));
    }
    QVERIFY(inside(head->method, in));
    QVERIFY(inside(head->target, in));
    QVERIFY(inside(head->host, in));
}

void HttpRequestParserTest::reportsIncompleteAtEverySplitPoint() {
    const QByteArray full("\r\nPOST /upload?x=1 HTTP/1.1\r\nHost: a.com:8080\r\nContent-Length: 12\r\n"
                          "Connection: keep-alive\r\nExpect: 100-continue\r\n\r\n");
    auto head = std::make_unique<RequestHead>();
    for (qsizetype n = 0; n < full.size(); ++n) {
        const Outcome o = parse(full.left(n), *head);
        QVERIFY2(o.status == ParseStatus::Incomplete, qPrintable(QString("prefix %1").arg(n)));
    }
    QVERIFY(parse(full, *head).status == ParseStatus::Complete);
    QCOMPARE(head->headBytes, size_t(full.size()));
    QCOMPARE(head->contentLength, int64_t(12));
}

void HttpRequestParserTest::parsesPipelinedRequestsFromOneBuffer() {
    const QByteArray first("POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n");
    const QByteArray second("GET /b HTTP/1.1\r\nHost: b\r\n\r\n");
    const QByteArray buf = first + "xyz" + second;
    auto head = std::make_unique<RequestHead>();
    ParseError err;
    QVERIFY(parseRequestHead(buf.constData(), size_t(buf.size()), {}, *head, err) == ParseStatus::Complete);
    QCOMPARE(head->headBytes, size_t(first.size()));
    QCOMPARE(str(head->target), QString("/a"));
    const size_t next = head->headBytes + size_t(head->contentLength);
    QVERIFY(parseRequestHead(buf.constData() + next, size_t(buf.size()) - next, {}, *head, err) ==
            ParseStatus::Complete);
    QCOMPARE(str(head->target), QString("/b"));
    QCOMPARE(str(head->host), QString("b"));
    QCOMPARE(head->contentLength, int64_t(-1));
    QCOMPARE(head->headBytes, size_t(second.size()));
}

void HttpRequestParserTest::headerBytesLimitIsInclusive() {
    const QByteArray in("GET / HTTP/1.1\r\nHost: a\r\nX: 0123456789\r\n\r\n");
    auto head = std::make_unique<RequestHead>();
    ParserLimits limits;
    limits.maxHeaderBytes = size_t(in.size());
    QVERIFY(parse(in, *head, limits).status == ParseStatus::Complete);
    limits.maxHeaderBytes = size_t(in.size()) - 1;
    const Outcome o = parse(in, *head, limits);
    QVERIFY(o.status == ParseStatus::Error);
    QCOMPARE(o.err.status, 431);
    QCOMPARE(QString(o.err.reason), QString("request.header_too_large"));
}

void HttpRequestParserTest::headerBytesLimitAppliesWhileIncomplete() {
    ParserLimits limits;
    limits.maxHeaderBytes = 64;
    QByteArray in("GET / HTTP/1.1\r\nHost: a\r\nX: ");
    in.append(QByteArray(64 - in.size(), 'v'));
    auto head = std::make_unique<RequestHead>();
    QVERIFY(parse(in, *head, limits).status == ParseStatus::Incomplete);
    in.append('v');
    const Outcome o = parse(in, *head, limits);
    QVERIFY(o.status == ParseStatus::Error);
    QCOMPARE(o.err.status, 431);
}

void HttpRequestParserTest::uriLimitIsInclusive() {
    ParserLimits limits;
    limits.maxUriBytes = 16;
    auto head = std::make_unique<RequestHead>();
    const QByteArray at = "GET /" + QByteArray(15, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
    QVERIFY(parse(at, *head, limits).status == ParseStatus::Complete);
    QCOMPARE(head->target.size(), size_t(16));
    const QByteArray over = "GET /" + QByteArray(16, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
    const Outcome o = parse(over, *head, limits);
    QVERIFY(o.status == ParseStatus::Error);
    QCOMPARE(o.err.status, 414);
    QCOMPARE(QString(o.err.reason), QString("request.uri_too_long"));
    // Also while the headers are still arriving.
    const Outcome partial = parse("GET /" + QByteArray(16, 'a') + " HTTP/1.1\r\nHost:", *head, limits);
    QVERIFY(partial.status == ParseStatus::Error);
    QCOMPARE(partial.err.status, 414);
}

void HttpRequestParserTest::uriLimitAppliesBeforeRequestLineCompletes() {
    ParserLimits limits;
    limits.maxUriBytes = 16;
    auto head = std::make_unique<RequestHead>();
    QVERIFY(parse("GET /" + QByteArray(40, 'a'), *head, limits).status == ParseStatus::Incomplete);
    const Outcome o = parse("GET /" + QByteArray(200, 'a'), *head, limits);
    QVERIFY(o.status == ParseStatus::Error);
    QCOMPARE(o.err.status, 414);
}

void HttpRequestParserTest::headerCountLimitIsInclusive() {
    ParserLimits limits;
    limits.maxHeaderCount = 4;
    QByteArray in("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n");
    auto head = std::make_unique<RequestHead>();
    QVERIFY(parse(in + "\r\n", *head, limits).status == ParseStatus::Complete);
    QCOMPARE(head->headerCount, size_t(4));
    in.append("D: 4\r\n");
    Outcome o = parse(in + "\r\n", *head, limits);
    QVERIFY(o.status == ParseStatus::Error);
    QCOMPARE(o.err.status, 431);
    QCOMPARE(QString(o.err.reason), QString("request.too_many_headers"));
    // Counted while incomplete as well.
    o = parse(in, *head, limits);
    QVERIFY(o.status == ParseStatus::Error);
    QCOMPARE(o.err.status, 431);
}

void HttpRequestParserTest::headerCountNeverExceedsHardMaximum() {
    ParserLimits limits;
    limits.maxHeaderCount = 100000;
    limits.maxHeaderBytes = 1 << 20;
    QByteArray in("GET / HTTP/1.1\r\nHost: a\r\n");
    for (size_t i = 1; i < kMaxHeaders; ++i) {
        in.append("X: y\r\n");
    }
    auto head = std::make_unique<RequestHead>();
    QVERIFY(parse(in + "\r\n", *head, limits).status == ParseStatus::Complete);
    QCOMPARE(head->headerCount, kMaxHeaders);
    in.append("X: y\r\n\r\n");
    QCOMPARE(parse(in, *head, limits).err.status, 431);
}

void HttpRequestParserTest::skipsAFewLeadingEmptyLines() {
    auto head = std::make_unique<RequestHead>();
    const QByteArray in("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
    QVERIFY(parse(in, *head).status == ParseStatus::Complete);
    QCOMPARE(head->headBytes, size_t(in.size()));
    QCOMPARE(str(head->method), QString("GET"));
    QCOMPARE(parse("\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", *head).status,
             ParseStatus::Error);
    QCOMPARE(parse("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", *head).status, ParseStatus::Error);
    QCOMPARE(parse("\r\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", *head).status, ParseStatus::Error);
}

void HttpRequestParserTest::rejectsBadRequestLineBeforeHeadIsComplete() {
    auto head = std::make_unique<RequestHead>();
    const Outcome o = parse("GET / HTTP/3.0\r\nHost: a\r\n", *head);
    QVERIFY(o.status == ParseStatus::Error);
    QCOMPARE(o.err.status, 505);
    QCOMPARE(parse("GET / HTTP/1.1\nHost", *head).status, ParseStatus::Error);
}

void HttpRequestParserTest::absoluteFormTargetPointsAtPath() {
    const QByteArray in("GET http://api.example.com/v1/x HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
    auto head = std::make_unique<RequestHead>();
    QVERIFY(parse(in, *head).status == ParseStatus::Complete);
    QCOMPARE(str(head->target), QString("/v1/x"));
    QVERIFY(inside(head->target, in));
    QCOMPARE(str(head->host), QString("api.example.com"));
}

void HttpRequestParserTest::equalsIgnoreCaseComparesAscii() {
    QVERIFY(equalsIgnoreCase("Content-Length", "content-LENGTH"));
    QVERIFY(equalsIgnoreCase("", ""));
    QVERIFY(!equalsIgnoreCase("Host", "Hosts"));
    QVERIFY(!equalsIgnoreCase("@", "`")); // differ only by 0x20 but are not letters
    QVERIFY(!equalsIgnoreCase("[", "{"));
    QVERIFY(!equalsIgnoreCase("\xc3", "\xe3"));
}

void HttpRequestParserTest::reparsesIntoReusedHead() {
    const QByteArray in("GET /api/v1/users/12345?fields=name,email HTTP/1.1\r\n"
                        "Host: api.example.com\r\n"
                        "User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
                        "Accept: application/json\r\n"
                        "Accept-Encoding: gzip, br\r\n"
                        "Authorization: Bearer abcdef0123456789\r\n"
                        "Connection: keep-alive\r\n\r\n");
    auto head = std::make_unique<RequestHead>();
    // A head is reused across requests on a connection: every parse must give the same answer.
    // (How fast it parses is measured by the benchmark, never asserted here.)
    constexpr int kRounds = 1000;
    size_t sink = 0;
    for (int i = 0; i < kRounds; ++i) {
        ParseError err;
        QVERIFY(parseRequestHead(in.constData(), size_t(in.size()), {}, *head, err) == ParseStatus::Complete);
        sink += head->headBytes;
    }
    QCOMPARE(sink, size_t(kRounds) * size_t(in.size()));
    QCOMPARE(QByteArray(head->target.data(), qsizetype(head->target.size())),
             QByteArray("/api/v1/users/12345?fields=name,email"));
}

QTEST_APPLESS_MAIN(HttpRequestParserTest)
#include "http_request_parser_test.moc"
