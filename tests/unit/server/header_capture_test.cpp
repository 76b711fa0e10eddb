// HeaderCaptureRing: a worker's capture of request and response heads. Credentials are redacted
// while the bytes are written, so no secret ever lands in a slot (scheme words kept for Replay);
// each exchange stays within its bound, whole lines cut with the slot saying so; a full ring
// drops and counts; the recorder's sweep frees slots whose record was lost.

#include "http/request_parser.h"
#include "server/header_capture.h"

#include <QtTest>

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

using namespace tollgate;
using tollgate::server::CaptureSlot;
using tollgate::server::HeaderCaptureRing;

namespace {

const std::vector<std::string> kSecrets = {"tok-SECRET-1",  "pw-SECRET-2",    "sid-SECRET-3",
                                           "key-SECRET-4",  "query-SECRET-5", "cookie-SECRET-6",
                                           "plain-SECRET-7"};

// Parses `text` into `head` (the views point into `text`).
bool parse(const std::string& text, http::RequestHead& head) {
    http::ParseError err;
    http::ParserLimits limits;
    return http::parseRequestHead(text.data(), text.size(), limits, head, err) == http::ParseStatus::Complete;
}

std::string_view requestText(const CaptureSlot& s) {
    return {s.text, s.requestLen};
}
std::string_view responseText(const CaptureSlot& s) {
    return {s.text + s.requestLen, s.responseLen};
}

} // namespace

class HeaderCaptureTest : public QObject {
    Q_OBJECT

    std::atomic<bool> m_on{true};

private slots:
    void everyCredentialKind_redactedAtCapture_schemeWordsKept() {
        HeaderCaptureRing ring;
        ring.follow(m_on);
        const std::string request = "GET /v1/pets?a=1&apikey=" + kSecrets[4] +
                                    "&b=2 HTTP/1.1\r\n"
                                    "Host: gw.test\r\n"
                                    "Authorization: Bearer " +
                                    kSecrets[0] +
                                    "\r\n"
                                    "Proxy-Authorization: Basic " +
                                    kSecrets[1] +
                                    "\r\n"
                                    "Cookie: sid=" +
                                    kSecrets[2] +
                                    "\r\n"
                                    "ApiKey: " +
                                    kSecrets[3] +
                                    "\r\n"
                                    "X-Trace: t-42\r\n\r\n";
        http::RequestHead head;
        QVERIFY(parse(request, head));
        CaptureSlot* slot = ring.begin(head);
        QVERIFY(slot != nullptr);
        const std::string response = "HTTP/1.1 200 OK\r\nSet-Cookie: s=" + kSecrets[5] +
                                     "; HttpOnly\r\nAuthorization: " + kSecrets[6] +
                                     "\r\nContent-Length: 2\r\n\r\nok";
        ring.addResponse(*slot, response);

        const std::string captured(slot->text, slot->requestLen + slot->responseLen);
        for (const std::string& secret : kSecrets) {
            QVERIFY2(captured.find(secret) == std::string::npos, secret.c_str());
        }
        QCOMPARE(requestText(*slot), std::string_view("GET /v1/pets?a=1&apikey=[redacted]&b=2 HTTP/1.1\r\n"
                                                      "Host: gw.test\r\n"
                                                      "Authorization: Bearer [redacted]\r\n"
                                                      "Proxy-Authorization: Basic [redacted]\r\n"
                                                      "Cookie: [redacted]\r\n"
                                                      "ApiKey: [redacted]\r\n"
                                                      "X-Trace: t-42\r\n"));
        QCOMPARE(responseText(*slot), std::string_view("HTTP/1.1 200 OK\r\n"
                                                       "Set-Cookie: [redacted]\r\n"
                                                       "Authorization: [redacted]\r\n"
                                                       "Content-Length: 2\r\n"));
        QCOMPARE(slot->requestWire, uint32_t(request.size()));
        QCOMPARE(slot->responseWire, uint32_t(response.size() - 2));
        QVERIFY(!slot->requestCut);
        QVERIFY(!slot->responseCut);
    }

