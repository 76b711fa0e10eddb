// The recorder over real record rings: the access log (one JSON line per record, numbered like the
// window; rotation by rename + reopen; an unwritable path reported and counted without stopping the
// rest of the recording), the window, and the per-minute deltas handed to the sink.

#include "prometheus_text.h"
#include "recording/recorder.h"
#include "server/telemetry.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace tollgate;
using namespace tollgate::recording;
using nlohmann::json;

namespace {

constexpr int64_t kMinute = 1'700'000'040; // a minute boundary

template <size_t N> void set(char (&dst)[N], std::string_view text) {
    std::memset(dst, 0, N);
    std::memcpy(dst, text.data(), std::min(text.size(), N - 1));
}

// A record with a path telling which one it is ("/r/<n>").
RequestRecord record(int n, int64_t atSeconds = kMinute + 1) {
    RequestRecord r;
    r.unixMicros = atSeconds * 1'000'000;
    r.status = 200;
    r.totalMicros = 500;
    set(r.consumer, "acme");
    set(r.api, "orders");
    set(r.route, "list");
    set(r.path, "/r/" + std::to_string(n));
    return r;
}

std::vector<std::string> readLines(const QString& path) {
    std::vector<std::string> lines;
    std::ifstream in(path.toStdString());
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
    }
    return lines;
}

// The file's lines parsed; fails the test on a line that is not a JSON object.
std::vector<json> readJsonLines(const QString& path) {
    std::vector<json> out;
    for (const std::string& line : readLines(path)) {
        try {
            out.push_back(json::parse(line));
        } catch (const json::exception& e) {
            QTest::qFail((std::string(e.what()) + ": " + line).c_str(), __FILE__, __LINE__);
            return {};
        }
    }
    return out;
}

} // namespace

class RecorderTest : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void accessLog_oneJsonLinePerRecord_numberedLikeTheWindow() {
        server::RecordRing ring1(64);
        server::RecordRing ring2(64);
        Recorder recorder({&ring1, &ring2}, nullptr, 100);
        const QString path = m_dir.filePath("numbered.log");
        recorder.setAccessLogPath(path.toStdString());
        for (int i = 0; i < 3; ++i) {
            ring1.push(record(i));
        }
        for (int i = 3; i < 5; ++i) {
            ring2.push(record(i));
        }
        recorder.runOnce(false);
        QCOMPARE(recorder.accessLog().path(), path.toStdString());
        QCOMPARE(recorder.accessLog().error(), std::string());

        const std::vector<json> lines = readJsonLines(path);
        QCOMPARE(lines.size(), size_t(5));
        std::vector<std::string> paths;
        for (size_t i = 0; i < lines.size(); ++i) {
            QCOMPARE(lines[i].at("seq").get<uint64_t>(), uint64_t(i + 1));
            paths.push_back(lines[i].at("path").get<std::string>());
        }
        // Ring by ring, each in push order.
        QCOMPARE(paths, (std::vector<std::string>{"/r/0", "/r/1", "/r/2", "/r/3", "/r/4"}));

        // The window holds the same records under the same numbers.
        uint64_t cursor = 0;
        std::vector<RequestRecord> window;
        QCOMPARE(recorder.window().since(cursor, window, 100), size_t(5));
        for (size_t i = 0; i < window.size(); ++i) {
            QCOMPARE(window[i].seq, uint64_t(i + 1));
            QCOMPARE(std::string(window[i].path), paths[i]);
        }

