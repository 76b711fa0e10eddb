// Response-head parser: status lines, framing derivation and the 502 rejections.

#include "http/request_parser.h"

#include <QtTest>

#include <memory>

using namespace tollgate::http;

namespace {

ParseStatus parse(const QByteArray& in, ResponseHead& head, ParseError& err,
                  const ParserLimits& limits = {}) {
    return parseResponseHead(in.constData(), size_t(in.size()), limits, head, err);
}

QString str(std::string_view v) {
    return QString::fromLatin1(v.data(), qsizetype(v.size()));
}

} // namespace

class HttpResponseParserTest : public QObject {
    Q_OBJECT

private slots:
    void acceptsValidResponse_data();
    void acceptsValidResponse();
    void rejectsInvalidResponse_data();
    void rejectsInvalidResponse();
    void reportsIncompleteAtEverySplitPoint();
    void headerBytesLimitIsInclusive();
    void parsesPipelinedResponses();
};

void HttpResponseParserTest::acceptsValidResponse_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<qlonglong>("contentLength");
    QTest::addColumn<bool>("chunked");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<bool>("upgrade");

    QTest::newRow("ok with length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n") << 200
                                    << "OK" << 2LL << false << true << false;
    QTest::newRow("empty reason") << QByteArray("HTTP/1.1 204 \r\n\r\n") << 204 << "" << -1LL << false << true
                                  << false;
    QTest::newRow("no reason no space")
        << QByteArray("HTTP/1.1 304\r\n\r\n") << 304 << "" << -1LL << false << true << false;
    QTest::newRow("reason with spaces") << QByteArray("HTTP/1.1 404 Not  Found\r\n\r\n") << 404
                                        << "Not  Found" << -1LL << false << true << false;
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n") << 200
                             << "OK" << -1LL << true << true << false;
    QTest::newRow("connection close") << QByteArray("HTTP/1.1 500 Oops\r\nConnection: close\r\n\r\n") << 500
                                      << "Oops" << -1LL << false << false << false;
    QTest::newRow("http10 default close") << QByteArray("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n") << 200
                                          << "OK" << 0LL << false << false << false;
    QTest::newRow("http10 keep-alive") << QByteArray("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\n")
                                       << 200 << "OK" << -1LL << false << true << false;
    QTest::newRow("switching protocols")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
        << 101 << "Switching Protocols" << -1LL << false << true << true;
    QTest::newRow("upgrade header on 200") << QByteArray("HTTP/1.1 200 OK\r\nUpgrade: h2c\r\n\r\n") << 200
                                           << "OK" << -1LL << false << true << false;
    QTest::newRow("status 599") << QByteArray("HTTP/1.1 599 X\r\n\r\n") << 599 << "X" << -1LL << false << true
                                << false;
    QTest::newRow("identical lengths")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n") << 200 << "OK"
        << 3LL << false << true << false;
}

void HttpResponseParserTest::acceptsValidResponse() {
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(qlonglong, contentLength);
    QFETCH(bool, chunked);
    QFETCH(bool, keepAlive);
    QFETCH(bool, upgrade);
    auto head = std::make_unique<ResponseHead>();
    ParseError err;
    QVERIFY2(parse(input, *head, err) == ParseStatus::Complete, err.reason);
    QCOMPARE(head->status, status);
    QCOMPARE(str(head->reason), reason);
    QCOMPARE(qlonglong(head->contentLength), contentLength);
    QCOMPARE(head->chunked, chunked);
    QCOMPARE(head->keepAlive, keepAlive);
    QCOMPARE(head->upgrade, upgrade);
    QCOMPARE(head->headBytes, size_t(input.size()));
}

