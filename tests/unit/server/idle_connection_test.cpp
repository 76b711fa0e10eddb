// What an idle keep-alive client connection holds (bench/README.md, "Memory per idle connection"):
// once its response is out it gives back its request slot and its input buffer, so ten thousand
// idle connections cost neither; a connection in the middle of a head keeps its buffer only.
// A real Worker on port 0 with the builtin echo service; the pools are read on the worker's thread.

#include "raw_client.h"
#include "server/snapshot.h"
#include "server/worker.h"
#include "tollgate/config.h"

#include <QtTest>

#include <asio/post.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::test;

namespace {

const char* kConfig = "version: 1\n"
                      "gateway:\n"
                      "  listen: [\"127.0.0.1:0\"]\n"
                      "  workers: 1\n"
                      "services:\n"
                      "  - name: echo\n"
                      "    targets: [ { url: \"builtin:echo\" } ]\n"
                      "apis:\n"
                      "  - { name: pub, base_path: /, service: echo, public: true,\n"
                      "      routes: [ { name: all, path: \"/*\" } ] }\n";

struct PoolUse {
    size_t requestSlots = 0;
    size_t buffers = 0;
};

class RunningWorker {
public:
    RunningWorker() : m_worker(0, 16 * 1024) {
        LoadResult loaded = loadConfigText(kConfig, "idle.yaml");
        if (!loaded.ok()) {
            QFAIL("config does not load");
        }
        m_config = std::move(*loaded.config);
        std::string error;
        auto snapshot = server::Snapshot::compile(m_config, 1, error);
        QVERIFY2(snapshot, error.c_str());
        asio::ip::tcp::acceptor acceptor(m_worker.io(), {asio::ip::make_address("127.0.0.1"), 0});
        acceptor.non_blocking(true);
        m_port = acceptor.local_endpoint().port();
        m_worker.addAcceptor(std::move(acceptor));
        m_worker.start(std::move(snapshot));
    }
    ~RunningWorker() { m_worker.stopAndJoin(); }

    uint16_t port() const { return m_port; }

    // Read on the worker's own thread: the pools are not shared.
    PoolUse poolUse() {
        std::promise<PoolUse> done;
        asio::post(m_worker.io(), [&] {
            done.set_value({m_worker.requestSlots().inUse(), m_worker.buffers().inUse()});
        });
        return done.get_future().get();
    }

private:
    Config m_config;
    server::Worker m_worker;
    uint16_t m_port = 0;
};

} // namespace

class IdleConnectionTest : public QObject {
    Q_OBJECT

private slots:
    void idleKeepAliveConnections_holdNoRequestSlotAndNoBuffer() {
        RunningWorker worker;
        std::vector<RawClient> clients(8);
        for (RawClient& c : clients) {
            QVERIFY(c.connect(worker.port()));
            QVERIFY(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
            const auto r = c.readResponse(5s);
            QVERIFY(r);
            QCOMPARE(r->status, 200);
        }
        const PoolUse use = worker.poolUse();
        QCOMPARE(use.requestSlots, size_t(0));
        QCOMPARE(use.buffers, size_t(0));
    }

    void partialHead_keepsItsBufferButNoSlot() {
        RunningWorker worker;
        RawClient c;
        QVERIFY(c.connect(worker.port()));
        QVERIFY(c.send("GET /hello HTTP/1.1\r\nHo"));
        PoolUse use;
        for (int i = 0; i < 100 && use.buffers == 0; ++i) { // until the worker has read the bytes
            std::this_thread::sleep_for(10ms);
            use = worker.poolUse();
        }
        QCOMPARE(use.buffers, size_t(1));
        QCOMPARE(use.requestSlots, size_t(0));
        QVERIFY(c.send("st: t\r\n\r\n"));
        const auto r = c.readResponse(5s);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        use = worker.poolUse();
        QCOMPARE(use.requestSlots, size_t(0));
        QCOMPARE(use.buffers, size_t(0));
    }
};

QTEST_GUILESS_MAIN(IdleConnectionTest)
#include "idle_connection_test.moc"
