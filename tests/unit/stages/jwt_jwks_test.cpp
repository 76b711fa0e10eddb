// JwksCache against a real HTTP server on 127.0.0.1 (port 0): fetch, kid lookup through the stage,
// refresh on unknown kid at most once per interval, failures keep the last good set, limits.
#include "http/request_parser.h"
#include "server/snapshot.h"
#include "stages/authn_jwt/jwks_cache.h"
#include "stages/authn_jwt/jwt_auth_stage.h"
#include "stages/authn_jwt/jwt_signer.h"

#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

using namespace tollgate;
using namespace std::chrono_literals;
using stages::JwksCache;
namespace jwt = stages::jwt;

namespace {

// Serves one body to every request (Connection: close) and counts requests.
class JwksServer {
public:
    JwksServer() {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_fd, 16);
        socklen_t len = sizeof addr;
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { loop(); });
    }
    ~JwksServer() {
        m_stop = true;
        ::shutdown(m_fd, SHUT_RDWR);
        m_thread.join();
        ::close(m_fd);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/jwks.json"; }
    void setBody(std::string body) {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_body = std::move(body);
    }
    void setSilent(bool silent) { m_silent = silent; }
    int requests() const { return m_requests.load(); }

private:
    void loop() {
        while (!m_stop) {
            const int c = ::accept(m_fd, nullptr, nullptr);
            if (c < 0) {
                continue;
            }
            std::string req;
            char buf[4096];
            while (req.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = ::read(c, buf, sizeof buf);
                if (n <= 0) {
                    break;
                }
                req.append(buf, size_t(n));
            }
            ++m_requests;
            if (!m_silent) {
                std::string body;
                {
                    std::lock_guard<std::mutex> lock(m_mutex);
                    body = m_body;
                }
                const std::string resp =
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
                (void)!::write(c, resp.data(), resp.size());
            } else {
                while (!m_stop) {
                    std::this_thread::sleep_for(10ms);
                }
            }
            ::close(c);
        }
    }
    int m_fd = -1;
    uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_silent{false};
    std::atomic<int> m_requests{0};
    std::mutex m_mutex;
    std::string m_body;
    std::thread m_thread;
};

bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds timeout = 5s) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!cond()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

std::string claims() {
    return "{\"iss\":\"idp\",\"exp\":" + std::to_string(time(nullptr) + 600) + "}";
}

std::string rs256(EVP_PKEY* key, const std::string& kid) {
    return jwt::signWithKey("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", claims(), key);
}

JwksCache::Options fastOptions(std::chrono::milliseconds minRefresh) {
    JwksCache::Options o;
    o.minRefreshInterval = minRefresh;
    return o;
}

} // namespace

class JwtJwksTest : public QObject {
    Q_OBJECT

    jwt::PKeyPtr m_rsa = jwt::generateRsaKey(2048);
    jwt::PKeyPtr m_rsa2 = jwt::generateRsaKey(2048);
    jwt::PKeyPtr m_ec = jwt::generateEcP256Key();

    std::string jwks(std::initializer_list<std::string> keys) {
        std::string out = "{\"keys\":[";
        for (const std::string& k : keys) {
            out += (out.back() == '[' ? "" : ",") + k;
        }
        return out + "]}";
    }

    // A snapshot whose consumer "remote" has a jwt credential with `url`.
    static std::shared_ptr<const server::Snapshot> snapshotFor(const std::string& url) {
        LoadResult r =
            loadConfigText("version: 1\n"
                           "services: [{ name: b, targets: [{ url: builtin:echo }] }]\n"
                           "apis: [{ name: a, base_path: /a, service: b, auth: [jwt], routes: [{ name: "
                           "r, path: \"/*\" }] }]\n"
                           "plans: [{ name: free }]\n"
                           "consumers: [{ name: remote, plan: free, credentials: [{ type: jwt, issuer: "
                           "idp, jwks_url: \"" +
                               url + "\" }] }]\n",
                           "t.yaml");
        std::string error;
        server::CompileContext cc;
        cc.resolveTargets = false;
        return r.ok() ? server::Snapshot::compile(*r.config, 1, error, cc) : nullptr;
    }

private slots:
    void fetchesKeys_andStageVerifiesByKid() {
        JwksServer server;
        server.setBody(jwks({jwt::publicJwk(m_rsa.get(), "r1"), jwt::publicJwk(m_ec.get(), "e1")}));
        JwksCache cache;
        auto snap = snapshotFor(server.url());
        QVERIFY(snap);
        std::string error;
        auto stage = stages::JwtAuthStage::create(*snap, &cache, error);
        QVERIFY2(stage, error.c_str());
        QVERIFY(waitFor([&] { return cache.keys(server.url()) != nullptr; }));
        QCOMPARE(cache.keys(server.url())->keys.size(), size_t(2));
        int index = -1;
        QCOMPARE(stage->check(rs256(m_rsa.get(), "r1"), index), jwt::Error::None);
        QCOMPARE(index, 0);
        const std::string es = jwt::signWithKey("{\"alg\":\"ES256\",\"kid\":\"e1\"}", claims(), m_ec.get());
        QCOMPARE(stage->check(es, index), jwt::Error::None);
        QCOMPARE(stage->check(rs256(m_rsa.get(), "e1"), index), jwt::Error::Alg);
        QCOMPARE(stage->check(rs256(m_rsa2.get(), "r1"), index), jwt::Error::Signature);
        QCOMPARE(server.requests(), 1);
    }

