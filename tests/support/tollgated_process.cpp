#include "tollgated_process.h"

#include "support.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <thread>

namespace tollgate::test {

namespace {

using Clock = std::chrono::steady_clock;

size_t countOf(std::string_view haystack, std::string_view needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string_view::npos;
         at = haystack.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

std::string tail(const std::string& text, size_t max = 3000) {
    return text.size() <= max ? text : "..." + text.substr(text.size() - max);
}

} // namespace

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

TollgatedProcess::TollgatedProcess() : m_dir(std::make_unique<QTemporaryDir>()) {}

TollgatedProcess::~TollgatedProcess() {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        if (!terminate(8s)) {
            m_process->kill();
            m_process->waitForFinished(3000);
        }
    }
}

QString TollgatedProcess::binaryPath() {
    return QProcessEnvironment::systemEnvironment().value("TOLLGATED");
}

std::string TollgatedProcess::dir() const {
    return m_dir->path().toStdString();
}

std::string TollgatedProcess::configPath() const {
    return dir() + "/tollgate.yaml";
}

bool TollgatedProcess::writeConfig(const std::string& yaml) {
    const std::string tmp = dir() + "/.tollgate.yaml.tmp";
    if (!writeFile(tmp, yaml)) {
        return false;
    }
    return std::rename(tmp.c_str(), configPath().c_str()) == 0;
}

bool TollgatedProcess::start(const std::string& yaml, const QStringList& extraArgs, int listeners,
                             std::chrono::milliseconds timeout) {
    m_ports.clear();
    m_adminPort = 0;
    m_exitCode.reset();
    m_crashed = false;
    if (!m_dir->isValid() || !writeConfig(yaml)) {
        return false;
    }
    const QString binary = binaryPath();
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(binary);
    m_process->setArguments(QStringList{"--config", QString::fromStdString(configPath())} + extraArgs);
    m_process->setWorkingDirectory(m_dir->path());
    // Each gateway keeps its counters in its own store (the platform data directory under the temporary
    // folder), so that tests never share counters and restarts of this object find theirs again.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_HOME", m_dir->filePath("data"));
    env.insert(m_env);
    m_process->setProcessEnvironment(env);
    m_process->setStandardOutputFile(m_dir->filePath("stdout.txt"));
    m_process->setStandardErrorFile(m_dir->filePath("stderr.txt"));
    m_process->setStandardInputFile(QProcess::nullDevice());
    // If the test process dies, the gateway must not outlive it.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start();
    if (!m_process->waitForStarted(5000)) {
        return false;
    }
    m_pid = m_process->processId();

    // http:// and https:// listeners, in the order printed (plain ones first).
    const std::string marker = "tollgated: listening on http";
    const std::string host = "://127.0.0.1:";
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        const std::string out = stdoutText();
        std::vector<uint16_t> ports;
        for (size_t at = out.find(marker); at != std::string::npos; at = out.find(marker, at + 1)) {
            const size_t eol = out.find('\n', at);
            if (eol == std::string::npos) {
                break; // line not complete yet
            }
            const size_t colon = out.find(host, at);
            if (colon == std::string::npos || colon > eol) {
                continue;
            }
            ports.push_back(uint16_t(std::stoi(out.substr(colon + host.size(), eol - colon - host.size()))));
        }
        if (int(ports.size()) >= listeners) {
            m_ports = ports;
            // Printed with the listeners and flushed with them: present now or not at all.
            const std::string adminMarker = "tollgated: admin API on http://127.0.0.1:";
            if (const size_t at = out.find(adminMarker); at != std::string::npos) {
                m_adminPort = uint16_t(std::stoi(out.substr(at + adminMarker.size())));
            }
            return true;
        }
        if (m_process->waitForFinished(25)) {
            m_exitCode = m_process->exitStatus() == QProcess::NormalExit
                             ? std::optional<int>(m_process->exitCode())
                             : std::nullopt;
            m_crashed = m_process->exitStatus() == QProcess::CrashExit;
            return false;
        }
        if (Clock::now() > deadline) {
            return false;
        }
    }
}

bool TollgatedProcess::sendSignal(int signal) {
    return m_pid > 0 && isRunning() && ::kill(pid_t(m_pid), signal) == 0;
}

TollgatedProcess::ReloadResult TollgatedProcess::reload(std::chrono::milliseconds timeout) {
    const size_t reloaded = countInStdout("tollgated: config reloaded");
    const size_t failed =
        countInStdout("tollgated: reload failed") + countOf(stderrText(), "tollgated: reload failed");
    if (!sendSignal(SIGHUP)) {
        return ReloadResult::TimedOut;
    }
    return waitForReload(reloaded, failed, timeout);
}

