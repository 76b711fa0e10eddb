// Recent traffic through the admin API: GET /traffic (newest last, ?limit) and the Server-Sent Events
// stream GET /traffic/stream, read with a raw socket, with Last-Event-ID and several subscribers.

#include "admin_client.h"
#include "integration.h"

using namespace tollgate::test;

namespace {

std::string streamRequest(const HeaderList& extra = {}) {
    HeaderList headers{{"Authorization", std::string("Bearer ") + kAdminToken},
                       {"Accept", "text/event-stream"}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    return buildRequest("GET", "/traffic/stream", headers);
}

// Parsed events: (id, data).
std::vector<std::pair<uint64_t, QJsonObject>> eventsIn(const std::string& text) {
    std::vector<std::pair<uint64_t, QJsonObject>> out;
    size_t at = 0;
    for (size_t end = text.find("\n\n"); end != std::string::npos;
         at = end + 2, end = text.find("\n\n", at)) {
        const std::string block = text.substr(at, end - at);
        if (block.find("event: request\n") == std::string::npos) {
            continue;
        }
        const size_t id = block.find("id: ");
        const size_t data = block.find("data: ");
        if (id == std::string::npos || data == std::string::npos) {
            continue;
        }
        out.emplace_back(std::stoull(block.substr(id + 4)),
                         QJsonDocument::fromJson(QByteArray::fromStdString(block.substr(data + 6))).object());
    }
    return out;
}

// Reads from the stream until `n` events arrived or the timeout passes.
std::vector<std::pair<uint64_t, QJsonObject>> readEvents(RawClient& c, std::string& text, size_t n,
                                                         std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto events = eventsIn(text);
    while (events.size() < n && std::chrono::steady_clock::now() < deadline) {
        text += c.readAvailable(100ms, 1 << 20, 500ms);
        events = eventsIn(text);
        if (c.peerClosed()) {
            break;
        }
    }
    return events;
}

} // namespace

class AdminTrafficTest : public QObject {
    Q_OBJECT

private:
    TollgatedProcess m_gateway;

    void callOrders(const std::string& prefix, int n) {
        for (int i = 0; i < n; ++i) {
            const auto r =
                roundTrip(m_gateway.port(), buildRequest("GET", "/orders/v1/" + prefix + std::to_string(i),
                                                         {{"apikey", keyOf("acme")}}));
            TG_EXPECT_STATUS(r, 200, nullptr);
        }
    }

    QJsonArray traffic(const std::string& query = {}) {
        const auto r = adminCall(m_gateway.adminPort(), "GET", "/traffic" + query);
        if (!r || r->status != 200) {
            qWarning("%s", describe(r).c_str());
            return {};
        }
        return QJsonDocument::fromJson(QByteArray::fromStdString(r->body)).array();
    }

    // Waits until the engine has handed the records over (the observe stage writes them asynchronously).
    bool waitForPath(const std::string& path) {
        for (int i = 0; i < 100; ++i) {
            for (const auto& v : traffic("?limit=10000")) {
                if (v.toObject().value("path").toString().toStdString() == path) {
                    return true;
                }
            }
            std::this_thread::sleep_for(50ms);
        }
        return false;
    }

private slots:
    void initTestCase() {
        m_gateway.setEnv("TOLLGATE_ADMIN_TOKEN", kAdminToken);
        TG_START(m_gateway, adminGatewayYaml());
    }

    void traffic_listsRecentRequestsNewestLast() {
        callOrders("t", 5);
        QVERIFY(waitForPath("/orders/v1/t4"));
        const QJsonArray last3 = traffic("?limit=3");
        QCOMPARE(last3.size(), 3);
        QCOMPARE(last3[2].toObject().value("path").toString(), QString("/orders/v1/t4"));
        QCOMPARE(last3[0].toObject().value("path").toString(), QString("/orders/v1/t2"));
        QVERIFY(last3[0].toObject().value("seq").toInteger() < last3[2].toObject().value("seq").toInteger());
        QCOMPARE(last3[2].toObject().value("status").toInt(), 200);
        QCOMPARE(last3[2].toObject().value("consumer").toString(), QString("acme"));
        QVERIFY(traffic().size() >= 5);
    }

    void traffic_badLimit_400() {
        for (const char* q : {"?limit=0", "?limit=10001", "?limit=ten", "?limit=-1"}) {
            const auto r = adminCall(m_gateway.adminPort(), "GET", std::string("/traffic") + q);
            TG_EXPECT_STATUS(r, 400, nullptr);
            QVERIFY(jsonBody(*r).value("message").toString().startsWith("limit:"));
        }
    }

