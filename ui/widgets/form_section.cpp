#include "widgets/form_section.h"

#include <QBoxLayout>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace tollgate::ui {

QFormLayout* addFormSection(QBoxLayout* column, const QString& title, QWidget* parent) {
    auto* heading = new QLabel(title, parent);
    heading->setObjectName(QStringLiteral("sectionTitle"));
    QFont f = heading->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.08);
    heading->setFont(f);
    heading->setContentsMargins(0, 14, 0, 4);
    column->addWidget(heading);
    auto* form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setHorizontalSpacing(12);
    form->setVerticalSpacing(8);
    column->addLayout(form);
    return form;
}

std::pair<QVBoxLayout*, QVBoxLayout*> addFormColumns(QBoxLayout* column) {
    auto* columns = new QHBoxLayout;
    columns->setSpacing(28);
    auto* left = new QVBoxLayout;
    auto* right = new QVBoxLayout;
    // Set, or they take the 28 pixels between the columns as their own spacing.
    left->setSpacing(4);
    right->setSpacing(4);
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    column->addLayout(columns);
    return {left, right};
}

QLineEdit* makeLine(const QString& key, const QString& placeholder, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(key);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

} // namespace tollgate::ui
