#pragma once
// The workspace `tollgate` opens when started without a file: the last one opened, or else the demo
// (builtin echo service, two APIs, three plans, four consumers), copied from the resources into the
// user's data directory (QStandardPaths::AppDataLocation) the first time.

#include <QString>

namespace tollgate::ui {

// Where the demo lives: AppDataLocation/demo.yaml.
QString demoWorkspacePath();

// Copies the demo there unless it exists; returns its path, or "" with `error` set.
QString ensureDemoWorkspace(QString* error = nullptr);

// The last workspace opened, remembered in AppDataLocation/console.ini ("" when none or gone).
QString lastWorkspacePath();
void rememberWorkspace(const QString& path);

} // namespace tollgate::ui
