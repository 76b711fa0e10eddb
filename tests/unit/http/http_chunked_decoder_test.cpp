// Chunked body validator: valid and invalid framings, and byte-at-a-time equivalence.

#include "http/chunked_decoder.h"

#include <QtTest>

using namespace tollgate::http;
using Result = ChunkedDecoder::Result;

namespace {

struct Fed {
    Result result;
    size_t consumed;
    uint64_t payload;
};

Fed feedWhole(const QByteArray& in, size_t maxTrailer = 8 * 1024) {
    ChunkedDecoder d(maxTrailer);
    size_t consumed = 0;
    const Result r = d.feed(in.constData(), size_t(in.size()), consumed);
    return {r, consumed, d.payloadBytes()};
}

// Feeds one byte per call; consumed is the total over all calls.
Fed feedBytes(const QByteArray& in, size_t maxTrailer = 8 * 1024) {
    ChunkedDecoder d(maxTrailer);
    size_t total = 0;
    for (qsizetype i = 0; i < in.size(); ++i) {
        size_t consumed = 0;
        const Result r = d.feed(in.constData() + i, 1, consumed);
        total += consumed;
        if (r != Result::NeedMore) {
            return {r, total, d.payloadBytes()};
        }
    }
    return {Result::NeedMore, total, d.payloadBytes()};
}

} // namespace

class HttpChunkedDecoderTest : public QObject {
    Q_OBJECT

private slots:
    void acceptsValidBody_data();
    void acceptsValidBody();
    void rejectsInvalidBody_data();
    void rejectsInvalidBody();
    void byteAtATimeMatchesWholeFeed_data();
    void byteAtATimeMatchesWholeFeed();
    void stopsAtEndOfBodyLeavingNextMessage();
    void needsMoreAtEverySplitPoint();
    void trailerLimitIsInclusive();
    void resetStartsANewBody();
};

void HttpChunkedDecoderTest::acceptsValidBody_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<qulonglong>("payload");

    QTest::newRow("empty body") << QByteArray("0\r\n\r\n") << 0ULL;
    QTest::newRow("one chunk") << QByteArray("5\r\nhello\r\n0\r\n\r\n") << 5ULL;
    QTest::newRow("two chunks hex") << QByteArray("a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n") << 20ULL;
    QTest::newRow("leading zeros") << QByteArray("0005\r\nhello\r\n000\r\n\r\n") << 5ULL;
    QTest::newRow("sixteen digits") << QByteArray("0000000000000003\r\nabc\r\n0\r\n\r\n") << 3ULL;
    QTest::newRow("extension") << QByteArray("5;name=value\r\nhello\r\n0;last\r\n\r\n") << 5ULL;
    QTest::newRow("extension after BWS") << QByteArray("5 ;a=\"q s\"\r\nhello\r\n0\r\n\r\n") << 5ULL;
    QTest::newRow("trailers") << QByteArray("3\r\nabc\r\n0\r\nX-Sum: 1\r\nX-Other:\r\n\r\n") << 3ULL;
    QTest::newRow("binary data") << QByteArray("4\r\n\r\n\0\n\r\n0\r\n\r\n", 14) << 4ULL;
}

void HttpChunkedDecoderTest::acceptsValidBody() {
    QFETCH(QByteArray, input);
    QFETCH(qulonglong, payload);
    const Fed whole = feedWhole(input);
    QCOMPARE(whole.result, Result::Done);
    QCOMPARE(whole.consumed, size_t(input.size()));
    QCOMPARE(qulonglong(whole.payload), payload);
}

