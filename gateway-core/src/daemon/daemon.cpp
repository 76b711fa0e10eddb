#include "tollgate/daemon.h"

#include "admin/admin_server.h"
#include "tollgate/credentials.h"
#include "tollgate/engine.h"

#include <sys/stat.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <cerrno>
#include <csignal>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

namespace tollgate {
namespace {

struct FileStamp {
    timespec mtime{};
    off_t size = -1;
    ino_t inode = 0;
    bool operator==(const FileStamp& o) const {
        return mtime.tv_sec == o.mtime.tv_sec && mtime.tv_nsec == o.mtime.tv_nsec && size == o.size &&
               inode == o.inode;
    }
};

FileStamp stampOf(const std::string& path) {
    FileStamp s;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        s.mtime = st.st_mtim;
        s.size = st.st_size;
        s.inode = st.st_ino;
    }
    return s;
}

void printErrors(const std::vector<ConfigError>& errors, std::ostream& os) {
    for (const ConfigError& e : errors) {
        os << e.format() << '\n';
    }
    os.flush();
}

// Loading a large config builds a YAML tree of many small nodes; once it is freed, hand the pages back to
// the system instead of keeping the peak resident for the life of the process.
void releaseFreedMemory() {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

// Loads on a short-lived thread: glibc gives that thread its own malloc arena, so the YAML tree and the
// loader's temporaries never interleave with what the engine keeps (it copies the config into its
// snapshot on this thread). Once the result is freed, the whole arena is returned by malloc_trim
// instead of leaving the long-lived data scattered over half-empty pages (with 100,000 consumers the
// difference is about 70 MiB resident).
LoadResult loadApart(const std::string& path) {
    LoadResult r;
    std::thread([&] { r = loadConfigFile(path); }).join();
    return r;
}

// True when the file holds the config that is already running, as after PUT /config wrote it: a
// reload would compile the same snapshot again for nothing.
bool fileIsRunningConfig(const Engine& engine, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const auto running = engine.config();
    return running && apiKeyHash(text.str()) == running->digest;
}

std::string adminListenText(const Config& c) {
    return c.gateway.admin.listen ? c.gateway.admin.listen->text : std::string();
}

void reload(Engine& engine, const std::string& path, std::ostream& out, std::ostream& err) {
    LoadResult r = loadApart(path);
    if (!r.ok()) {
        err << "tollgated: reload failed, the running config stays\n";
        printErrors(r.errors, err);
        return;
    }
    printErrors(r.errors, err); // warnings
    std::string message;
    if (!engine.apply(*r.config, message)) {
        err << "tollgated: reload failed: " << message << std::endl;
        return;
    }
    if (!message.empty()) {
        err << "tollgated: " << message << std::endl;
    }
    if (const auto running = engine.config();
        running && (adminListenText(*running) != adminListenText(*r.config) ||
                    running->gateway.admin.tokenEnv != r.config->gateway.admin.tokenEnv)) {
        err << "tollgated: gateway.admin changed: the admin API keeps its listener and token until a restart"
            << std::endl;
    }
    out << "tollgated: config reloaded" << std::endl;
    r = LoadResult{};
    releaseFreedMemory();
}

// A store or access log that stops accepting writes never stops traffic, so it must at least be
// said: once when it starts failing (and when the message changes), once when it recovers.
struct WriteProblems {
    std::string store;
    std::string accessLog;
};

void printWriteProblems(const EngineStatus& s, WriteProblems& last, std::ostream& err) {
    const auto report = [&err](const char* what, const std::string& now, std::string& before) {
        if (now == before) {
            return;
        }
        if (now.empty()) {
            err << "tollgated: " << what << ": writing again" << std::endl;
        } else {
            err << "tollgated: " << what << ": " << now << " (traffic goes on; retrying)" << std::endl;
        }
        before = now;
    };
    report("store", s.storeError, last.store);
    report("access log", s.accessLogError, last.accessLog);
}

// At most one line per poll however many requests failed: "tollgated: upstream tls: orders
// https://api.internal: certificate verify failed: self-signed certificate (12 failures)".
void printTlsProblems(const EngineStatus& s, uint64_t& reported, std::ostream& err) {
    if (s.upstreamTlsFailures == reported) {
        return;
    }
    const uint64_t count = s.upstreamTlsFailures - reported;
    err << "tollgated: upstream tls: " << s.upstreamTlsError << " (" << count
        << (count == 1 ? " failure)" : " failures)") << std::endl;
    reported = s.upstreamTlsFailures;
}

// "tollgated: health: orders-backend http://127.0.0.1:9001 down (3 failures: connection refused)".
void printHealthEvents(const Engine& engine, uint64_t& cursor, std::vector<HealthEvent>& events,
                       std::ostream& out) {
    events.clear();
    if (engine.healthEventsSince(cursor, events) == 0) {
        return;
    }
    for (const HealthEvent& e : events) {
        out << "tollgated: health: " << e.service << ' ' << e.target;
        if (e.healthy) {
            out << " up (" << e.count << (e.count == 1 ? " success" : " successes") << ")\n";
        } else {
            out << " down (" << e.count << (e.count == 1 ? " failure" : " failures") << ": " << e.error
                << ")\n";
        }
    }
    out.flush();
}

} // namespace

int checkConfig(const std::string& path, std::ostream& out, std::ostream& err) {
    LoadResult r = loadConfigFile(path);
    printErrors(r.errors, r.ok() ? err : out);
    if (!r.ok()) {
        return 2;
    }
    out << "ok" << std::endl;
    return 0;
}

int runDaemon(const DaemonOptions& options, std::ostream& out, std::ostream& err) {
    std::signal(SIGPIPE, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGUSR1);
    // Blocked here, inherited by every worker thread: only the loop below ever sees them.
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    LoadResult r = loadApart(options.configPath);
    if (!r.ok()) {
        printErrors(r.errors, err);
        return 2;
    }
    printErrors(r.errors, err);
    // The token is checked before anything listens: a node must not come up half-managed.
    std::optional<admin::AdminToken> adminToken;
    std::string message;
    if (r.config->gateway.admin.listen) {
        adminToken = admin::AdminToken::fromEnvironment(r.config->gateway.admin.tokenEnv, message);
        if (!adminToken) {
            err << "tollgated: gateway.admin: " << message << std::endl;
            return 1;
        }
    }
    Engine engine;
    if (!engine.start(*r.config, message, options.workers)) {
        err << "tollgated: " << message << std::endl;
        return 1;
    }
    std::unique_ptr<admin::AdminServer> adminServer;
    if (adminToken) {
        const Config& c = *r.config;
        admin::AdminServerOptions adminOptions;
        adminOptions.listen = *c.gateway.admin.listen;
        adminOptions.headTimeout = c.gateway.limits.headerTimeout;
        adminOptions.bodyTimeout = c.gateway.limits.bodyTimeout;
        adminOptions.idleTimeout = c.gateway.limits.idleTimeout;
        adminServer = std::make_unique<admin::AdminServer>(engine, *adminToken, adminOptions);
        if (!adminServer->start(message)) {
            err << "tollgated: " << message << std::endl;
            engine.stop(std::chrono::milliseconds(0));
            return 1;
        }
    }
    r = LoadResult{}; // the engine keeps its own copy
    releaseFreedMemory();
    for (const BoundListener& l : engine.listeners()) {
        out << "tollgated: listening on " << l.url() << '\n';
    }
    if (adminServer) {
        out << "tollgated: admin API on " << adminServer->url() << '\n';
    }
    out.flush();

    FileStamp stamp = stampOf(options.configPath);
    const timespec poll{0, 500'000'000};
    uint64_t healthCursor = 0;
    std::vector<HealthEvent> healthEvents;
    WriteProblems writeProblems;
    uint64_t tlsFailuresReported = 0;
    for (;;) {
        printHealthEvents(engine, healthCursor, healthEvents, out);
        const EngineStatus status = engine.status();
        printWriteProblems(status, writeProblems, err);
        printTlsProblems(status, tlsFailuresReported, err);
        siginfo_t info;
        const int sig = sigtimedwait(&set, &info, &poll);
        if (sig == SIGTERM || sig == SIGINT) {
            break;
        }
        if (sig == SIGUSR1) {
            engine.reopenAccessLog(); // logrotate moved the file
            continue;
        }
        if (sig == SIGHUP) {
            reload(engine, options.configPath, out, err);
            stamp = stampOf(options.configPath);
            continue;
        }
        if (sig < 0 && errno != EAGAIN && errno != EINTR) {
            err << "tollgated: sigtimedwait failed" << std::endl;
            break;
        }
        if (options.watchFile) {
            const FileStamp now = stampOf(options.configPath);
            if (!(now == stamp) && now.size >= 0) {
                stamp = now;
                if (!fileIsRunningConfig(engine, options.configPath)) {
                    reload(engine, options.configPath, out, err);
                }
            }
        }
    }
    if (adminServer) {
        adminServer->stop(); // no management call may race the drain
    }
    out << "tollgated: draining" << std::endl;
    const auto grace = engine.config()->gateway.drainTimeout;
    const size_t cut = engine.stop(grace);
    if (cut > 0) {
        err << "tollgated: " << cut << " request(s) cut short after the drain timeout" << std::endl;
    }
    out << "tollgated: stopped" << std::endl;
    return 0;
}

} // namespace tollgate
