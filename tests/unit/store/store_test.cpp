// Store: schema and pragmas on open, counters saved, replaced, reloaded and pruned, refusals with
// messages naming the path, default location, and rows that survive the writer being killed.

#include "sqlite_raw.h"
#include "store/store.h"

#include <QtTest>

#include <sqlite3.h>

#include <csignal>
#include <cstdint>
#include <limits>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using tollgate::store::CounterRow;
using tollgate::store::Store;

using tollgate::test::rawQuery;

namespace {

CounterRow row(std::string consumer, std::string kind, int64_t period, int64_t value) {
    CounterRow r;
    r.consumer = std::move(consumer);
    r.kind = std::move(kind);
    r.period = period;
    r.value = value;
    return r;
}

// "consumer kind period value" per row, in load order.
QStringList describe(const std::vector<CounterRow>& rows) {
    QStringList out;
    for (const CounterRow& r : rows) {
        out << QString::fromStdString(r.consumer + " " + r.kind + " " + std::to_string(r.period) + " " +
                                      std::to_string(r.value));
    }
    return out;
}

QStringList loadAll(Store& store) {
    std::string error;
    const auto rows = store.loadCounters(error);
    if (!error.empty()) {
        qWarning("load failed: %s", error.c_str());
    }
    return describe(rows);
}

// Restores an environment variable (or its absence) when the scope ends.
class EnvGuard {
public:
    explicit EnvGuard(const char* name)
        : m_name(name), m_was(qEnvironmentVariableIsSet(name)), m_value(qgetenv(name)) {}
    ~EnvGuard() {
        if (m_was) {
            qputenv(m_name, m_value);
        } else {
            qunsetenv(m_name);
        }
    }

private:
    const char* m_name;
    bool m_was;
    QByteArray m_value;
};

} // namespace

class StoreTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string file(const char* name) const { return m_dir.filePath(QString::fromUtf8(name)).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void openCreatesEmptyDatabase() {
        const std::string path = file("create.db");
        std::string error;
        auto store = Store::open(path, error);
        QVERIFY2(store, error.c_str());
        QCOMPARE(store->path(), path);
        QVERIFY(QFileInfo::exists(QString::fromStdString(path)));
        QVERIFY(loadAll(*store).isEmpty());
        QVERIFY(error.empty());
    }

    void openSetsWalAndSchemaVersion() {
        const std::string path = file("pragmas.db");
        std::string error;
        auto store = Store::open(path, error);
        QVERIFY2(store, error.c_str());
        // WAL is a property of the file: a separate connection sees it.
        QCOMPARE(rawQuery(path, "PRAGMA journal_mode"), std::string("wal"));
        QCOMPARE(rawQuery(path, "PRAGMA user_version"), std::to_string(Store::kSchemaVersion));
        const std::string sql = rawQuery(path, "SELECT sql FROM sqlite_schema WHERE name = 'counters'");
        QVERIFY2(sql.find("WITHOUT ROWID") != std::string::npos, sql.c_str());
        QVERIFY2(sql.find("PRIMARY KEY(consumer, kind, period)") != std::string::npos, sql.c_str());
    }

    void saveThenReloadInNewStore() {
        const std::string path = file("reload.db");
        const std::vector<CounterRow> rows = {
            row("alice", "quota.used", 19700, 42),
            row("alice", "quota.used", 19701, 7),
            row("alice", "rate.second", 0, 1700000000123456),
            row("bob", "quota.bonus", 640, 1000),
        };
        std::string error;
        {
            auto store = Store::open(path, error);
            QVERIFY2(store, error.c_str());
            QVERIFY2(store->saveCounters(rows, error), error.c_str());
        }
        auto reopened = Store::open(path, error);
        QVERIFY2(reopened, error.c_str());
        QCOMPARE(loadAll(*reopened), describe(rows)); // ordered by consumer, kind, period
    }

