// tollgate: the desktop console. Parses arguments and hands over to tollgate::ui.
#include "console_style.h"
#include "main_window.h"
#include "screenshot_tour.h"
#include "tollgate/version.h"
#include "workspace/demo_workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

#include <cstdio>
#include <cstring>

namespace {

const char* kUsage =
    "usage: tollgate [FILE]\n"
    "       tollgate FILE --screenshots DIR\n"
    "       tollgate --version | --help\n\n"
    "  FILE               a gateway config (YAML) to open as the workspace\n"
    "  (no FILE)          open the last workspace, or create the demo workspace in the user's data\n"
    "                     folder (~/.local/share/tollgate/demo.yaml) and start its gateway\n"
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
    args.process(app);

    tollgate::ui::applyConsoleStyle(app);
    tollgate::ui::MainWindow window;
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

    if (args.isSet(screenshots)) {
        tollgate::ui::runScreenshotTour(&window, args.value(screenshots), [](int written) {
            std::fprintf(stderr, "tollgate: %d screenshots written\n", written);
            QApplication::exit(written > 0 ? 0 : 1);
        });
    }
    return app.exec();
}
