#pragma once
// The console's look: Fusion with a light palette and a quiet sidebar, the same on every desktop
// (and under the offscreen platform the screenshots use).

class QApplication;

namespace tollgate::ui {

void applyConsoleStyle(QApplication& app);

} // namespace tollgate::ui