    void oversizedHeads_cutAtWholeLinesWithinTheBound() {
        HeaderCaptureRing ring;
        ring.follow(m_on);
        std::string request = "GET /big HTTP/1.1\r\nHost: gw.test\r\n";
        for (int i = 0; i < 90; ++i) {
            request += "X-Filler-" + std::to_string(i) + ": " + std::string(90, 'a' + i % 26) + "\r\n";
        }
        request += "\r\n";
        http::RequestHead head;
        QVERIFY(parse(request, head));
        CaptureSlot* slot = ring.begin(head);
        QVERIFY(slot != nullptr);
        QVERIFY(slot->requestCut);
        QVERIFY(slot->requestLen <= CaptureSlot::kRequestBytes);
        QVERIFY(slot->requestLen > CaptureSlot::kRequestBytes - 200); // filled up to the last whole line
        QVERIFY(requestText(*slot).ends_with("\r\n"));
        QCOMPARE(slot->requestWire, uint32_t(request.size()));

        std::string response = "HTTP/1.1 200 OK\r\n";
        for (int i = 0; i < 40; ++i) {
            response += "X-Out-" + std::to_string(i) + ": " + std::string(100, 'z') + "\r\n";
        }
        response += "\r\n";
        ring.addResponse(*slot, response);
        QVERIFY(slot->responseCut);
        QVERIFY(slot->requestLen + slot->responseLen <= CaptureSlot::kBytes);
        QVERIFY(responseText(*slot).starts_with("HTTP/1.1 200 OK\r\nX-Out-0: "));
        QVERIFY(responseText(*slot).ends_with("\r\n"));
        QCOMPARE(slot->responseWire, uint32_t(response.size()));
    }

    void fullRing_dropsAndCounts_releaseMakesRoom() {
        HeaderCaptureRing ring;
        ring.follow(m_on);
        const std::string request = "GET / HTTP/1.1\r\nHost: gw.test\r\n\r\n";
        http::RequestHead head;
        QVERIFY(parse(request, head));
        std::vector<CaptureSlot*> taken;
        for (size_t i = 0; i < HeaderCaptureRing::kSlots; ++i) {
            CaptureSlot* s = ring.begin(head);
            QVERIFY(s != nullptr);
            taken.push_back(s);
        }
        QCOMPARE(ring.begin(head), nullptr);
        QCOMPARE(ring.dropped(), uint64_t(1));

        uint16_t index = 0;
        // The oldest comes back first, as the recorder frees them in about the order they were taken.
        const uint32_t id = ring.publish(*taken[0], index);
        QVERIFY(id != 0);
        CaptureSlot* published = ring.published(index, id);
        QCOMPARE(published, taken[0]);
        QCOMPARE(ring.published(index, id + 1), nullptr); // another exchange's number
        ring.release(*published);
        QVERIFY(ring.begin(head) != nullptr);
        QCOMPARE(ring.dropped(), uint64_t(1));
    }

    void sweep_freesPublishedSlotsUpToTheNewestResolved() {
        HeaderCaptureRing ring;
        ring.follow(m_on);
        const std::string request = "GET / HTTP/1.1\r\nHost: gw.test\r\n\r\n";
        http::RequestHead head;
        QVERIFY(parse(request, head));
        uint16_t first = 0, second = 0;
        const uint32_t a = ring.publish(*ring.begin(head), first);
        const uint32_t b = ring.publish(*ring.begin(head), second);
        ring.sweep(a); // a's record was lost; b's is still on its way
        QCOMPARE(ring.published(first, a), nullptr);
        QVERIFY(ring.published(second, b) != nullptr);
    }

    void followsTheSwitch() {
        HeaderCaptureRing ring;
        QVERIFY(!ring.enabled()); // off until told whom to follow
        std::atomic<bool> flag{false};
        ring.follow(flag);
        QVERIFY(!ring.enabled());
        flag = true;
        QVERIFY(ring.enabled());
    }
};

QTEST_APPLESS_MAIN(HeaderCaptureTest)
#include "header_capture_test.moc"
