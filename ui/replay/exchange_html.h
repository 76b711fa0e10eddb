#pragma once
// Heads of an exchange as compact HTML for QTextBrowser (the Traffic detail pane, Replay): a first
// line in monospace and a two-column table of headers, redacted values greyed.

#include "replay/replay_request.h"

#include <QString>

namespace tollgate::ui {

QString headersHtml(const QString& firstLine, const HeaderPairs& headers, bool cut = false);
HeaderPairs headerPairs(const std::vector<HeaderLine>& lines);
// Request and response heads, one above the other, or a note when the engine did not keep them.
QString exchangeHtml(const CapturedExchange* x);

} // namespace tollgate::ui
