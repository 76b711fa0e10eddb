#include "pages/permission_chip_delegate.h"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

namespace tollgate::ui {
namespace {

constexpr int kMargin = 6;  // cell edge to first chip
constexpr int kSpacing = 3; // between chips

struct ChipColours {
    QColor fill;
    QColor border;
    QColor text;
};

ChipColours coloursOf(PermissionState state) {
    switch (state) {
    case PermissionState::Granted:
        return {QColor(0x2f, 0x85, 0x5a), QColor(0x27, 0x67, 0x49), Qt::white};
    case PermissionState::Inherited:
        return {QColor(0xd8, 0xf3, 0xe2), QColor(0x68, 0xb9, 0x8a), QColor(0x22, 0x54, 0x3d)};
    case PermissionState::Denied:
        return {QColor(0xc5, 0x30, 0x30), QColor(0x9b, 0x2c, 0x2c), Qt::white};
    case PermissionState::Partial:
        return {QColor(0xfe, 0xf3, 0xc7), QColor(0xd6, 0x9e, 0x2e), QColor(0x74, 0x42, 0x10)};
    case PermissionState::None:
        break;
    }
    return {Qt::white, QColor(0xcb, 0xd5, 0xe0), QColor(0x71, 0x80, 0x96)};
}

QString chipText(const QString& label, PermissionState state) {
    const QString g = PermissionChipDelegate::glyph(state);
    return g.isEmpty() ? label : g + QLatin1Char(' ') + label;
}

} // namespace

QString PermissionChipDelegate::glyph(PermissionState state) {
    switch (state) {
    case PermissionState::Granted:
        return QStringLiteral("\u2713"); // check mark
    case PermissionState::Inherited:
        return QStringLiteral("\u2193"); // down arrow: from the plan
    case PermissionState::Denied:
        return QStringLiteral("\u2715"); // cross
    case PermissionState::Partial:
        return QStringLiteral("\u25D0"); // half circle
    case PermissionState::None:
        break;
    }
    return {};
}

QFont PermissionChipDelegate::chipFont(const QFont& base) {
    QFont f = base;
    f.setPointSizeF(base.pointSizeF() * 0.85);
    f.setBold(true);
    return f;
}

QSize PermissionChipDelegate::chipSize(const QString& label, const QFont& font) {
    // Sized for the widest glyph so a chip keeps its width when its state changes.
    const QFontMetrics fm(chipFont(font));
    return {fm.horizontalAdvance(QStringLiteral("\u25D0 ") + label) + 10, fm.height() + 6};
}

QList<QRect> PermissionChipDelegate::chipRects(const QRect& cell, const QFont& font,
                                               const QList<MethodChip>& chips) {
    QList<QRect> out;
    int x = cell.left() + kMargin;
    for (const MethodChip& chip : chips) {
        const QSize s = chipSize(chip.label, font);
        out.append(QRect(QPoint(x, cell.top() + (cell.height() - s.height()) / 2), s));
        x += s.width() + kSpacing;
    }
    return out;
}

void PermissionChipDelegate::paintChip(QPainter* painter, const QRect& rect, const QString& label,
                                       PermissionState state, const QFont& font) {
    const ChipColours c = coloursOf(state);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(c.border, 1);
    if (state == PermissionState::None) {
        pen.setStyle(Qt::DashLine); // "nothing here" without relying on the grey
    }
    painter->setPen(pen);
    painter->setBrush(c.fill);
    painter->drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
    painter->setPen(c.text);
    painter->setFont(chipFont(font));
    painter->drawText(rect, Qt::AlignCenter, chipText(label, state));
    painter->restore();
}

void PermissionChipDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                   const QModelIndex& index) const {
    const QVariant chipsValue = index.data(PermissionMatrixModel::ChipsRole);
    const QVariant summary = index.data(PermissionMatrixModel::SummaryRole);
    if (!chipsValue.isValid() && !summary.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    if (summary.isValid()) {
        // An API row: how many of its routes are open, dimmed when none.
        const auto state = summary.value<PermissionState>();
        const QColor colour = state == PermissionState::Granted   ? QColor(0x27, 0x67, 0x49)
                              : state == PermissionState::Partial ? QColor(0x2d, 0x37, 0x48)
                                                                  : QColor(0x71, 0x80, 0x96);
        QStyleOptionViewItem summaryOption = option;
        summaryOption.palette.setColor(QPalette::Text, colour);
        QStyledItemDelegate::paint(painter, summaryOption, index);
        return;
    }
    opt.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
    const auto chips = chipsValue.value<QList<MethodChip>>();
    const QList<QRect> rects = chipRects(option.rect, option.font, chips);
    painter->save();
    if (index.data(PermissionMatrixModel::InactiveRole).toBool()) {
        painter->setOpacity(0.45); // a suspended consumer: its grants are kept, but nothing passes
    }
    for (int i = 0; i < chips.size(); ++i) {
        paintChip(painter, rects[i], chips[i].label, chips[i].state, option.font);
    }
    painter->restore();
}

QSize PermissionChipDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics fm(option.font);
    const int height = std::max(base.height(), fm.height()) + fm.height() / 2 + 4;
    const QVariant chipsValue = index.data(PermissionMatrixModel::ChipsRole);
    if (!chipsValue.isValid()) {
        return {base.width() + kMargin, height};
    }
    const QList<QRect> rects =
        chipRects(QRect(0, 0, 0, height), option.font, chipsValue.value<QList<MethodChip>>());
    return {rects.isEmpty() ? base.width() : rects.last().right() + kMargin + 1, height};
}

bool PermissionChipDelegate::editorEvent(QEvent* event, QAbstractItemModel* model,
                                         const QStyleOptionViewItem& option, const QModelIndex& index) {
    if (event->type() == QEvent::MouseButtonRelease) {
        auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton &&
            (mouse->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier)) == 0) {
            const auto chips = index.data(PermissionMatrixModel::ChipsRole).value<QList<MethodChip>>();
            const QList<QRect> rects = chipRects(option.rect, option.font, chips);
            for (int i = 0; i < rects.size(); ++i) {
                if (rects[i].contains(mouse->position().toPoint())) {
                    emit chipClicked(index, i);
                    return true;
                }
            }
        }
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

} // namespace tollgate::ui