TollgatedProcess::ReloadResult TollgatedProcess::waitForReload(size_t reloadedBefore, size_t failedBefore,
                                                               std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        // The contract puts "reload failed" on stdout; accept it on stderr too, the errors follow there.
        const size_t failed =
            countInStdout("tollgated: reload failed") + countOf(stderrText(), "tollgated: reload failed");
        if (failed > failedBefore) {
            return ReloadResult::Failed;
        }
        if (countInStdout("tollgated: config reloaded") > reloadedBefore) {
            return ReloadResult::Reloaded;
        }
        std::this_thread::sleep_for(20ms);
    }
    return ReloadResult::TimedOut;
}

std::string TollgatedProcess::stdoutText() const {
    return readFile(dir() + "/stdout.txt");
}

std::string TollgatedProcess::stderrText() const {
    return readFile(dir() + "/stderr.txt");
}

size_t TollgatedProcess::countInStdout(std::string_view needle) const {
    return countOf(stdoutText(), needle);
}

bool TollgatedProcess::waitForOutput(std::string_view needle, std::chrono::milliseconds timeout,
                                     bool inStderr, size_t count) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (countOf(inStderr ? stderrText() : stdoutText(), needle) >= count) {
            return true;
        }
        if (Clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(20ms);
    }
}

bool TollgatedProcess::isRunning() {
    if (!m_process || m_process->state() == QProcess::NotRunning) {
        return false;
    }
    if (m_process->waitForFinished(0)) {
        m_exitCode = m_process->exitStatus() == QProcess::NormalExit
                         ? std::optional<int>(m_process->exitCode())
                         : std::nullopt;
        m_crashed = m_process->exitStatus() == QProcess::CrashExit;
        return false;
    }
    return true;
}

std::optional<int> TollgatedProcess::waitForExit(std::chrono::milliseconds timeout) {
    if (!m_process) {
        return std::nullopt;
    }
    if (m_process->state() != QProcess::NotRunning && !m_process->waitForFinished(int(timeout.count()))) {
        return std::nullopt;
    }
    m_crashed = m_process->exitStatus() == QProcess::CrashExit;
    m_exitCode = m_crashed ? std::nullopt : std::optional<int>(m_process->exitCode());
    return m_exitCode;
}

std::optional<int> TollgatedProcess::terminate(std::chrono::milliseconds timeout) {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        ::kill(pid_t(m_pid), SIGTERM);
    }
    return waitForExit(timeout);
}

bool TollgatedProcess::crashed() const {
    return m_crashed;
}

long TollgatedProcess::rssKiB() const {
    const std::string status = readFile("/proc/" + std::to_string(m_pid) + "/status");
    const size_t at = status.find("VmRSS:");
    if (at == std::string::npos) {
        return 0;
    }
    return std::strtol(status.c_str() + at + 6, nullptr, 10);
}

std::string TollgatedProcess::diagnostics() const {
    std::string out = "tollgated (" + binaryPath().toStdString() + ")";
    if (binaryPath().isEmpty()) {
        out += " TOLLGATED is not set";
    }
    if (m_process) {
        if (m_process->state() == QProcess::NotRunning) {
            out += m_crashed ? " crashed (" + QString::number(m_process->exitCode()).toStdString() + ")"
                             : " exited with code " + std::to_string(m_process->exitCode());
            if (m_process->error() == QProcess::FailedToStart) {
                out += " failed to start: " + m_process->errorString().toStdString();
            }
        } else {
            out += " running, pid " + std::to_string(m_pid);
        }
    }
    out += "\n--- stdout ---\n" + tail(stdoutText()) + "\n--- stderr ---\n" + tail(stderrText());
    return out;
}

CheckResult runCheck(const std::string& configPath, std::chrono::milliseconds timeout) {
    CheckResult result;
    QProcess process;
    process.setProgram(TollgatedProcess::binaryPath());
    process.setArguments({"--check", QString::fromStdString(configPath)});
    process.start();
    if (!process.waitForStarted(5000) || !process.waitForFinished(int(timeout.count()))) {
        process.kill();
        process.waitForFinished(2000);
        return result;
    }
    result.out = process.readAllStandardOutput().toStdString();
    result.err = process.readAllStandardError().toStdString();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

CliRun runTollgatedCli(const QStringList& args) {
    QProcess p;
    p.start(TollgatedProcess::binaryPath(), args);
    CliRun r;
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished(1000);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace tollgate::test
