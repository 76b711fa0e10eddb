#pragma once
// Why the detail pane's two answers may differ. Explain replays today's static rules (routes, access,
// lifecycle); the request was answered at the time, by those rules and also by its counters (rate
// limits, quotas) and its upstream. A 429 explained as "200 allowed" reads as a contradiction unless
// the pane says which part answered.

#include <QString>

namespace tollgate::ui {

// A sentence (plain text) for a request answered `status` with `reason` when the rules now give
// `ruleStatus`; empty when the two agree.
QString answerNote(int status, const QString& reason, int ruleStatus);

} // namespace tollgate::ui
