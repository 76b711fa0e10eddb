// GET and PUT /config through the admin API: the running YAML with its digest as ETag; an invalid
// body refused with line:col errors while the old config keeps serving; a valid one applied, written
// atomically with a .bak of the previous file, and not reloaded again by the file watcher.

#include "admin_client.h"
#include "integration.h"

using namespace tollgate::test;

namespace {

const std::string kShopApi = "  - name: shop\n"
                             "    version: v1\n"
                             "    base_path: /shop\n"
                             "    service: echo\n"
                             "    public: true\n"
                             "    routes: [ { name: all, path: \"/*\" } ]\n";

int statusOf(uint16_t port, const std::string& path) {
    const auto r = roundTrip(port, buildRequest("GET", path, {{"apikey", keyOf("acme")}}));
    return r ? r->status : 0;
}

} // namespace

class AdminConfigTest : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TollgatedProcess> m_gateway;

    uint16_t admin() const { return m_gateway->adminPort(); }

private slots:
    void init() {
        m_gateway = std::make_unique<TollgatedProcess>();
        m_gateway->setEnv("TOLLGATE_ADMIN_TOKEN", kAdminToken);
        TG_START(*m_gateway, adminGatewayYaml());
    }

    void cleanup() { m_gateway.reset(); }

    void get_returnsRunningYamlWithDigest() {
        const auto r = adminCall(admin(), "GET", "/config");
        TG_EXPECT_STATUS(r, 200, nullptr);
        QCOMPARE(r->header("Content-Type"), std::string("application/yaml"));
        QCOMPARE(r->body, readFile(m_gateway->configPath()));
        QCOMPARE(r->header("ETag"), "\"sha256:" + sha256Hex(r->body) + "\"");
    }

    void putInvalid_400WithLineColumn_oldConfigStays() {
        const std::string before = readFile(m_gateway->configPath());
        std::string yaml = adminGatewayYaml(kShopApi);
        const std::string bad = "  drain_timeout: 2s\n";
        yaml.replace(yaml.find(bad), bad.size(), "  drain_timeout: soon\n");
        const auto r = adminCall(admin(), "PUT", "/config", yaml, {{"Content-Type", "application/yaml"}});
        TG_EXPECT_STATUS(r, 400, nullptr);
        const QJsonObject body = jsonBody(*r);
        QCOMPARE(body.value("error").toString(), QString("config.invalid"));
        const QJsonArray errors = body.value("errors").toArray();
        QVERIFY2(!errors.isEmpty(), r->body.c_str());
        const std::string first = errors[0].toString().toStdString();
        const std::string expectedStart = std::to_string(lineOf(yaml, "drain_timeout: soon")) + ":";
        QVERIFY2(first.starts_with(expectedStart), first.c_str());
        QVERIFY2(first.find("gateway.drain_timeout") != std::string::npos, first.c_str());
        QCOMPARE(readFile(m_gateway->configPath()), before);
        QCOMPARE(statusOf(m_gateway->port(), "/orders/v1/1"), 200);
        QCOMPARE(statusOf(m_gateway->port(), "/shop/x"), 404);
    }

    void putUnparsableYaml_400() {
        const auto r = adminCall(admin(), "PUT", "/config", "version: 1\ngateway: [unclosed\n");
        TG_EXPECT_STATUS(r, 400, nullptr);
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("config.invalid"));
        QVERIFY(!jsonBody(*r).value("errors").toArray().isEmpty());
    }

    void putValid_appliesWritesFileAndKeepsBackup() {
        const std::string before = readFile(m_gateway->configPath());
        const std::string yaml = adminGatewayYaml(kShopApi);
        const auto r = adminCall(admin(), "PUT", "/config", yaml);
        TG_EXPECT_STATUS(r, 200, nullptr);
        const QJsonObject body = jsonBody(*r);
        QCOMPARE(body.value("applied").toBool(), true);
        QCOMPARE(body.value("digest").toString().toStdString(), "sha256:" + sha256Hex(yaml));
        QVERIFY(body.value("warnings").isArray());
        QCOMPARE(statusOf(m_gateway->port(), "/shop/x"), 200);
        QCOMPARE(readFile(m_gateway->configPath()), yaml);
        QCOMPARE(readFile(m_gateway->configPath() + ".bak"), before);
        const auto get = adminCall(admin(), "GET", "/config");
        TG_EXPECT_STATUS(get, 200, nullptr);
        QCOMPARE(get->body, yaml);
        // The watcher sees the new file, finds the running digest in it and does not reload it again.
        std::this_thread::sleep_for(1500ms);
        QCOMPARE(m_gateway->countInStdout("config reloaded"), size_t(0));
    }

    void putWithStaleIfMatch_412() {
        const std::string before = readFile(m_gateway->configPath());
        const auto r = adminCall(admin(), "PUT", "/config", adminGatewayYaml(kShopApi),
                                 {{"If-Match", "\"sha256:" + std::string(64, '0') + "\""}});
        TG_EXPECT_STATUS(r, 412, nullptr);
        QCOMPARE(jsonBody(*r).value("error").toString(), QString("config.changed"));
        QCOMPARE(readFile(m_gateway->configPath()), before);
        QCOMPARE(statusOf(m_gateway->port(), "/shop/x"), 404);

        const auto current = adminCall(admin(), "GET", "/config");
        TG_EXPECT_STATUS(current, 200, nullptr);
        const auto ok = adminCall(admin(), "PUT", "/config", adminGatewayYaml(kShopApi),
                                  {{"If-Match", current->header("ETag")}});
        TG_EXPECT_STATUS(ok, 200, nullptr);
        QCOMPARE(statusOf(m_gateway->port(), "/shop/x"), 200);
    }

    void putChangingListeners_warnsOfRestart() {
        std::string yaml = adminGatewayYaml();
        const std::string listen = "  listen: [\"127.0.0.1:0\"]\n";
        yaml.replace(yaml.find(listen), listen.size(), "  listen: [\"127.0.0.1:0\", \"127.0.0.2:0\"]\n");
        const auto r = adminCall(admin(), "PUT", "/config", yaml);
        TG_EXPECT_STATUS(r, 200, nullptr);
        const QJsonArray warnings = jsonBody(*r).value("warnings").toArray();
        bool mentioned = false;
        for (const auto& w : warnings) {
            mentioned = mentioned || w.toString().contains("gateway.listen");
        }
        QVERIFY2(mentioned, r->body.c_str());
    }

    void reloadOfAnotherFileStillWorks() {
        // The digest check must not swallow real edits.
        const size_t reloaded = m_gateway->countInStdout("config reloaded");
        QVERIFY(m_gateway->writeConfig(adminGatewayYaml(kShopApi)));
        QCOMPARE(m_gateway->waitForReload(reloaded, 0, 10s), TollgatedProcess::ReloadResult::Reloaded);
        QCOMPARE(statusOf(m_gateway->port(), "/shop/x"), 200);
    }
};

QTEST_GUILESS_MAIN(AdminConfigTest)
#include "admin_config_test.moc"
