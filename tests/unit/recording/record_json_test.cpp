// One request record as JSON (the access log line, the admin API's /traffic entries): parsed back
// with a real JSON parser, every field is there with its value, empty text fields are null, any byte
// a client can put in a path is escaped into valid ASCII JSON, times and milliseconds are exact.

#include "http/message.h"
#include "recording/record_json.h"

#include <QString>
#include <QtTest>

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

using namespace tollgate;
using namespace tollgate::recording;
using nlohmann::json;

namespace {

template <size_t N> void set(char (&dst)[N], std::string_view text) {
    std::memset(dst, 0, N);
    std::memcpy(dst, text.data(), std::min(text.size(), N));
}

std::string render(const RequestRecord& r) {
    std::string out;
    appendRecordJson(out, r);
    return out;
}

bool isAscii(const std::string& s) {
    for (char c : s) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return false;
        }
    }
    return true;
}

RequestRecord fullRecord() {
    RequestRecord r;
    r.seq = 42;
    r.unixMicros = 1764880267'123456; // 2025-12-04T20:31:07.123456Z
    r.totalMicros = 1234;
    r.upstreamMicros = 987;
    r.bytesIn = 321;
    r.bytesOut = 65432;
    r.status = 201;
    r.method = static_cast<uint8_t>(http::Method::Post);
    r.worker = 3;
    r.targetIndex = 0;
    set(r.reason, "limit.quota");
    set(r.consumer, "acme");
    set(r.plan, "gold");
    set(r.api, "orders");
    set(r.apiVersion, "v2");
    set(r.route, "create");
    set(r.path, "/orders/v2/items");
    set(r.clientIp, "10.1.2.3");
    set(r.target, "http://10.0.0.5:9000");
    return r;
}

} // namespace

class RecordJsonTest : public QObject {
    Q_OBJECT

private slots:
    void everyFieldWithItsValue() {
        const std::string text = render(fullRecord());
        QVERIFY2(text.find('\n') == std::string::npos, text.c_str());
        const json j = json::parse(text);
        QVERIFY(j.is_object());
        QCOMPARE(j.size(), size_t(18));
        QCOMPARE(j.at("time").get<std::string>(), std::string("2025-12-04T20:31:07.123456Z"));
        QCOMPARE(j.at("seq").get<uint64_t>(), uint64_t(42));
        QCOMPARE(j.at("consumer").get<std::string>(), std::string("acme"));
        QCOMPARE(j.at("plan").get<std::string>(), std::string("gold"));
        QCOMPARE(j.at("api").get<std::string>(), std::string("orders"));
        QCOMPARE(j.at("version").get<std::string>(), std::string("v2"));
        QCOMPARE(j.at("route").get<std::string>(), std::string("create"));
        QCOMPARE(j.at("method").get<std::string>(), std::string("POST"));
        QCOMPARE(j.at("path").get<std::string>(), std::string("/orders/v2/items"));
        QCOMPARE(j.at("status").get<int>(), 201);
        QCOMPARE(j.at("reason").get<std::string>(), std::string("limit.quota"));
        QCOMPARE(j.at("bytes_in").get<uint64_t>(), uint64_t(321));
        QCOMPARE(j.at("bytes_out").get<uint64_t>(), uint64_t(65432));
        QCOMPARE(j.at("latency_ms").get<double>(), 1.234);
        QCOMPARE(j.at("upstream_ms").get<double>(), 0.987);
        QCOMPARE(j.at("client_ip").get<std::string>(), std::string("10.1.2.3"));
        QCOMPARE(j.at("target").get<std::string>(), std::string("http://10.0.0.5:9000"));
        QCOMPARE(j.at("worker").get<int>(), 3);
        // The time comes first (the access log reads well and sorts by line).
        QVERIFY2(text.rfind("{\"time\":\"2025-12-04T20:31:07.123456Z\",\"seq\":42,", 0) == 0, text.c_str());
    }

