#include "pages/page_header.h"

#include <QLabel>
#include <QVBoxLayout>
#include <QWidget>

namespace tollgate::ui {

QWidget* makePageHeader(const QString& title, const QString& text, QWidget* parent) {
    auto* header = new QWidget(parent);
    auto* layout = new QVBoxLayout(header);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(2);
    auto* titleLabel = new QLabel(title, header);
    titleLabel->setObjectName(QStringLiteral("pageTitle"));
    QFont f = titleLabel->font();
    f.setPointSizeF(f.pointSizeF() * 1.45);
    f.setBold(true);
    titleLabel->setFont(f);
    auto* textLabel = new QLabel(text, header);
    textLabel->setObjectName(QStringLiteral("pageText"));
    textLabel->setWordWrap(true);
    textLabel->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(titleLabel);
    layout->addWidget(textLabel);
    return header;
}

} // namespace tollgate::ui
