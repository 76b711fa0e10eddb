#include "workspace/demo_workspace.h"

#include "resources_init.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace tollgate::ui {
namespace {

QString dataDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QSettings consoleSettings() {
    return QSettings(QDir(dataDir()).filePath(QStringLiteral("console.ini")), QSettings::IniFormat);
}

} // namespace

QString demoWorkspacePath() {
    return QDir(dataDir()).filePath(QStringLiteral("demo.yaml"));
}

QString ensureDemoWorkspace(QString* error) {
    const QString path = demoWorkspacePath();
    if (QFileInfo::exists(path)) {
        return path;
    }
    initUiResources();
    auto fail = [&](const QString& why) {
        if (error) {
            *error = why;
        }
        return QString();
    };
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return fail(QObject::tr("cannot create the folder %1").arg(QFileInfo(path).absolutePath()));
    }
    QFile source(QStringLiteral(":/workspace/demo.yaml"));
    if (!source.open(QIODevice::ReadOnly)) {
        return fail(QObject::tr("the demo workspace is missing from the resources"));
    }
    QFile target(path);
    if (!target.open(QIODevice::WriteOnly) || target.write(source.readAll()) < 0 || !target.flush()) {
        return fail(QObject::tr("cannot write %1: %2").arg(path, target.errorString()));
    }
    // QFile::copy would keep the resource's read-only mode; the user will edit this file.
    return path;
}

QString lastWorkspacePath() {
    const QString path = consoleSettings().value(QStringLiteral("workspace/last")).toString();
    return !path.isEmpty() && QFileInfo::exists(path) ? path : QString();
}

void rememberWorkspace(const QString& path) {
    QDir().mkpath(dataDir());
    QSettings s = consoleSettings();
    s.setValue(QStringLiteral("workspace/last"), QFileInfo(path).absoluteFilePath());
}

} // namespace tollgate::ui
