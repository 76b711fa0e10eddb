#pragma once
// What Apply would change, as lines: both configs go through the same YAML emitter first, so only
// real changes show, not formatting. The line diff itself is dtl's (Wu's O(NP) algorithm).

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace tollgate::ui {

struct DiffLine {
    enum class Kind { Same, Added, Removed, Gap } kind = Kind::Same; // Gap: unchanged lines left out
    QString text;
};

// Lines of `after` against `before` with `context` unchanged lines around each change; empty when
// they are the same config.
std::vector<DiffLine> configDiff(const std::string& before, const std::string& after, int context = 3);

// "+3 −1" for a summary line.
QString diffSummary(const std::vector<DiffLine>& lines);

} // namespace tollgate::ui
