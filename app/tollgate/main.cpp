// tollgate: the desktop console. Parses arguments and hands over to tollgate::ui.
#include "console_style.h"
#include "main_window.h"
#include "screenshot_tour.h"
#include "simulator/traffic_simulator.h"
#include "stall_probe.h"
#include "tollgate/version.h"
#include "workspace/demo_workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <cstring>

namespace {

const char* kUsage =
    "usage: tollgate [FILE] [--page NAME] [--simulate RATE [--quit-after SECONDS] [--no-stall-probe]]\n"
    "       tollgate FILE --screenshots DIR\n"
    "       tollgate --version | --help\n\n"
    "  FILE               a gateway config (YAML) to open as the workspace\n"
    "  (no FILE)          open the last workspace, or create the demo workspace in the user's data\n"
    "                     folder (~/.local/share/tollgate/demo.yaml) and start its gateway\n"
    "  --page NAME        open that page: dashboard, apis, services, consumers, plans, permissions,\n"
    "                     why, traffic, reports or settings\n"
    "  --simulate RATE    start the gateway and send RATE requests per second through it from the\n"
    "                     workspace's consumers (Tools: Simulate traffic)\n"
    "  --quit-after SECONDS  quit after SECONDS, printing the simulator's counts and the UI's worst\n"
    "                     stall (how late a 10 ms timer fired) to standard error\n"
    "  --no-stall-probe   simulate without that timer, to measure the console's CPU without the\n"
    "                     probe's own 100 wake-ups a second\n"
    "  --screenshots DIR  start FILE's gateway, save a picture of every page into DIR, then quit\n"
    "                     (for the documentation; needs a display, or QT_QPA_PLATFORM=offscreen)\n"
    "  -v, --version      print the version, the commit and the versions of Qt, OpenSSL, libcurl and\n"
    "                     SQLite in use\n"
    "  -h, --help         print this help\n\n"
    "Qt's own options (-platform NAME, -style NAME, ...) are accepted too.\n";

} // namespace

int main(int argc, char** argv) {
    // Answered before QApplication, which needs a display.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0 || std::strcmp(argv[i], "-v") == 0) {
            std::fputs(tollgate::versionText("tollgate", {{"Qt", qVersion()}}).c_str(), stdout);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::fputs(kUsage, stdout);
            return 0;
        }
    }
    QGuiApplication::setHighDpiScaleFactorRoundingPolicy(Qt::HighDpiScaleFactorRoundingPolicy::PassThrough);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tollgate"));
    QApplication::setApplicationDisplayName(QStringLiteral("Tollgate"));
    QApplication::setApplicationVersion(QStringLiteral(TOLLGATE_VERSION));
    // Wayland compositors find the window's icon and menu entry through the desktop file's name.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.tollgate.Tollgate"));

    QCommandLineParser args;
    args.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("a gateway config (YAML) to open"),
                               QStringLiteral("[FILE]"));
    QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                   QStringLiteral("save a picture of every page into DIR, then quit"),
                                   QStringLiteral("DIR"));
    screenshots.setFlags(QCommandLineOption::HiddenFromHelp);
    args.addOption(screenshots);
    QCommandLineOption page(QStringLiteral("page"), QStringLiteral("open that page"), QStringLiteral("NAME"));
    QCommandLineOption simulate(QStringLiteral("simulate"),
                                QStringLiteral("simulate RATE requests per second"), QStringLiteral("RATE"));
    QCommandLineOption quitAfter(QStringLiteral("quit-after"), QStringLiteral("quit after SECONDS"),
                                 QStringLiteral("SECONDS"));
    args.addOption(page);
    args.addOption(simulate);
    args.addOption(quitAfter);
    QCommandLineOption noProbe(QStringLiteral("no-stall-probe"),
                               QStringLiteral("simulate without the stall probe"));
    args.addOption(noProbe);
    args.process(app);
    bool rateOk = true;
    const double rate = args.isSet(simulate) ? args.value(simulate).toDouble(&rateOk) : 0;
    if (!rateOk || (args.isSet(simulate) && rate <= 0)) {
        std::fprintf(stderr, "tollgate: --simulate needs a rate above 0 (requests per second), not \"%s\"\n",
                     qPrintable(args.value(simulate)));
        return 64;
    }
    bool secondsOk = true;
    const int seconds = args.isSet(quitAfter) ? args.value(quitAfter).toInt(&secondsOk) : 0;
    if (!secondsOk || (args.isSet(quitAfter) && seconds <= 0)) {
        std::fprintf(stderr, "tollgate: --quit-after needs a number of seconds above 0\n");
        return 64;
    }

    tollgate::ui::applyConsoleStyle(app);
    tollgate::ui::MainWindow window;
    if (args.isSet(page)) {
        const auto named = window.pageNamed(args.value(page));
        if (!named) {
            std::fprintf(stderr,
                         "tollgate: no page called \"%s\" (dashboard, apis, services, consumers, plans, "
                         "permissions, why, traffic, reports, settings)\n",
                         qPrintable(args.value(page)));
            return 64;
        }
        window.showPage(*named);
    }
    QString path;
    bool start = false;
    if (!args.positionalArguments().isEmpty()) {
        path = args.positionalArguments().first();
        start = args.isSet(screenshots);
    } else {
        path = tollgate::ui::lastWorkspacePath();
        if (path.isEmpty()) {
            QString error;
            path = tollgate::ui::ensureDemoWorkspace(&error);
            if (path.isEmpty()) {
                std::fprintf(stderr, "tollgate: cannot create the demo workspace: %s\n", qPrintable(error));
            }
        }
        start = path == tollgate::ui::demoWorkspacePath();
    }
    if (!path.isEmpty()) {
        window.openWorkspace(path, start);
    }
    window.show();

    window.setStallProbeWanted(!args.isSet(noProbe));
    if (rate > 0) {
        window.startSimulation(rate);
    }
    if (seconds > 0) {
        QTimer::singleShot(seconds * 1000, &window, [&window] {
            const auto* sim = window.simulator();
            const auto counts = sim ? sim->counts() : tollgate::ui::TrafficSimulator::Counts{};
            std::fprintf(
                stderr,
                "tollgate: simulated %llu requests (%llu 2xx/3xx, %llu 4xx, %llu 5xx, %llu failed); UI "
                "worst stall %lld ms over %lld ticks\n",
                (unsigned long long)counts.sent, (unsigned long long)counts.success,
                (unsigned long long)counts.clientErrors, (unsigned long long)counts.serverErrors,
                (unsigned long long)counts.failed, (long long)window.stallProbe()->worstMillis(),
                (long long)window.stallProbe()->ticks());
            QApplication::quit();
        });
    }
    if (args.isSet(screenshots)) {
        tollgate::ui::runScreenshotTour(&window, args.value(screenshots), [](int written) {
            std::fprintf(stderr, "tollgate: %d screenshots written\n", written);
            QApplication::exit(written > 0 ? 0 : 1);
        });
    }
    return app.exec();
}