    void capture_offByDefault_switchedOn_headersBySeqRedacted() {
        auto state = adminCall(m_gateway.adminPort(), "GET", "/traffic/capture");
        TG_EXPECT_STATUS(state, 200, nullptr);
        QCOMPARE(jsonBody(*state).value("on").toBool(), false);
        callOrders("off", 1);
        QVERIFY(waitForPath("/orders/v1/off0"));
        const qint64 offSeq = traffic("?limit=1")[0].toObject().value("seq").toInteger();
        auto missing = adminCall(m_gateway.adminPort(), "GET", "/traffic/" + std::to_string(offSeq));
        TG_EXPECT_STATUS(missing, 404, nullptr);
        QCOMPARE(jsonBody(*missing).value("error").toString(), QString("traffic.headers_not_kept"));

        auto bad = adminCall(m_gateway.adminPort(), "PUT", "/traffic/capture", "{\"on\": 1}");
        TG_EXPECT_STATUS(bad, 400, nullptr);
        state = adminCall(m_gateway.adminPort(), "PUT", "/traffic/capture", "{\"on\": true}");
        TG_EXPECT_STATUS(state, 200, nullptr);
        QCOMPARE(jsonBody(*state).value("on").toBool(), true);

        callOrders("cap", 1);
        QVERIFY(waitForPath("/orders/v1/cap0"));
        const qint64 seq = traffic("?limit=1")[0].toObject().value("seq").toInteger();
        const auto heads = adminCall(m_gateway.adminPort(), "GET", "/traffic/" + std::to_string(seq));
        TG_EXPECT_STATUS(heads, 200, nullptr);
        QVERIFY(heads->body.find(keyOf("acme")) == std::string::npos);
        const QJsonObject x = jsonBody(*heads);
        QCOMPARE(x.value("seq").toInteger(), seq);
        const QJsonObject request = x.value("request").toObject();
        QCOMPARE(request.value("line").toString(), QString("GET /orders/v1/cap0 HTTP/1.1"));
        bool redacted = false;
        for (const QJsonValue& h : request.value("headers").toArray()) {
            redacted = redacted ||
                       (h.toArray()[0].toString() == "apikey" && h.toArray()[1].toString() == "[redacted]");
        }
        QVERIFY(redacted);
        QCOMPARE(x.value("response").toObject().value("line").toString(), QString("HTTP/1.1 200 OK"));

        const auto wrongMethod = adminCall(m_gateway.adminPort(), "POST", "/traffic/" + std::to_string(seq));
        TG_EXPECT_STATUS(wrongMethod, 405, nullptr);
        state = adminCall(m_gateway.adminPort(), "PUT", "/traffic/capture", "{\"on\": false}");
        TG_EXPECT_STATUS(state, 200, nullptr);
        QCOMPARE(adminCall(m_gateway.adminPort(), "GET", "/traffic/" + std::to_string(seq))->status, 404);
    }

    void stream_needsTheToken() {
        const auto r = roundTrip(m_gateway.adminPort(), buildRequest("GET", "/traffic/stream"));
        TG_EXPECT_STATUS(r, 401, nullptr);
    }

    void stream_deliversNewRecordsToEverySubscriber() {
        RawClient a, b;
        QVERIFY(a.connect(m_gateway.adminPort()));
        QVERIFY(b.connect(m_gateway.adminPort()));
        QVERIFY(a.send(streamRequest()));
        QVERIFY(b.send(streamRequest()));
        std::string textA = a.readAvailable(300ms);
        std::string textB = b.readAvailable(300ms);
        QVERIFY2(textA.starts_with("HTTP/1.1 200"), textA.c_str());
        QVERIFY(textA.find("Content-Type: text/event-stream") != std::string::npos);
        QVERIFY(textA.find("Cache-Control: no-store") != std::string::npos);
        callOrders("s", 3);
        const auto eventsA = readEvents(a, textA, 3);
        const auto eventsB = readEvents(b, textB, 3);
        QVERIFY2(eventsA.size() == 3, textA.c_str());
        QCOMPARE(eventsB.size(), size_t(3));
        QCOMPARE(eventsA[0].second.value("path").toString(), QString("/orders/v1/s0"));
        QCOMPARE(eventsA[2].second.value("path").toString(), QString("/orders/v1/s2"));
        QCOMPARE(eventsA[2].first, uint64_t(eventsA[2].second.value("seq").toInteger()));
        QVERIFY(eventsA[0].first < eventsA[1].first && eventsA[1].first < eventsA[2].first);
        QCOMPARE(eventsB[2].first, eventsA[2].first);
    }

    void stream_resumesAfterLastEventId() {
        callOrders("r", 3);
        QVERIFY(waitForPath("/orders/v1/r2"));
        const QJsonArray last = traffic("?limit=3");
        QCOMPARE(last.size(), 3);
        const uint64_t firstSeq = uint64_t(last[0].toObject().value("seq").toInteger());
        RawClient c;
        QVERIFY(c.connect(m_gateway.adminPort()));
        QVERIFY(c.send(streamRequest({{"Last-Event-ID", std::to_string(firstSeq)}})));
        std::string text;
        const auto events = readEvents(c, text, 2);
        QVERIFY2(events.size() == 2, text.c_str());
        QCOMPARE(events[0].second.value("path").toString(), QString("/orders/v1/r1"));
        QCOMPARE(events[1].second.value("path").toString(), QString("/orders/v1/r2"));
    }

    void stream_survivesAGoneSubscriber() {
        {
            RawClient gone;
            QVERIFY(gone.connect(m_gateway.adminPort()));
            QVERIFY(gone.send(streamRequest()));
            gone.readAvailable(200ms);
        }
        RawClient c;
        QVERIFY(c.connect(m_gateway.adminPort()));
        QVERIFY(c.send(streamRequest()));
        std::string text = c.readAvailable(200ms);
        callOrders("g", 1);
        QCOMPARE(readEvents(c, text, 1).size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(AdminTrafficTest)
#include "admin_traffic_test.moc"