    void emptyTextFieldsAreNull() {
        RequestRecord r;
        r.unixMicros = 1764880267'000000;
        r.status = 404;
        r.method = static_cast<uint8_t>(http::Method::Get);
        const json j = json::parse(render(r));
        for (const char* key :
             {"consumer", "plan", "api", "version", "route", "path", "reason", "client_ip", "target"}) {
            QVERIFY2(j.contains(key), key);
            QVERIFY2(j.at(key).is_null(), key);
        }
        QCOMPARE(j.at("method").get<std::string>(), std::string("GET"));
        QCOMPARE(j.at("seq").get<uint64_t>(), uint64_t(0));
        QCOMPARE(j.at("latency_ms").get<double>(), 0.0);
        QCOMPARE(j.at("upstream_ms").get<double>(), 0.0);
    }

    void unknownMethodIsOther() {
        RequestRecord r = fullRecord();
        r.method = static_cast<uint8_t>(http::Method::Other);
        QCOMPARE(json::parse(render(r)).at("method").get<std::string>(), std::string("OTHER"));
    }

    void worstCaseLine_fitsTheRoomReservedForIt() {
        // Every text field full of bytes that each need a \u00XX escape, the largest numbers: the
        // recorder writes lines in place into room of maxRecordJson() bytes, so a longer line would
        // overrun its buffer.
        RequestRecord r;
        r.seq = UINT64_MAX;
        r.unixMicros = 4102444799'999999; // 2099-12-31T23:59:59.999999Z
        r.totalMicros = r.upstreamMicros = UINT32_MAX;
        r.bytesIn = r.bytesOut = UINT64_MAX;
        r.status = UINT16_MAX;
        r.method = 0xff;
        r.worker = 0xff;
        std::memset(r.reason, 1, sizeof r.reason);
        std::memset(r.consumer, 1, sizeof r.consumer);
        std::memset(r.plan, 1, sizeof r.plan);
        std::memset(r.api, 1, sizeof r.api);
        std::memset(r.apiVersion, 1, sizeof r.apiVersion);
        std::memset(r.route, 1, sizeof r.route);
        std::memset(r.path, 1, sizeof r.path);
        std::memset(r.clientIp, 1, sizeof r.clientIp);
        std::memset(r.target, 1, sizeof r.target);
        std::string identity;
        appendRecordIdentity(identity, r);
        const size_t room = maxRecordJson(identity.size());
        std::string buffer(room + 64, '#');
        char* end = writeRecordJson(buffer.data(), r, identity);
        const size_t written = size_t(end - buffer.data());
        QVERIFY2(written <= room, qPrintable(QStringLiteral("%1 > %2").arg(written).arg(room)));
        QVERIFY(written > 6 * sizeof r.path); // it did escape every byte
        QCOMPARE(buffer.substr(room), std::string(64, '#'));
        // The same line as the std::string overloads write, and valid JSON.
        const std::string line(buffer.data(), written);
        QCOMPARE(line, render(r));
        const json j = json::parse(line);
        QCOMPARE(j.at("seq").get<uint64_t>(), UINT64_MAX);
        QCOMPARE(j.at("path").get<std::string>(), std::string(sizeof r.path, '\x01'));
    }

    void fieldFilledToCapacity_isReadWhole() {
        // Fields are NUL-terminated only when shorter than their array: a full one must neither be cut
        // nor run into the next field.
        RequestRecord r = fullRecord();
        const std::string consumer(sizeof r.consumer, 'c');
        const std::string plan(sizeof r.plan, 'p');
        std::memcpy(r.consumer, consumer.data(), sizeof r.consumer);
        std::memcpy(r.plan, plan.data(), sizeof r.plan);
        const json j = json::parse(render(r));
        QCOMPARE(j.at("consumer").get<std::string>(), consumer);
        QCOMPARE(j.at("plan").get<std::string>(), plan);
    }

