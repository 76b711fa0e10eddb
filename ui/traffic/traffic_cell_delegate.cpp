#include "traffic/traffic_cell_delegate.h"

#include <QApplication>
#include <QPainter>

namespace tollgate::ui {
namespace {

constexpr qsizetype kMaxCached = 4096; // a few screens of distinct texts; times and paths churn
constexpr int kMargin = 4;             // the stock delegate's text margin under Fusion

} // namespace

const QStaticText& TrafficCellDelegate::laidOut(const QString& text, const QFont& font) const {
    if (font != m_font) {
        m_cache.clear();
        m_font = font;
    }
    auto it = m_cache.find(text);
    if (it == m_cache.end()) {
        if (m_cache.size() >= kMaxCached) {
            m_cache.clear();
        }
        QStaticText s(text);
        s.setTextFormat(Qt::PlainText);
        s.setPerformanceHint(QStaticText::AggressiveCaching);
        s.prepare(QTransform(), font);
        it = m_cache.insert(text, s);
    }
    return *it;
}

void TrafficCellDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const {
    const bool selected = option.state & QStyle::State_Selected;
    if (selected) {
        painter->fillRect(
            option.rect,
            option.palette.brush(option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive,
                                 QPalette::Highlight));
    } else if (const QVariant bg = index.data(Qt::BackgroundRole); bg.canConvert<QBrush>()) {
        painter->fillRect(option.rect, bg.value<QBrush>());
    }
    const QString text = index.data(Qt::DisplayRole).toString();
    if (text.isEmpty()) {
        return;
    }
    QColor color = option.palette.color(QPalette::Text);
    if (selected) {
        color = option.palette.color(QPalette::HighlightedText);
    } else if (const QVariant fg = index.data(Qt::ForegroundRole); fg.canConvert<QBrush>()) {
        color = fg.value<QBrush>().color();
    }
    const int align = index.data(Qt::TextAlignmentRole).toInt();
    const QRect area = option.rect.adjusted(kMargin, 0, -kMargin, 0);
    painter->save();
    painter->setPen(color);
    painter->setFont(option.font);
    const QStaticText& s = laidOut(text, option.font);
    const QSizeF size = s.size();
    if (size.width() <= area.width()) {
        const qreal x = (align & Qt::AlignRight) ? area.right() + 1 - size.width() : area.left();
        painter->drawStaticText(QPointF(x, area.top() + (area.height() - size.height()) / 2), s);
    } else {
        // Too wide for the column: elided like the stock delegate, laid out on the spot.
        painter->setClipRect(area);
        painter->drawText(area, int(Qt::AlignVCenter) | (align & Qt::AlignHorizontal_Mask),
                          option.fontMetrics.elidedText(text, Qt::ElideRight, area.width()));
    }
    painter->restore();
}

} // namespace tollgate::ui