    void unknownKid_refreshesAtMostOncePerInterval() {
        JwksServer server;
        server.setBody(jwks({jwt::publicJwk(m_rsa.get(), "r1")}));
        JwksCache cache; // default: at most one refresh a minute
        auto snap = snapshotFor(server.url());
        std::string error;
        auto stage = stages::JwtAuthStage::create(*snap, &cache, error);
        QVERIFY(waitFor([&] { return cache.keys(server.url()) != nullptr; }));
        int index = -1;
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(stage->check(rs256(m_rsa2.get(), "r2"), index), jwt::Error::Kid);
        }
        std::this_thread::sleep_for(300ms);
        QCOMPARE(server.requests(), 1); // the initial fetch only: within the minute, no refresh
    }

    void unknownKid_picksUpRotatedKeys() {
        JwksServer server;
        server.setBody(jwks({jwt::publicJwk(m_rsa.get(), "r1")}));
        JwksCache cache(fastOptions(200ms));
        auto snap = snapshotFor(server.url());
        std::string error;
        auto stage = stages::JwtAuthStage::create(*snap, &cache, error);
        QVERIFY(waitFor([&] { return cache.keys(server.url()) != nullptr; }));
        server.setBody(jwks({jwt::publicJwk(m_rsa.get(), "r1"), jwt::publicJwk(m_rsa2.get(), "r2")}));
        std::this_thread::sleep_for(250ms);
        int index = -1;
        const std::string rotated = rs256(m_rsa2.get(), "r2");
        QCOMPARE(stage->check(rotated, index), jwt::Error::Kid); // asks for a refresh
        for (int i = 0; i < 20; ++i) {
            stage->check(rotated, index);
        }
        QVERIFY(waitFor([&] { return stage->check(rotated, index) == jwt::Error::None; }));
        QCOMPARE(server.requests(), 2); // 21 unknown-kid tokens, one refresh
        QCOMPARE(stage->check(rs256(m_rsa.get(), "r1"), index), jwt::Error::None);
    }

    void serverDown_failsCleanlyAndQuickly() {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0); // a port nobody listens on
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        socklen_t len = sizeof addr;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        ::close(fd);
        const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/jwks.json";
        JwksCache cache(fastOptions(100ms));
        auto snap = snapshotFor(url);
        std::string error;
        auto stage = stages::JwtAuthStage::create(*snap, &cache, error);
        auto source = cache.source(url);
        QVERIFY(waitFor([&] { return source->failureCount() >= 2; })); // retried after the interval
        QVERIFY(!cache.lastError(url).empty());
        int index = -1;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < 100; ++i) {
            QCOMPARE(stage->check(rs256(m_rsa.get(), "r1"), index), jwt::Error::Key);
            cache.requestRefresh(url);
        }
        QVERIFY(std::chrono::steady_clock::now() - start < 1s); // never waits on the network
    }

    void failedRefresh_keepsLastGoodSet() {
        JwksServer server;
        server.setBody(jwks({jwt::publicJwk(m_rsa.get(), "r1")}));
        JwksCache cache(fastOptions(50ms));
        auto source = cache.source(server.url());
        QVERIFY(waitFor([&] { return source->keys() != nullptr; }));
        server.setBody("{\"keys\": \"oops\"}");
        std::this_thread::sleep_for(60ms);
        cache.requestRefresh(server.url());
        QVERIFY(waitFor([&] { return source->failureCount() == 1; }));
        QVERIFY(source->keys() != nullptr);
        QCOMPARE(source->keys()->keys.front().kid, std::string("r1"));
        QVERIFY(cache.lastError(server.url()).find("keys") != std::string::npos);
    }

    void oversizedBody_isRefused() {
        JwksServer server;
        server.setBody(jwks({jwt::publicJwk(m_rsa.get(), "r1")}));
        JwksCache::Options o;
        o.maxBodyBytes = 100;
        JwksCache cache(o);
        auto source = cache.source(server.url());
        QVERIFY(waitFor([&] { return source->failureCount() == 1; }));
        QVERIFY(source->keys() == nullptr);
        QVERIFY2(cache.lastError(server.url()).find("larger") != std::string::npos,
                 cache.lastError(server.url()).c_str());
    }

    void setUrls_fetchesNewAndDropsOld() {
        JwksServer a;
        JwksServer b;
        a.setBody(jwks({jwt::publicJwk(m_rsa.get(), "a")}));
        b.setBody(jwks({jwt::publicJwk(m_ec.get(), "b")}));
        JwksCache cache;
        cache.setUrls({a.url()});
        QVERIFY(waitFor([&] { return cache.keys(a.url()) != nullptr; }));
        cache.setUrls({a.url(), b.url()});
        QVERIFY(waitFor([&] { return cache.keys(b.url()) != nullptr; }));
        QCOMPARE(a.requests(), 1); // kept, not refetched
        cache.setUrls({b.url()});
        QVERIFY(cache.keys(a.url()) == nullptr);
    }

    void destructor_abortsAHangingFetch() {
        JwksServer server;
        server.setSilent(true);
        const auto start = std::chrono::steady_clock::now();
        {
            JwksCache cache;
            cache.source(server.url());
            QVERIFY(waitFor([&] { return server.requests() == 1; }));
        }
        QVERIFY(std::chrono::steady_clock::now() - start < 3s);
    }
};

QTEST_APPLESS_MAIN(JwtJwksTest)
#include "jwt_jwks_test.moc"
