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

QLineEdit* makeLine(const QString& key, const QString& placeholder, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(key);
    edit->setPlaceholderText(placeholder);
    edit->setClearButtonEnabled(true);
    return edit;
}

} // namespace tollgate::ui