        // Nothing new: nothing written.
        recorder.runOnce(false);
        QCOMPARE(readLines(path).size(), size_t(5));
        ring1.push(record(5));
        recorder.runOnce(false);
        const std::vector<json> more = readJsonLines(path);
        QCOMPARE(more.size(), size_t(6)); // appended
        QCOMPARE(more.back().at("seq").get<uint64_t>(), uint64_t(6));
        QCOMPARE(recorder.accessLog().recordsLost(), uint64_t(0));
    }

    void renameThenReopen_newLinesGoToAFreshFile() {
        server::RecordRing ring(64);
        Recorder recorder({&ring}, nullptr, 100);
        const QString path = m_dir.filePath("rotated.log");
        const QString rotated = m_dir.filePath("rotated.log.1");
        recorder.setAccessLogPath(path.toStdString());
        for (int i = 0; i < 4; ++i) {
            ring.push(record(i));
        }
        recorder.runOnce(false);
        QCOMPARE(readLines(path).size(), size_t(4));

        QVERIFY(QFile::rename(path, rotated));
        // Until the reopen, the open file (now renamed) still gets the lines, as logrotate expects.
        ring.push(record(4));
        recorder.runOnce(false);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(readLines(rotated).size(), size_t(5));

        recorder.reopenAccessLog();
        ring.push(record(5));
        ring.push(record(6));
        recorder.runOnce(false);
        QVERIFY(QFile::exists(path));
        const std::vector<json> fresh = readJsonLines(path);
        QCOMPARE(fresh.size(), size_t(2));
        QCOMPARE(fresh[0].at("path").get<std::string>(), std::string("/r/5"));
        QCOMPARE(fresh[0].at("seq").get<uint64_t>(), uint64_t(6));
        QCOMPARE(fresh[1].at("path").get<std::string>(), std::string("/r/6"));
        const std::vector<json> old = readJsonLines(rotated);
        QCOMPARE(old.size(), size_t(5));
        QCOMPARE(old.back().at("path").get<std::string>(), std::string("/r/4"));
        QCOMPARE(recorder.accessLog().error(), std::string());

        // A reopen with the file in place appends to it (nothing truncated).
        recorder.reopenAccessLog();
        ring.push(record(7));
        recorder.runOnce(false);
        QCOMPARE(readLines(path).size(), size_t(3));
    }

    void unwritablePath_errorAndLostCount_trafficStillRecorded() {
        server::RecordRing ring(64);
        std::vector<AggregateDelta> sunk;
        Recorder recorder(
            {&ring}, [&](std::vector<AggregateDelta>&& d) { sunk.insert(sunk.end(), d.begin(), d.end()); },
            100);
        const QString folder = m_dir.filePath("a-folder");
        QVERIFY(QDir().mkpath(folder));
        recorder.setAccessLogPath(folder.toStdString());
        for (int i = 0; i < 4; ++i) {
            ring.push(record(i));
        }
        recorder.runOnce(true);
        const std::string error = recorder.accessLog().error();
        QVERIFY2(error.find(folder.toStdString()) != std::string::npos, error.c_str());
        QCOMPARE(recorder.accessLog().recordsLost(), uint64_t(4));
        // Everything else went on.
        QCOMPARE(recorder.window().lastSeq(), uint64_t(4));
        uint64_t cursor = 0;
        std::vector<RequestRecord> records;
        QCOMPARE(recorder.window().since(cursor, records, 100), size_t(4));
        QCOMPARE(sunk.size(), size_t(1));
        QCOMPARE(sunk[0].requests, uint64_t(4));
        std::vector<test::PromSample> samples;
        std::string parseError;
        QVERIFY2(test::parsePrometheusText(recorder.prometheusText(), samples, parseError),
                 parseError.c_str());
        const auto requests = test::samplesNamed(samples, "tollgate_requests_total");
        QCOMPARE(requests.size(), size_t(1));
        QCOMPARE(requests[0].value, 4.0);

        // Retried on the next batch, counted again.
        ring.push(record(4));
        recorder.runOnce(false);
        QCOMPARE(recorder.accessLog().recordsLost(), uint64_t(5));
        QCOMPARE(recorder.window().lastSeq(), uint64_t(5));

        // A good path clears the error and logs from then on.
        const QString good = m_dir.filePath("recovered.log");
        recorder.setAccessLogPath(good.toStdString());
        ring.push(record(5));
        recorder.runOnce(false);
        QCOMPARE(recorder.accessLog().error(), std::string());
        const std::vector<json> lines = readJsonLines(good);
        QCOMPARE(lines.size(), size_t(1));
        QCOMPARE(lines[0].at("seq").get<uint64_t>(), uint64_t(6));
        QCOMPARE(recorder.accessLog().recordsLost(), uint64_t(5));
    }

    void emptyPath_noLog() {
        server::RecordRing ring(64);
        Recorder recorder({&ring}, nullptr, 100);
        const QString path = m_dir.filePath("off.log");
        recorder.setAccessLogPath(path.toStdString());
        recorder.setAccessLogPath("");
        ring.push(record(0));
        recorder.runOnce(false);
        QVERIFY(!QFile::exists(path));
        QCOMPARE(recorder.accessLog().path(), std::string());
        QVERIFY(!recorder.accessLog().enabled());
        QCOMPARE(recorder.window().lastSeq(), uint64_t(1));
    }

    void sinkGetsDeltasOnFlushOnly_requestCountsSumToRecords() {
        server::RecordRing ring1(64);
        server::RecordRing ring2(64);
        std::vector<AggregateDelta> sunk;
        int calls = 0;
        Recorder recorder(
            {&ring1, &ring2},
            [&](std::vector<AggregateDelta>&& d) {
                ++calls;
                sunk.insert(sunk.end(), d.begin(), d.end());
            },
            100);
        for (int i = 0; i < 7; ++i) {
            RequestRecord r = record(i, kMinute + i * 20); // spans three minutes
            if (i % 3 == 0) {
                set(r.consumer, "bob");
            }
            (i % 2 ? ring1 : ring2).push(r);
        }
        recorder.runOnce(false);
        QCOMPARE(calls, 0); // no flush asked
        recorder.runOnce(true);
        QCOMPARE(calls, 1);
        uint64_t total = 0;
        uint64_t bob = 0;
        for (const AggregateDelta& d : sunk) {
            total += d.requests;
            bob += d.key.consumer == "bob" ? d.requests : 0;
            QVERIFY(d.minute >= kMinute && d.minute <= kMinute + 120);
        }
        QCOMPARE(total, uint64_t(7));
        QCOMPARE(bob, uint64_t(3)); // 0, 3, 6
        // Nothing new: the sink is not called with an empty batch.
        recorder.runOnce(true);
        QCOMPARE(calls, 1);
        ring1.push(record(7));
        recorder.runOnce(true);
        QCOMPARE(calls, 2);
        QCOMPARE(sunk.back().requests, uint64_t(1));
    }

    void thread_stopDrainsWhatWasLeft_andFlushes() {
        server::RecordRing ring1(1024);
        server::RecordRing ring2(1024);
        uint64_t sunk = 0;
        Recorder recorder(
            {&ring1, &ring2},
            [&](std::vector<AggregateDelta>&& d) {
                for (const AggregateDelta& x : d) {
                    sunk += x.requests;
                }
            },
            10'000);
        const QString path = m_dir.filePath("threaded.log");
        recorder.setAccessLogPath(path.toStdString());
        recorder.start();
        for (int i = 0; i < 500; ++i) {
            ring1.push(record(i));
        }
        QVERIFY(recorder.window().wait(0, 20s)); // the thread drains on its own
        for (int i = 500; i < 1000; ++i) {
            ring2.push(record(i));
        }
        recorder.stop();
        QCOMPARE(ring1.dropped() + ring2.dropped(), uint64_t(0));
        QCOMPARE(recorder.window().lastSeq(), uint64_t(1000));
        QCOMPARE(sunk, uint64_t(1000));
        QCOMPARE(readLines(path).size(), size_t(1000));
        QVERIFY(!recorder.window().wait(1000, 10min)); // closed: returns at once
    }
};

QTEST_GUILESS_MAIN(RecorderTest)
#include "recorder_test.moc"
