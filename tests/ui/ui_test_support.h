#pragma once
// Helpers for the console's tests: the demo config, and gateway configs in a temporary folder that
// bind port 0 (or a given port), answer with the builtin echo and keep their store inside the folder.

#include "main_window.h"
#include "tollgate/config.h"

#include <QDir>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace tollgate::test {

inline QString sourceFile(const QString& relative) {
    const QByteArray root = qgetenv("TOLLGATE_SOURCE_DIR");
    return QDir(root.isEmpty() ? QStringLiteral(".") : QString::fromLocal8Bit(root)).filePath(relative);
}

inline Config demoConfig() {
    LoadResult r = loadConfigFile(sourceFile(QStringLiteral("resources/examples/demo.yaml")).toStdString());
    if (!r.ok()) {
        qFatal("demo.yaml: %s", r.errors.empty() ? "?" : r.errors.front().format().c_str());
    }
    return std::move(*r.config);
}

// A copy of the demo that listens on 127.0.0.1:`port` and keeps its store in `dir`.
inline QString writeDemoWorkspace(const QTemporaryDir& dir, quint16 port) {
    QFile demo(sourceFile(QStringLiteral("resources/examples/demo.yaml")));
    if (!demo.open(QIODevice::ReadOnly)) {
        qFatal("cannot read demo.yaml");
    }
    QString text = QString::fromUtf8(demo.readAll());
    text.replace(QStringLiteral("\"127.0.0.1:8080\""), QStringLiteral("\"127.0.0.1:%1\"").arg(port));
    text.replace(QStringLiteral("gateway:\n"), QStringLiteral("gateway:\n  store: test.db\n  workers: 1\n"));
    text.replace(QStringLiteral("  workers: auto\n"), QString());
    const QString path = dir.filePath(QStringLiteral("workspace.yaml"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(text.toUtf8()) < 0) {
        qFatal("cannot write %s", qPrintable(path));
    }
    return path;
}

// `w` on a copy of the demo in `dir` (any free port), at the screenshots' 1280x800, shown; the
// gateway started when `start`. False when the workspace does not open.
inline bool openDemoWindow(ui::MainWindow& w, const QTemporaryDir& dir, bool start = false) {
    if (!w.openWorkspace(writeDemoWorkspace(dir, 0), start)) {
        return false;
    }
    w.resize(1280, 800);
    w.show();
    return true;
}

inline std::shared_ptr<const Config> loadShared(const QString& path) {
    LoadResult r = loadConfigFile(path.toStdString());
    if (!r.ok()) {
        qFatal("%s: %s", qPrintable(path), r.errors.empty() ? "?" : r.errors.front().format().c_str());
    }
    return std::make_shared<const Config>(std::move(*r.config));
}

} // namespace tollgate::test
