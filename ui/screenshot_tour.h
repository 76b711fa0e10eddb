#pragma once
// Regenerates docs/screenshots: waits for the gateway, sends it a few requests so the counters move,
// then shows each page (asking the path tester and "why?" a question where there is one) and saves
// what the window looks like. Used by `tollgate --screenshots DIR` (tools/screenshots.sh).

#include <QString>

#include <functional>

namespace tollgate::ui {

class MainWindow;

// Asynchronous: returns at once; calls `done` with the number of files written (-1 on failure).
void runScreenshotTour(MainWindow* window, const QString& dir, std::function<void(int)> done);

} // namespace tollgate::ui