    void saveReplacesRowWithSameKey() {
        std::string error;
        auto store = Store::open(file("upsert.db"), error);
        QVERIFY2(store, error.c_str());
        QVERIFY(store->saveCounters({row("a", "rate.minute", 0, 100), row("a", "quota.used", 5, 1)}, error));
        QVERIFY(store->saveCounters({row("a", "rate.minute", 0, 200), row("a", "quota.used", 6, 3)}, error));
        QCOMPARE(loadAll(*store),
                 QStringList({"a quota.used 5 1", "a quota.used 6 3", "a rate.minute 0 200"}));
        // The same key twice in one batch: the last one wins.
        QVERIFY(store->saveCounters({row("a", "quota.used", 6, 4), row("a", "quota.used", 6, 9)}, error));
        QCOMPARE(loadAll(*store),
                 QStringList({"a quota.used 5 1", "a quota.used 6 9", "a rate.minute 0 200"}));
    }

    void saveEmptyBatchSucceeds() {
        std::string error;
        auto store = Store::open(file("empty.db"), error);
        QVERIFY2(store, error.c_str());
        QVERIFY(store->saveCounters({}, error));
        QVERIFY(error.empty());
    }

    void saveKeepsTextAndExtremeValuesExact() {
        std::string error;
        auto store = Store::open(file("exact.db"), error);
        QVERIFY2(store, error.c_str());
        const int64_t big = std::numeric_limits<int64_t>::max();
        const int64_t small = std::numeric_limits<int64_t>::min();
        const std::string name =
            std::string("caf\xc3\xa9 ") + std::string(1, '\0') + "x'; DROP TABLE counters;--";
        QVERIFY2(store->saveCounters({row(name, "quota.used", small, big)}, error), error.c_str());
        const auto rows = store->loadCounters(error);
        QCOMPARE(rows.size(), size_t(1));
        QCOMPARE(rows[0].consumer, name);
        QCOMPARE(rows[0].period, small);
        QCOMPARE(rows[0].value, big);
    }

    void pruneDeletesExpiredRateRows() {
        std::string error;
        auto store = Store::open(file("prune_rate.db"), error);
        QVERIFY2(store, error.c_str());
        const int64_t now = 1700000000000000;
        QVERIFY(store->saveCounters({row("a", "rate.second", 0, now - 1), row("b", "rate.minute", 0, now),
                                     row("c", "rate.hour", 0, now + 1),
                                     row("d", "rate.day", 0, now + 86400000000)},
                                    error));
        QCOMPARE(store->pruneCounters(now, 10, error), int64_t(2)); // TAT <= now: a full bucket
        QCOMPARE(loadAll(*store),
                 QStringList({"c rate.hour 0 1700000000000001", "d rate.day 0 1700086400000000"}));
        QCOMPARE(store->pruneCounters(now, 10, error), int64_t(0));
    }

    void pruneKeepsRecentQuotaPeriodsPerConsumerAndKind() {
        std::string error;
        auto store = Store::open(file("prune_quota.db"), error);
        QVERIFY2(store, error.c_str());
        std::vector<CounterRow> rows;
        for (int64_t p = 10; p <= 15; ++p) {
            rows.push_back(row("a", "quota.used", p, p));
        }
        rows.push_back(row("a", "quota.bonus", 11, 5)); // its own newest period: 11
        rows.push_back(row("b", "quota.used", 3, 1));   // another consumer, far behind: kept
        rows.push_back(row("b", "quota.used", 1, 1));   // 3 - 2 = 1: not older, kept
        rows.push_back(row("b", "quota.used", 0, 1));   // older than 2 periods before 3: deleted
        QVERIFY(store->saveCounters(rows, error));
        // Quota values are counts, not times: nowMicros does not touch them.
        QCOMPARE(store->pruneCounters(std::numeric_limits<int64_t>::max(), 2, error), int64_t(4));
        QCOMPARE(loadAll(*store),
                 QStringList({"a quota.bonus 11 5", "a quota.used 13 13", "a quota.used 14 14",
                              "a quota.used 15 15", "b quota.used 1 1", "b quota.used 3 1"}));
        QCOMPARE(store->pruneCounters(0, 0, error), int64_t(3)); // keepPeriods 0: only the newest
        QCOMPARE(loadAll(*store),
                 QStringList({"a quota.bonus 11 5", "a quota.used 15 15", "b quota.used 3 1"}));
    }

