#include "pages/placeholder_page.h"

#include "pages/page_header.h"

#include <QFrame>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

namespace tollgate::ui {

PlaceholderPage::PlaceholderPage(const QString& title, const QString& intro, const QString& iconPath,
                                 const QStringList& coming, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makePageHeader(title, intro, this));

    auto* card = new QFrame(this);
    card->setObjectName(QStringLiteral("placeholderCard"));
    card->setFrameShape(QFrame::StyledPanel);
    auto* cardLayout = new QVBoxLayout(card);
    cardLayout->setContentsMargins(32, 28, 32, 28);
    cardLayout->setSpacing(10);
    auto* icon = new QLabel(card);
    icon->setPixmap(QIcon(iconPath).pixmap(48, 48));
    icon->setAlignment(Qt::AlignHCenter);
    cardLayout->addWidget(icon);
    auto* what = new QLabel(tr("Coming next on this page:"), card);
    what->setAlignment(Qt::AlignHCenter);
    QFont bold = what->font();
    bold.setBold(true);
    what->setFont(bold);
    cardLayout->addWidget(what);
    for (const QString& item : coming) {
        auto* line = new QLabel(QStringLiteral("•  ") + item, card);
        line->setWordWrap(true);
        cardLayout->addWidget(line);
    }
    card->setMinimumWidth(560);

    layout->addSpacing(24);
    layout->addWidget(card, 0, Qt::AlignHCenter);
    layout->addStretch(1);
}

} // namespace tollgate::ui
