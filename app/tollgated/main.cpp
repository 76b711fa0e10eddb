// tollgated: the headless gateway. Parses arguments and hands over to the core.
#include "tollgate/config.h"
#include "tollgate/credentials.h"
#include "tollgate/daemon.h"
#include "tollgate/explain.h"
#include "tollgate/report.h"
#include "tollgate/version.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

void usage(std::ostream& os) {
    os << "usage: tollgated --config FILE [--workers N] [--no-watch]\n"
          "       tollgated --check FILE\n"
          "       tollgated key new --consumer NAME [--id ID]\n"
          "       tollgated explain --config FILE [--consumer NAME] [--host HOST] [--ip ADDR] METHOD PATH\n"
          "       tollgated report --config FILE --period YYYY-MM --format csv|json [--store PATH]\n"
          "       tollgated --version | --help\n\n"
          "  -c, --config FILE  run the gateway on FILE (YAML); SIGHUP or a change to the file reloads it,\n"
          "                     SIGUSR1 reopens the access log, SIGTERM or SIGINT drains in-flight requests\n"
          "                     and exits\n"
          "  --check FILE       validate FILE: prints ok, or every problem as FILE:LINE:COL: key: message\n"
          "                     (exit 2)\n"
          "  --workers N        event-loop threads, overriding gateway.workers\n"
          "  --no-watch         do not reload when the file changes (SIGHUP still does)\n"
          "  --version          print the version, the commit and the versions of OpenSSL, libcurl, SQLite\n"
          "  -h, --help         print this help\n\n"
          "  key new            print a fresh API key (shown once) and the credential line to paste\n"
          "    --consumer NAME  the consumer the key is for (required)\n"
          "    --id ID          the credential's id (default NAME-key)\n"
          "  explain            print the decision for a request and the chain of rules behind it\n"
          "    --config FILE    the config to ask (required)\n"
          "    --consumer NAME  ask as this consumer (default: an anonymous caller)\n"
          "    --host HOST      the request's Host\n"
          "    --ip ADDR        the client address (default 127.0.0.1)\n"
          "    METHOD PATH      the request, e.g. GET /orders/42\n"
          "  report             print a month's billing, one row per consumer (docs/consumption.md)\n"
          "    --config FILE    the config whose consumers and plans are billed (required)\n"
          "    --period YYYY-MM the UTC calendar month (required)\n"
          "    --format F       csv or json (required)\n"
          "    --store PATH     the SQLite store (default: gateway.store of the config)\n\n"
          "Exit codes: 0 ok, 1 runtime failure, 2 invalid config (or an unusable explain query), 64 usage\n"
          "error.\n";
}

int keyCommand(int argc, char** argv) {
    std::string consumer, id;
    for (int i = 3; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--consumer" || a == "--id") && i + 1 < argc) {
            (a == "--consumer" ? consumer : id) = argv[++i];
        } else {
            std::cerr << "tollgated key: unknown argument " << a << "\n";
            return 64;
        }
    }
    if (argc < 3 || std::string(argv[2]) != "new" || consumer.empty()) {
        std::cerr << "usage: tollgated key new --consumer NAME [--id ID]\n";
        return 64;
    }
    const tollgate::NewApiKey k = tollgate::newApiKey();
    std::cout << "API key for " << consumer << " (shown once, it is not stored anywhere):\n\n  " << k.key
              << "\n\nAdd this credential under consumers[name: " << consumer << "].credentials:\n\n"
              << "  - { type: key, id: " << (id.empty() ? consumer + "-key" : id) << ", hash: \"" << k.hash
              << "\" }\n\nClients send it as the header   apikey: " << k.key << "\n";
    return 0;
}

int explainCommand(int argc, char** argv) {
    std::string configPath;
    tollgate::ExplainQuery q;
    std::vector<std::string> positional;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
        if (a == "--config") {
            configPath = value();
        } else if (a == "--consumer") {
            q.consumer = value();
        } else if (a == "--host") {
            q.host = value();
        } else if (a == "--ip") {
            q.clientIp = value();
        } else {
            positional.push_back(a);
        }
    }
    if (configPath.empty() || positional.size() != 2) {
        std::cerr << "usage: tollgated explain --config FILE [--consumer NAME] [--host HOST] [--ip ADDR] "
                     "METHOD PATH\n";
        return 64;
    }
    q.method = positional[0];
    q.path = positional[1];
    tollgate::LoadResult r = tollgate::loadConfigFile(configPath);
    if (!r.ok()) {
        for (const auto& e : r.errors) {
            std::cerr << e.format() << "\n";
        }
        return 2;
    }
    const tollgate::ExplainResult result = tollgate::explain(*r.config, q);
    std::cout << result.summary << "\n";
    for (const std::string& line : result.chain) {
        std::cout << "  " << line << "\n";
    }
    return result.status == 0 ? 2 : 0;
}

int reportCommand(int argc, char** argv) {
    std::string configPath, period, format, storePath;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if ((a == "--config" || a == "--period" || a == "--format" || a == "--store") && i + 1 < argc) {
            (a == "--config"   ? configPath
             : a == "--period" ? period
             : a == "--format" ? format
                               : storePath) = argv[++i];
        } else {
            std::cerr << "tollgated report: unknown argument " << a << "\n";
            return 64;
        }
    }
    if (configPath.empty() || period.empty() || (format != "csv" && format != "json")) {
        std::cerr
            << "usage: tollgated report --config FILE --period YYYY-MM --format csv|json [--store PATH]\n";
        return 64;
    }
    tollgate::BillingPeriod month;
    std::string error;
    if (!tollgate::parseBillingPeriod(period, month, error)) {
        std::cerr << "tollgated report: " << error << "\n";
        return 2;
    }
    tollgate::LoadResult r = tollgate::loadConfigFile(configPath);
    if (!r.ok()) {
        for (const auto& e : r.errors) {
            std::cerr << e.format() << "\n";
        }
        return 2;
    }
    if (storePath.empty()) {
        storePath = r.config->gateway.store.empty() ? tollgate::defaultStorePath() : r.config->gateway.store;
    }
    std::vector<tollgate::BillingRow> rows;
    if (!tollgate::billingReport(*r.config, storePath, month, rows, error)) {
        std::cerr << "tollgated report: " << error << "\n";
        return 1;
    }
    std::cout << (format == "csv" ? tollgate::billingCsv(rows) : tollgate::billingJson(month, rows));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "key") {
        return keyCommand(argc, argv);
    }
    if (argc > 1 && std::string(argv[1]) == "explain") {
        return explainCommand(argc, argv);
    }
    if (argc > 1 && std::string(argv[1]) == "report") {
        return reportCommand(argc, argv);
    }
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
            std::cout << tollgate::versionText("tollgated");
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
