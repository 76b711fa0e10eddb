#pragma once
// The Quota use cell: a bar with the percentage, red past 100%, then the numbers. Reads the model's
// BillingTableModel::QuotaFractionRole; a cell without one (no quota) is drawn as plain text.

#include "pages/roomy_delegate.h"

namespace tollgate::ui {

class QuotaBarDelegate : public RoomyDelegate {
    Q_OBJECT
public:
    using RoomyDelegate::RoomyDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    static constexpr int kBarWidth = 96;
};

} // namespace tollgate::ui
