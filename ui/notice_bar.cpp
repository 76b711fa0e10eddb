#include "notice_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace tollgate::ui {

NoticeBar::NoticeBar(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("noticeBar"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 6, 6, 6);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_text, 1);
    m_actions = new QHBoxLayout;
    layout->addLayout(m_actions);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    layout->addWidget(close);
    hide();
}

void NoticeBar::showNotice(Kind kind, const QString& text, const QList<Action>& actions) {
    static const char* colors[] = {"#ebf4ff; border: 1px solid #90cdf4", "#fffaf0; border: 1px solid #f6ad55",
                                   "#fff5f5; border: 1px solid #fc8181"};
    setStyleSheet(QStringLiteral("QFrame#noticeBar { background: %1; border-radius: 6px; }")
                      .arg(QLatin1String(colors[static_cast<int>(kind)])));
    m_text->setText(text);
    while (QLayoutItem* item = m_actions->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const Action& a : actions) {
        auto* button = new QPushButton(a.text, this);
        connect(button, &QPushButton::clicked, this, [this, run = a.run] {
            hide();
            run();
        });
        m_actions->addWidget(button);
    }
    show();
}

QString NoticeBar::text() const {
    return m_text->text();
}

QList<QPushButton*> NoticeBar::actionButtons() const {
    QList<QPushButton*> buttons;
    for (int i = 0; i < m_actions->count(); ++i) {
        if (auto* b = qobject_cast<QPushButton*>(m_actions->itemAt(i)->widget())) {
            buttons << b;
        }
    }
    return buttons;
}

} // namespace tollgate::ui