void HttpResponseParserTest::rejectsInvalidResponse_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("reason");

    QTest::newRow("length and chunked")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
        << "response.length_and_chunked";
    QTest::newRow("gzip coding") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
                                 << "response.transfer_coding";
    QTest::newRow("te in http10") << QByteArray("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                                  << "response.transfer_coding";
    QTest::newRow("differing lengths")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
        << "response.conflicting_length";
    QTest::newRow("bad length") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 1a\r\n\r\n")
                                << "response.content_length";
    QTest::newRow("status 099") << QByteArray("HTTP/1.1 099 X\r\n\r\n") << "response.status";
    QTest::newRow("status 600") << QByteArray("HTTP/1.1 600 X\r\n\r\n") << "response.status";
    QTest::newRow("two digit status") << QByteArray("HTTP/1.1 20 OK\r\n\r\n") << "response.status";
    QTest::newRow("four digit status") << QByteArray("HTTP/1.1 2000 OK\r\n\r\n") << "response.status";
    QTest::newRow("version 2") << QByteArray("HTTP/2.0 200 OK\r\n\r\n") << "response.version";
    QTest::newRow("garbage status line") << QByteArray("HTTX/1.1 200 OK\r\n\r\n") << "response.status_line";
    QTest::newRow("empty status line") << QByteArray("\r\n\r\n") << "response.status_line";
    QTest::newRow("control in reason") << QByteArray("HTTP/1.1 200 O\x01K\r\n\r\n") << "response.reason";
    QTest::newRow("bare LF") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 0\n\n") << "response.bare_lf";
    QTest::newRow("bare CR") << QByteArray("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n") << "response.bare_cr";
    QTest::newRow("obs-fold") << QByteArray("HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n") << "response.obs_fold";
    QTest::newRow("space before colon")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n") << "response.header_name";
    QTest::newRow("NUL in value") << QByteArray("HTTP/1.1 200 OK\r\nX: \0\r\n\r\n", 25)
                                  << "response.header_value";
}

void HttpResponseParserTest::rejectsInvalidResponse() {
    QFETCH(QByteArray, input);
    QFETCH(QString, reason);
    auto head = std::make_unique<ResponseHead>();
    ParseError err;
    QCOMPARE(parse(input, *head, err), ParseStatus::Error);
    QCOMPARE(QString(err.reason), reason);
    QCOMPARE(err.status, 502);
}

void HttpResponseParserTest::reportsIncompleteAtEverySplitPoint() {
    const QByteArray full(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
    auto head = std::make_unique<ResponseHead>();
    ParseError err;
    for (qsizetype n = 0; n < full.size(); ++n) {
        QVERIFY2(parse(full.left(n), *head, err) == ParseStatus::Incomplete, qPrintable(QString::number(n)));
    }
    QCOMPARE(parse(full, *head, err), ParseStatus::Complete);
    QVERIFY(head->chunked);
}

void HttpResponseParserTest::headerBytesLimitIsInclusive() {
    const QByteArray in("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n");
    auto head = std::make_unique<ResponseHead>();
    ParseError err;
    ParserLimits limits;
    limits.maxHeaderBytes = size_t(in.size());
    QCOMPARE(parse(in, *head, err, limits), ParseStatus::Complete);
    limits.maxHeaderBytes = size_t(in.size()) - 1;
    QCOMPARE(parse(in, *head, err, limits), ParseStatus::Error);
    QCOMPARE(QString(err.reason), QString("response.header_too_large"));
    limits.maxHeaderCount = 0;
    limits.maxHeaderBytes = 1024;
    QCOMPARE(parse(in, *head, err, limits), ParseStatus::Error);
    QCOMPARE(QString(err.reason), QString("response.too_many_headers"));
}

void HttpResponseParserTest::parsesPipelinedResponses() {
    const QByteArray first("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
    const QByteArray buf = first + "hiHTTP/1.1 204 No Content\r\n\r\n";
    auto head = std::make_unique<ResponseHead>();
    ParseError err;
    QCOMPARE(parse(buf, *head, err), ParseStatus::Complete);
    QCOMPARE(head->headBytes, size_t(first.size()));
    QCOMPARE(parse(buf.mid(qsizetype(head->headBytes) + 2), *head, err), ParseStatus::Complete);
    QCOMPARE(head->status, 204);
}

QTEST_APPLESS_MAIN(HttpResponseParserTest)
#include "http_response_parser_test.moc"
