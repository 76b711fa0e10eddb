#pragma once
// Paints the Traffic table's cells. The table repaints every half second while traffic flows, and
// the stock delegate lays each cell's text out twice per paint (measure, then draw), which at
// thousands of requests a second costs more than everything else the console does. Most cell texts
// repeat (consumers, plans, methods, statuses, reasons), so each distinct text is laid out once
// (QStaticText) and drawn from the cache after that. UI thread only.

#include <QHash>
#include <QStaticText>
#include <QStyledItemDelegate>

namespace tollgate::ui {

class TrafficCellDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;

private:
    const QStaticText& laidOut(const QString& text, const QFont& font) const;

    mutable QHash<QString, QStaticText> m_cache;
    mutable QFont m_font; // the cache's texts are laid out in this font
};

} // namespace tollgate::ui