    void pruneRejectsNegativeKeep() {
        std::string error;
        auto store = Store::open(file("prune_negative.db"), error);
        QVERIFY2(store, error.c_str());
        QVERIFY(store->saveCounters({row("a", "quota.used", 1, 1), row("a", "quota.used", 2, 1)}, error));
        QCOMPARE(store->pruneCounters(0, -1, error), int64_t(-1));
        QVERIFY2(error.find("keepPeriods") != std::string::npos, error.c_str());
        QCOMPARE(loadAll(*store).size(), 2);
    }

    void twoStoresShareOneFile() {
        const std::string path = file("shared.db");
        std::string error;
        auto writer = Store::open(path, error);
        auto reader = Store::open(path, error);
        QVERIFY2(writer && reader, error.c_str());
        QVERIFY(writer->saveCounters({row("a", "quota.used", 1, 1)}, error));
        QCOMPARE(loadAll(*reader), QStringList({"a quota.used 1 1"}));
        QVERIFY(reader->saveCounters({row("a", "quota.used", 1, 2)}, error));
        QCOMPARE(loadAll(*writer), QStringList({"a quota.used 1 2"}));
    }

    void openRefusesNewerSchemaVersion() {
        const std::string path = file("newer.db");
        rawQuery(path, "PRAGMA user_version = 99");
        QCOMPARE(rawQuery(path, "PRAGMA user_version"), std::string("99"));
        std::string error;
        QVERIFY(!Store::open(path, error));
        QVERIFY2(error.find(path) != std::string::npos, error.c_str());
        QVERIFY2(error.find("99") != std::string::npos, error.c_str());
        QVERIFY2(error.find("newer") != std::string::npos, error.c_str());
        // Refused before anything was written: no WAL switch, no table.
        QCOMPARE(rawQuery(path, "PRAGMA journal_mode"), std::string("delete"));
        QCOMPARE(rawQuery(path, "SELECT count(*) FROM sqlite_schema"), std::string("0"));
    }

