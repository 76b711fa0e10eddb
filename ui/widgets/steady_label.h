#pragma once
// Labels whose text changes while traffic flows (counters, summaries). A label with a new text asks
// its window to lay itself out again, which measures every wrapped label on the page: at a few
// updates a second that costs more than the traffic it reports. A label of fixed size does not ask
// (QWidget::updateGeometry), so these are sized once for the widest text they expect.

#include <QLabel>

namespace tollgate::ui {

inline void keepSteady(QLabel* label, const QString& widest) {
    const QFontMetrics m = label->fontMetrics();
    label->setFixedSize(m.horizontalAdvance(widest) + m.averageCharWidth() * 2, m.height() + 4);
}

} // namespace tollgate::ui
