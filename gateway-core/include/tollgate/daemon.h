#pragma once
// The headless gateway's run loop, shared by tollgated and tests: start the engine on a file,
// reload on SIGHUP or when the file changes, drain on SIGTERM/SIGINT.

#include <iosfwd>
#include <string>

namespace tollgate {

struct DaemonOptions {
    std::string configPath;
    int workers = 0;       // > 0 overrides gateway.workers
    bool watchFile = true; // reload when the file changes (polled about once a second)
};

// Blocks until SIGTERM or SIGINT, then drains. Must be called from the main thread before any
// other thread exists (it blocks the signals it handles for every thread it starts).
// Returns the process exit code: 0 after a clean stop, 1 when the engine cannot start,
// 2 when the config is invalid.
int runDaemon(const DaemonOptions& options, std::ostream& out, std::ostream& err);

// Validates a config file: prints "ok" (and any warnings) and returns 0, or prints every
// problem as FILE:LINE:COL: key: message and returns 2.
int checkConfig(const std::string& path, std::ostream& out, std::ostream& err);

} // namespace tollgate