    void openRefusesNonDatabaseFile_namesPath() {
        const std::string path = file("notes.txt");
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("these are not the pages you are looking for\n").repeated(50));
        f.close();
        std::string error;
        QVERIFY(!Store::open(path, error));
        QVERIFY2(error.find(path) != std::string::npos, error.c_str());
        QVERIFY2(error.find("file is not a database") != std::string::npos, error.c_str());
    }

    void openCreatesMissingParentFolders() {
        const std::string top = file("a");
        const std::string path = top + "/b/c/tollgate.db";
        std::string error;
        auto store = Store::open(path, error);
        QVERIFY2(store, error.c_str());
        QVERIFY(store->saveCounters({row("a", "rate.second", 0, 1)}, error));
        for (const std::string& folder : {top, top + "/b", top + "/b/c"}) {
            struct stat st {};
            QCOMPARE(::stat(folder.c_str(), &st), 0);
            QVERIFY(S_ISDIR(st.st_mode));
            QCOMPARE(st.st_mode & 0777, mode_t(0700));
        }
    }

    void openFailsWhenAFileBlocksTheFolder() {
        const std::string blocker = file("blocker");
        QFile f(QString::fromStdString(blocker));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const std::string path = blocker + "/sub/tollgate.db";
        std::string error;
        QVERIFY(!Store::open(path, error));
        QVERIFY2(error.find(path) != std::string::npos, error.c_str());
        QVERIFY2(error.find(blocker) != std::string::npos, error.c_str());
    }

    void openFailsInUnwritableFolder() {
        if (::geteuid() == 0) {
            QSKIP("root writes through folder permissions");
        }
        const std::string folder = file("locked_folder");
        QVERIFY(QDir().mkpath(QString::fromStdString(folder)));
        QVERIFY(::chmod(folder.c_str(), 0500) == 0);
        std::string error;
        const std::string path = folder + "/tollgate.db";
        auto store = Store::open(path, error);
        ::chmod(folder.c_str(), 0700);
        QVERIFY(!store);
        QVERIFY2(error.find(path) != std::string::npos, error.c_str());
        QVERIFY2(error.find("unable to open database file") != std::string::npos, error.c_str());

        std::string nested = folder + "/sub/tollgate.db";
        QVERIFY(::chmod(folder.c_str(), 0500) == 0);
        auto nestedStore = Store::open(nested, error);
        ::chmod(folder.c_str(), 0700);
        QVERIFY(!nestedStore);
        QVERIFY2(error.find("cannot create folder") != std::string::npos, error.c_str());
        QVERIFY2(error.find("Permission denied") != std::string::npos, error.c_str());
    }

    void openRefusesEmptyPath() {
        std::string error;
        QVERIFY(!Store::open("", error));
        QVERIFY(!error.empty());
    }

    void defaultPathFollowsXdgThenHome() {
        EnvGuard xdg("XDG_DATA_HOME");
        EnvGuard home("HOME");
        qputenv("XDG_DATA_HOME", "/xdg/data");
        qputenv("HOME", "/home/tester");
        QCOMPARE(Store::defaultPath(), std::string("/xdg/data/tollgate/tollgate.db"));
        qunsetenv("XDG_DATA_HOME");
        QCOMPARE(Store::defaultPath(), std::string("/home/tester/.local/share/tollgate/tollgate.db"));
        qputenv("XDG_DATA_HOME", ""); // empty and relative values are ignored (XDG Base Directory)
        QCOMPARE(Store::defaultPath(), std::string("/home/tester/.local/share/tollgate/tollgate.db"));
        qputenv("XDG_DATA_HOME", "relative/data");
        QCOMPARE(Store::defaultPath(), std::string("/home/tester/.local/share/tollgate/tollgate.db"));
        qunsetenv("HOME");
        QCOMPARE(Store::defaultPath(), std::string());
        qputenv("XDG_DATA_HOME", "/xdg/data");
        QCOMPARE(Store::defaultPath(), std::string("/xdg/data/tollgate/tollgate.db"));
    }

    // A writer killed without closing the Store (no destructor, no checkpoint) loses no committed row.
    void committedRowsSurviveSigkill() {
        const std::string path = file("killed/tollgate.db");
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0) {
            std::string error;
            auto store = Store::open(path, error);
            if (!store) {
                ::_exit(2);
            }
            for (int batch = 0; batch < 20; ++batch) {
                std::vector<CounterRow> rows;
                for (int c = 0; c < 50; ++c) {
                    rows.push_back(row("c" + std::to_string(c), "quota.used", batch, batch * 100 + c));
                    rows.push_back(row("c" + std::to_string(c), "rate.second", 0, batch));
                }
                if (!store->saveCounters(rows, error)) {
                    ::_exit(3);
                }
            }
            store.release(); // never closed
            ::raise(SIGKILL);
            ::_exit(4);
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY2(WIFSIGNALED(status), qPrintable(QString("child exited with %1").arg(WEXITSTATUS(status))));
        QCOMPARE(WTERMSIG(status), SIGKILL);
        // The commits are still only in the write-ahead log: reopening must replay it.
        QVERIFY(QFileInfo::exists(QString::fromStdString(path + "-wal")));

        std::string error;
        auto store = Store::open(path, error);
        QVERIFY2(store, error.c_str());
        const auto rows = store->loadCounters(error);
        QVERIFY2(error.empty(), error.c_str());
        QCOMPARE(rows.size(), size_t(50 * 20 + 50));
        int quota = 0;
        for (const CounterRow& r : rows) {
            if (r.kind == "rate.second") {
                QCOMPARE(r.value, int64_t(19)); // the last batch replaced the earlier ones
            } else {
                const int64_t c = std::stoll(r.consumer.substr(1));
                QCOMPARE(r.value, r.period * 100 + c);
                ++quota;
            }
        }
        QCOMPARE(quota, 50 * 20);
    }
};

QTEST_APPLESS_MAIN(StoreTest)
#include "store_test.moc"
