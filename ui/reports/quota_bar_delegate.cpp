#include "reports/quota_bar_delegate.h"

#include "models/billing_table_model.h"

#include <QApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace tollgate::ui {

namespace {

QString percent(double fraction) {
    // Floor, so 99.96% does not read as a full 100% quota that was not reached; but some use is
    // never shown as none.
    const auto whole = static_cast<qlonglong>(std::floor(fraction * 100.0));
    return whole == 0 && fraction > 0 ? QStringLiteral("<1%") : QStringLiteral("%1%").arg(whole);
}

} // namespace

void QuotaBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
    const QVariant fraction = index.data(BillingTableModel::QuotaFractionRole);
    if (!fraction.isValid()) {
        RoomyDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString numbers = opt.text;
    opt.text.clear();
    const QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const double f = fraction.toDouble();
    const bool over = f > 1.0;
    const QRect cell = opt.rect.adjusted(8, 0, -8, 0);
    const int barHeight = std::max(6, opt.fontMetrics.height() / 2);
    const QRect bar(cell.left(), cell.center().y() - barHeight / 2, kBarWidth, barHeight);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(opt.palette.color(QPalette::Mid).lighter(130));
    painter->drawRoundedRect(bar, 3, 3);
    const QColor fill = over ? QColor(0xd3, 0x2f, 0x2f) : QColor(0x2e, 0x7d, 0x32);
    QRect done = bar;
    done.setWidth(std::max(barHeight, static_cast<int>(std::round(std::min(f, 1.0) * bar.width()))));
    if (f > 0) {
        painter->setBrush(fill);
        painter->drawRoundedRect(done, 3, 3);
    }
    const bool selected = opt.state & QStyle::State_Selected;
    const QColor text = opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QFont pctFont = opt.font;
    pctFont.setBold(over);
    painter->setFont(pctFont);
    painter->setPen(over && !selected ? fill : text);
    const QRect pctRect(bar.right() + 8, cell.top(),
                        opt.fontMetrics.horizontalAdvance(QStringLiteral("0000%")), cell.height());
    painter->drawText(pctRect, Qt::AlignLeft | Qt::AlignVCenter, percent(f));
    painter->setFont(opt.font);
    painter->setPen(text);
    painter->drawText(cell.adjusted(pctRect.right() - cell.left() + 8, 0, 0, 0),
                      Qt::AlignRight | Qt::AlignVCenter,
                      opt.fontMetrics.elidedText(numbers, Qt::ElideLeft, cell.right() - pctRect.right() - 8));
    painter->restore();
}

QSize QuotaBarDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QSize s = RoomyDelegate::sizeHint(option, index);
    if (index.data(BillingTableModel::QuotaFractionRole).isValid()) {
        s.setWidth(s.width() + kBarWidth + option.fontMetrics.horizontalAdvance(QStringLiteral("0000%")) +
                   32);
    }
    return s;
}

} // namespace tollgate::ui
