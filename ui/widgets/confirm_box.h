#pragma once
// Asks "really?" before a destructive edit. Window-modal but not blocking (QDialog::open), so the
// event loop, and a test driving the window, keep running; `onYes` runs only on the Yes button.
// `detail` is a quieter line under the question (what else the edit touches).
// UI thread only.

#include <QString>

#include <functional>

class QWidget;

namespace tollgate::ui {

void askToConfirm(QWidget* parent, const QString& title, const QString& text, const QString& yesText,
                  std::function<void()> onYes, const QString& detail = {});

} // namespace tollgate::ui
