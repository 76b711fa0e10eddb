#pragma once
// Rows with some air: the default item height reads cramped next to the page's larger type.

#include <QStyledItemDelegate>

namespace tollgate::ui {

class RoomyDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        const QSize s = QStyledItemDelegate::sizeHint(option, index);
        return {s.width(), s.height() + option.fontMetrics.height() / 2 + 2};
    }
};

} // namespace tollgate::ui
