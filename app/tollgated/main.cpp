// tollgated: the headless gateway. Parses arguments and hands over to the core.
#include "tollgate/daemon.h"

#include <openssl/opensslv.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

namespace {

void usage(std::ostream& os) {
    os << "usage: tollgated --config FILE [--workers N] [--no-watch]\n"
          "       tollgated --check FILE\n"
          "       tollgated --version | --help\n\n"
          "  --config FILE   run the gateway on FILE (YAML); SIGHUP or a change to the file reloads it,\n"
          "                  SIGTERM or SIGINT drains in-flight requests and exits\n"
          "  --check FILE    validate FILE: prints ok, or every problem as FILE:LINE:COL: key: message (exit "
          "2)\n"
          "  --workers N     event-loop threads, overriding gateway.workers\n"
          "  --no-watch      do not reload when the file changes (SIGHUP still does)\n"
          "  --version       print the version\n";
}

} // namespace

int main(int argc, char** argv) {
    tollgate::DaemonOptions options;
    std::string check;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&](const char* name) -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "tollgated: " << name << " needs a value\n";
                std::exit(64);
            }
            return argv[++i];
        };
        if (a == "--config" || a == "-c") {
            options.configPath = value("--config");
        } else if (a == "--check") {
            check = value("--check");
        } else if (a == "--workers") {
            options.workers = std::atoi(value("--workers").c_str());
        } else if (a == "--no-watch") {
            options.watchFile = false;
        } else if (a == "--version") {
            std::cout << "tollgated " << TOLLGATE_VERSION << " (" << OPENSSL_VERSION_TEXT << ")\n";
            return 0;
        } else if (a == "--help" || a == "-h") {
            usage(std::cout);
            return 0;
        } else {
            std::cerr << "tollgated: unknown argument " << a << "\n";
            usage(std::cerr);
            return 64;
        }
    }
    if (!check.empty()) {
        return tollgate::checkConfig(check, std::cout, std::cerr);
    }
    if (options.configPath.empty()) {
        usage(std::cerr);
        return 64;
    }
    return tollgate::runDaemon(options, std::cout, std::cerr);
}