void HttpChunkedDecoderTest::rejectsInvalidBody_data() {
    QTest::addColumn<QByteArray>("input");

    QTest::newRow("no size") << QByteArray("\r\nabc\r\n0\r\n\r\n");
    QTest::newRow("non-hex size") << QByteArray("g\r\n");
    QTest::newRow("signed size") << QByteArray("+5\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("0x prefix") << QByteArray("0x5\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("seventeen digits") << QByteArray("00000000000000005\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("above 2^62") << QByteArray("4000000000000001\r\n");
    QTest::newRow("64-bit overflow") << QByteArray("FFFFFFFFFFFFFFFF\r\n");
    QTest::newRow("bare LF after size") << QByteArray("5\nhello\r\n0\r\n\r\n");
    QTest::newRow("bare CR after size") << QByteArray("5\rhello\r\n0\r\n\r\n");
    QTest::newRow("space before CRLF") << QByteArray("5 \r\nhello\r\n0\r\n\r\n");
    QTest::newRow("digit after BWS") << QByteArray("5 5\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("control in extension") << QByteArray("5;a\x01\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("LF in extension") << QByteArray("5;a\nhello\r\n0\r\n\r\n");
    QTest::newRow("extension too long")
        << QByteArray("5;" + QByteArray(1100, 'x') + "\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("data longer than size") << QByteArray("3\r\nhello\r\n0\r\n\r\n");
    QTest::newRow("LF only after data") << QByteArray("5\r\nhello\n0\r\n\r\n");
    QTest::newRow("missing CRLF after data") << QByteArray("5\r\nhello0\r\n\r\n");
    QTest::newRow("trailer without colon") << QByteArray("0\r\nX-Sum\r\n\r\n");
    QTest::newRow("trailer empty name") << QByteArray("0\r\n: v\r\n\r\n");
    QTest::newRow("trailer space before colon") << QByteArray("0\r\nX : v\r\n\r\n");
    QTest::newRow("trailer obs-fold") << QByteArray("0\r\nX: a\r\n b\r\n\r\n");
    QTest::newRow("trailer NUL") << QByteArray("0\r\nX: \0\r\n\r\n", 11);
    QTest::newRow("trailer bare LF") << QByteArray("0\r\nX: a\n\r\n");
    QTest::newRow("final bare LF") << QByteArray("0\r\n\n");
}

void HttpChunkedDecoderTest::rejectsInvalidBody() {
    QFETCH(QByteArray, input);
    QCOMPARE(feedWhole(input).result, Result::Error);
    QCOMPARE(feedBytes(input).result, Result::Error);
}

void HttpChunkedDecoderTest::byteAtATimeMatchesWholeFeed_data() {
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("chunks and trailers") << QByteArray("5;x=y\r\nhello\r\n1\r\n!\r\n0\r\nA: b\r\n\r\nNEXT");
    QTest::newRow("incomplete") << QByteArray("10\r\n0123456789");
    QTest::newRow("error midway") << QByteArray("2\r\nab\r\nzz\r\n");
    QTest::newRow("large chunk") << QByteArray("400\r\n" + QByteArray(1024, 'x') + "\r\n0\r\n\r\n");
}

void HttpChunkedDecoderTest::byteAtATimeMatchesWholeFeed() {
    QFETCH(QByteArray, input);
    const Fed whole = feedWhole(input);
    const Fed bytes = feedBytes(input);
    QCOMPARE(bytes.result, whole.result);
    QCOMPARE(bytes.payload, whole.payload);
    if (whole.result == Result::Done) {
        QCOMPARE(bytes.consumed, whole.consumed);
    }
}

void HttpChunkedDecoderTest::stopsAtEndOfBodyLeavingNextMessage() {
    const QByteArray body("3\r\nabc\r\n0\r\n\r\n");
    const Fed fed = feedWhole(body + "GET / HTTP/1.1\r\n");
    QCOMPARE(fed.result, Result::Done);
    QCOMPARE(fed.consumed, size_t(body.size()));
    QCOMPARE(fed.payload, uint64_t(3));
}

void HttpChunkedDecoderTest::needsMoreAtEverySplitPoint() {
    const QByteArray body("b;e=1\r\nhello world\r\n0\r\nT: v\r\n\r\n");
    for (qsizetype n = 0; n < body.size(); ++n) {
        ChunkedDecoder d;
        size_t consumed = 0;
        QCOMPARE(d.feed(body.constData(), size_t(n), consumed), Result::NeedMore);
        QCOMPARE(consumed, size_t(n));
        QCOMPARE(d.feed(body.constData() + n, size_t(body.size() - n), consumed), Result::Done);
        QCOMPARE(consumed, size_t(body.size() - n));
        QCOMPARE(d.payloadBytes(), uint64_t(11));
        QVERIFY(d.done());
    }
}

void HttpChunkedDecoderTest::trailerLimitIsInclusive() {
    const QByteArray trailer("X: 12345\r\n"); // 10 bytes counted
    const QByteArray body = "0\r\n" + trailer + "\r\n";
    QCOMPARE(feedWhole(body, 10).result, Result::Done);
    QCOMPARE(feedBytes(body, 10).result, Result::Done);
    QCOMPARE(feedWhole(body, 9).result, Result::Error);
    QCOMPARE(feedBytes(body, 9).result, Result::Error);
    QCOMPARE(feedWhole("0\r\n\r\n", 0).result, Result::Done);
}

void HttpChunkedDecoderTest::resetStartsANewBody() {
    ChunkedDecoder d;
    size_t consumed = 0;
    QCOMPARE(d.feed("zz", 2, consumed), Result::Error);
    QCOMPARE(d.feed("0\r\n\r\n", 5, consumed), Result::Error);
    d.reset();
    QCOMPARE(d.feed("1\r\na\r\n0\r\n\r\n", 11, consumed), Result::Done);
    QCOMPARE(d.payloadBytes(), uint64_t(1));
    QCOMPARE(d.feed("more", 4, consumed), Result::Done);
    QCOMPARE(consumed, size_t(0));
}

QTEST_APPLESS_MAIN(HttpChunkedDecoderTest)
#include "http_chunked_decoder_test.moc"
