#pragma once
// Runs the real `tollgated` binary (path in env TOLLGATED) for integration tests: writes its YAML into a
// QTemporaryDir, starts it with QProcess, waits for every "listening on" line and exposes the ports.
// stdout and stderr go to files in the temporary folder (so a chatty gateway never blocks on a full
// pipe while a test is busy); the accessors re-read them. Stops the process (SIGTERM, then SIGKILL) at
// destruction. Thread safety: use from the thread that created it (the test's main thread).

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::test {

using namespace std::chrono_literals;

// One run of the binary as a command (`key new`, `explain`, `report`...): exit code (-1 if it crashed
// or ran longer than 10 s) and what it printed.
struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};
CliRun runTollgatedCli(const QStringList& args);

class TollgatedProcess {
public:
    TollgatedProcess();
    ~TollgatedProcess();
    TollgatedProcess(const TollgatedProcess&) = delete;
    TollgatedProcess& operator=(const TollgatedProcess&) = delete;

    // The binary under test: env TOLLGATED (set by ctest).
    static QString binaryPath();

    // Writes `yaml` as tollgate.yaml, starts `tollgated --config FILE extraArgs...` and waits for
    // `listeners` "listening on" lines. False (see diagnostics()) if it exits or times out first.
    bool start(const std::string& yaml, const QStringList& extraArgs = {}, int listeners = 1,
               std::chrono::milliseconds timeout = 10s);

    // An environment variable for the next start() (on top of the test's own environment).
    void setEnv(const QString& name, const QString& value) { m_env.insert(name, value); }

    uint16_t port(size_t index = 0) const { return index < m_ports.size() ? m_ports[index] : 0; }
    // The admin API's port from the "admin API on" line, 0 when the config has no gateway.admin.
    uint16_t adminPort() const { return m_adminPort; }
    const std::vector<uint16_t>& ports() const { return m_ports; }
    qint64 pid() const { return m_pid; }
    std::string configPath() const;
    std::string dir() const;
    // The store the gateway uses when its config names none (XDG_DATA_HOME points into dir()).
    std::string defaultStorePath() const { return dir() + "/data/tollgate/tollgate.db"; }

    // Replaces the config file atomically (write to a temporary file, then rename).
    bool writeConfig(const std::string& yaml);
    bool sendSignal(int signal);

    enum class ReloadResult { Reloaded, Failed, TimedOut };
    // Sends SIGHUP and waits for a new "config reloaded" or "reload failed" line on stdout.
    ReloadResult reload(std::chrono::milliseconds timeout = 10s);
    // Waits for a new reload line without sending a signal (file watcher).
    ReloadResult waitForReload(size_t reloadedBefore, size_t failedBefore, std::chrono::milliseconds timeout);

    std::string stdoutText() const;
    std::string stderrText() const;
    size_t countInStdout(std::string_view needle) const;
    // Waits until stdout (or stderr) contains `needle` at least `count` times.
    bool waitForOutput(std::string_view needle, std::chrono::milliseconds timeout, bool inStderr = false,
                       size_t count = 1);

    bool isRunning();
    // Waits for the process to exit; the exit code, or nullopt if it is still running or crashed.
    std::optional<int> waitForExit(std::chrono::milliseconds timeout);
    // SIGTERM and waitForExit.
    std::optional<int> terminate(std::chrono::milliseconds timeout = 15s);
    // True if it exited through a signal (crash) rather than exit().
    bool crashed() const;

    // Resident set size from /proc/<pid>/status, in KiB (0 if unavailable).
    long rssKiB() const;

    // "exit code, stdout and stderr tails" for failure messages.
    std::string diagnostics() const;

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    std::vector<uint16_t> m_ports;
    uint16_t m_adminPort = 0;
    QProcessEnvironment m_env;
    qint64 m_pid = 0;
    std::optional<int> m_exitCode;
    bool m_crashed = false;
};

struct CheckResult {
    int exitCode = -1; // -1: did not run or did not finish
    std::string out;
    std::string err;
};
// Runs `tollgated --check FILE` and collects its output.
CheckResult runCheck(const std::string& configPath, std::chrono::milliseconds timeout = 10s);

// Reads a whole file ("" if missing).
std::string readFile(const std::string& path);

} // namespace tollgate::test
