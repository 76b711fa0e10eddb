// Forwarding to a real upstream: method, canonical path, query, headers, hop-by-hop removal,
// X-Forwarded-*, path normalisation, and the builtin echo target.

#include "integration.h"

using namespace tollgate::test;

class ForwardingTest : public QObject {
    Q_OBJECT

private:
    // Starts a gateway in front of `upstream`.
    static GatewayYaml configFor(const TestUpstream& upstream) {
        GatewayYaml cfg;
        cfg.targets = {upstream.url()};
        return cfg;
    }

private slots:
    void forwardsMethodPathQueryHeadersAndBody() {
        TestUpstream upstream("up");
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(
            buildRequest("PATCH", "/api/items/42?b=2&a=1&c=%2F",
                         {{"Host", "client.example:8080"}, {"X-Custom", "v1"}, {"X-Custom", "v2"}}, "abc")));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QCOMPARE(resp->header("X-Upstream"), std::string("up"));
        QCOMPARE(resp->body, std::string("up PATCH /items/42?b=2&a=1&c=%2F"));

        QVERIFY(upstream.waitForCompleteRequests(1));
        const RecordedRequest req = upstream.requests().at(0);
        QCOMPARE(req.method, std::string("PATCH"));
        QCOMPARE(req.path(), std::string("/items/42"));
        QCOMPARE(req.query(), std::string("b=2&a=1&c=%2F"));
        QCOMPARE(req.version, std::string("HTTP/1.1"));
        QCOMPARE(req.headerCount("X-Custom"), 2);
        QCOMPARE(req.body, std::string("abc"));
        QCOMPARE(req.header("Content-Length"), std::string("3"));
    }

    void keepsBasePathWhenNotStripped() {
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg = configFor(upstream);
        cfg.stripBasePath = false;
        TG_START(gw, cfg.toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/x/y?q=1"));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForRequests(1));
        QCOMPARE(upstream.requests().at(0).target, std::string("/api/x/y?q=1"));
    }

    void removesHopByHopHeaders() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/hop",
                                                            {{"Connection", "keep-alive, X-Secret-Hop"},
                                                             {"Keep-Alive", "timeout=5"},
                                                             {"TE", "trailers"},
                                                             {"Trailer", "X-Checksum"},
                                                             {"Upgrade", "h2c"},
                                                             {"Proxy-Connection", "keep-alive"},
                                                             {"X-Secret-Hop", "1"},
                                                             {"X-Kept", "yes"}}));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForRequests(1));
        const RecordedRequest req = upstream.requests().at(0);
        for (const char* name :
             {"Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Connection", "X-Secret-Hop"}) {
            QVERIFY2(!req.hasHeader(name), (std::string(name) + " was forwarded:\n" + req.rawHead).c_str());
        }
        const std::string connection = req.header("Connection");
        QVERIFY2(connection.empty() || equalsIgnoreCase(connection, "keep-alive"),
                 ("Connection forwarded as: " + connection).c_str());
        QCOMPARE(req.header("X-Kept"), std::string("yes"));
    }

    void setsForwardedHeadersReplacingClientValue() {
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("GET", "/api/xff",
                                                            {{"Host", "shop.example"},
                                                             {"X-Forwarded-For", "1.2.3.4"},
                                                             {"X-Forwarded-Proto", "https"},
                                                             {"X-Forwarded-Host", "evil.example"}}));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForRequests(1));
        const RecordedRequest req = upstream.requests().at(0);
        QCOMPARE(req.headerCount("X-Forwarded-For"), 1);
        QCOMPARE(req.header("X-Forwarded-For"), std::string("127.0.0.1"));
        QCOMPARE(req.headerCount("X-Forwarded-Proto"), 1);
        QCOMPARE(req.header("X-Forwarded-Proto"), std::string("http"));
        QCOMPARE(req.headerCount("X-Forwarded-Host"), 1);
        QCOMPARE(req.header("X-Forwarded-Host"), std::string("shop.example"));
    }

    void appendsForwardedForFromTrustedProxy() {
        TestUpstream upstream;
        TollgatedProcess gw;
        GatewayYaml cfg = configFor(upstream);
        cfg.gatewayExtra = "  trusted_proxies: [\"127.0.0.1/32\"]\n";
        TG_START(gw, cfg.toYaml());

        const auto resp =
            roundTrip(gw.port(), buildRequest("GET", "/api/xff", {{"X-Forwarded-For", "1.2.3.4"}}));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForRequests(1));
        const RecordedRequest req = upstream.requests().at(0);
        QCOMPARE(req.headerCount("X-Forwarded-For"), 1);
        QCOMPARE(req.header("X-Forwarded-For"), std::string("1.2.3.4, 127.0.0.1"));
    }

    void forwardsCanonicalPath_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("forwarded");
        QTest::newRow("unreserved percent-decoded") << "/api/%61dmin"
                                                    << "/admin";
        QTest::newRow("dot-dot segment") << "/api/a/../b"
                                         << "/b";
        QTest::newRow("dot segment") << "/api/a/./b"
                                     << "/a/b";
        QTest::newRow("double slash") << "/api//x"
                                      << "/x";
        QTest::newRow("encoded dot-dot") << "/api/a/%2e%2e/b"
                                         << "/b";
        QTest::newRow("tilde decoded") << "/api/%7Euser"
                                       << "/~user";
        QTest::newRow("reserved kept upper-case") << "/api/a%3ab"
                                                  << "/a%3Ab";
        QTest::newRow("encoded base path") << "/%61pi/x"
                                           << "/x";
        QTest::newRow("query untouched") << "/api/q?x=%2F..%61&y=a//b"
                                         << "/q?x=%2F..%61&y=a//b";
    }

    void forwardsCanonicalPath() {
        QFETCH(QString, target);
        QFETCH(QString, forwarded);
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        const auto resp = roundTrip(gw.port(), buildRequest("GET", target.toStdString()));
        TG_EXPECT_STATUS(resp, 200, nullptr);
        QVERIFY(upstream.waitForRequests(1));
        QCOMPARE(QString::fromStdString(upstream.requests().at(0).target), forwarded);
    }

    void rejectsPathTricks_data() {
        QTest::addColumn<QString>("target");
        QTest::newRow("encoded slash") << "/api/a%2Fb";
        QTest::newRow("encoded slash lower") << "/api/a%2fb";
        QTest::newRow("backslash") << "/api/a\\b";
        QTest::newRow("encoded backslash") << "/api/a%5Cb";
        QTest::newRow("encoded nul") << "/api/a%00b";
        QTest::newRow("above root") << "/api/../../etc/passwd";
        QTest::newRow("bad percent") << "/api/a%zzb";
    }

    void rejectsPathTricks() {
        QFETCH(QString, target);
        TestUpstream upstream;
        TollgatedProcess gw;
        TG_START(gw, configFor(upstream).toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("GET", target.toStdString())));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 400, &client);
        QTest::qWait(100);
        QCOMPARE(upstream.bytesReceived(), uint64_t(0));
    }

    void builtinEchoDescribesRequest() {
        TollgatedProcess gw;
        GatewayYaml cfg;
        cfg.targets = {"builtin:echo"};
        TG_START(gw, cfg.toYaml());

        RawClient client;
        QVERIFY(client.connect(gw.port()));
        QVERIFY(client.send(buildRequest("POST", "/api/x/y?a=1", {{"X-Probe", "42"}}, "hello")));
        const auto resp = client.readResponse();
        TG_EXPECT_STATUS(resp, 200, &client);
        QVERIFY2(resp->header("Content-Type").find("application/json") == 0, resp->rawHead.c_str());
        const QJsonObject echo = jsonBody(*resp);
        QCOMPARE(echo.value("method").toString(), QString("POST"));
        QCOMPARE(echo.value("path").toString(), QString("/x/y"));
        QCOMPARE(echo.value("query").toString(), QString("a=1"));
        QCOMPARE(echo.value("http_version").toString(), QString("1.1"));
        QCOMPARE(echo.value("body_bytes").toInt(), 5);
        QCOMPARE(echo.value("body_sha256").toString().toStdString(), sha256Hex("hello"));
        bool sawProbe = false;
        for (const QJsonValue& h : echo.value("headers").toArray()) {
            const QJsonArray pair = h.toArray();
            sawProbe = sawProbe || (pair.at(0).toString().compare("X-Probe", Qt::CaseInsensitive) == 0 &&
                                    pair.at(1).toString() == "42");
        }
        QVERIFY2(sawProbe, resp->body.c_str());
    }
};

QTEST_GUILESS_MAIN(ForwardingTest)
#include "forwarding_test.moc"
