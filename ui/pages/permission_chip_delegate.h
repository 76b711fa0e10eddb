#pragma once
// Paints a permission matrix cell as one chip per method (state in colour and in a glyph, so it
// reads without colour too) and turns a plain click on a chip into chipClicked(); clicks with Shift
// or Ctrl stay selection clicks. The legend above the matrix paints its chips with paintChip().

#include "models/permission_matrix_model.h"

#include <QStyledItemDelegate>

namespace tollgate::ui {

class PermissionChipDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // Where each chip of `chips` sits in a cell drawn at `cell` with font metrics `fm`.
    static QList<QRect> chipRects(const QRect& cell, const QFont& font, const QList<MethodChip>& chips);
    static void paintChip(QPainter* painter, const QRect& rect, const QString& label, PermissionState state,
                          const QFont& font);
    static QSize chipSize(const QString& label, const QFont& font);
    static QString glyph(PermissionState state);
    static QFont chipFont(const QFont& base);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

signals:
    void chipClicked(const QModelIndex& index, int chip);
};

} // namespace tollgate::ui