    void pathEscaping_quotesBackslashControlAndHighBytes_validAsciiJson() {
        RequestRecord r = fullRecord();
        std::string path = "/a\"b\\c";
        path += '\x01';
        path += '\n';
        path += '\t';
        path += '\x1f';
        path += '\x7f';
        path += "\xc3\xa9";        // UTF-8 e-acute, as two bytes
        path += "\xff\x80";        // never valid UTF-8
        path += "/</script>&'%00"; // nothing special for JSON
        set(r.path, path);
        const std::string text = render(r);
        QVERIFY2(isAscii(text), text.c_str());
        QVERIFY2(text.find(
                     "\"path\":\"/a\\\"b\\\\c\\u0001\\u000a\\u0009\\u001f\\u007f\\u00c3\\u00a9\\u00ff\\u0080/"
                     "</script>&'%00\"") != std::string::npos,
                 text.c_str());
        json j;
        try {
            j = json::parse(text);
        } catch (const json::exception& e) {
            QFAIL(e.what());
        }
        // Each byte reads back as the code point of the same value (a Latin-1 reading): lossless.
        QCOMPARE(j.at("path").get<std::string>(),
                 QString::fromLatin1(path.data(), path.size()).toUtf8().toStdString());
        // The fields around it are intact.
        QCOMPARE(j.at("status").get<int>(), 201);
        QCOMPARE(j.at("route").get<std::string>(), std::string("create"));
    }

    void appendJsonString_everyByteValue_roundTrips() {
        std::string all;
        for (int c = 1; c < 256; ++c) {
            all += static_cast<char>(c);
        }
        all += '\0'; // a NUL inside a string_view is escaped too
        all += "end";
        std::string out;
        appendJsonString(out, all);
        QVERIFY(isAscii(out));
        QVERIFY(out.front() == '"' && out.back() == '"');
        QCOMPARE(json::parse(out).get<std::string>(),
                 QString::fromLatin1(all.data(), all.size()).toUtf8().toStdString());
    }

    void latencyMillis_exactThreeDecimals() {
        const struct {
            uint32_t micros;
            const char* text;
        } cases[] = {{0, "0.000"},
                     {1, "0.001"},
                     {5, "0.005"},
                     {10, "0.010"},
                     {999, "0.999"},
                     {1000, "1.000"},
                     {1234, "1.234"},
                     {1050, "1.050"},
                     {60'000'007, "60000.007"},
                     {UINT32_MAX, "4294967.295"}};
        for (const auto& c : cases) {
            RequestRecord r = fullRecord();
            r.totalMicros = c.micros;
            r.upstreamMicros = c.micros;
            const std::string text = render(r);
            const std::string latency = std::string("\"latency_ms\":") + c.text + ",";
            const std::string upstream = std::string("\"upstream_ms\":") + c.text + ",";
            QVERIFY2(text.find(latency) != std::string::npos, (latency + " in " + text).c_str());
            QVERIFY2(text.find(upstream) != std::string::npos, (upstream + " in " + text).c_str());
            QCOMPARE(json::parse(text).at("latency_ms").get<double>(), c.micros / 1000.0);
        }
    }

    void timeIsUtcWithSixDigitMicros() {
        const struct {
            int64_t micros;
            const char* text;
        } cases[] = {{0, "1970-01-01T00:00:00.000000Z"},
                     {951782400'000007, "2000-02-29T00:00:00.000007Z"},
                     {1764880267'999999, "2025-12-04T20:31:07.999999Z"},
                     {1767225599'500000, "2025-12-31T23:59:59.500000Z"}};
        for (const auto& c : cases) {
            RequestRecord r = fullRecord();
            r.unixMicros = c.micros;
            QCOMPARE(json::parse(render(r)).at("time").get<std::string>(), std::string(c.text));
        }
    }

    void appends_withoutTouchingWhatIsThere() {
        std::string out = "prefix\n";
        appendRecordJson(out, fullRecord());
        QVERIFY(out.rfind("prefix\n{", 0) == 0);
        QCOMPARE(json::parse(out.substr(7)).at("seq").get<uint64_t>(), uint64_t(42));
    }
};

QTEST_GUILESS_MAIN(RecordJsonTest)
#include "record_json_test.moc"
