#pragma once
// A plain-language message above the pages, with up to a few actions ("Use port 8081"), for what
// the user should know without a modal dialog in the way: a taken port, a config that did not load.

#include <QFrame>

#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace tollgate::ui {

class NoticeBar : public QFrame {
    Q_OBJECT
public:
    enum class Kind { Info, Warning, Error };
    struct Action {
        QString text;
        std::function<void()> run; // the bar hides itself after running it
    };

    explicit NoticeBar(QWidget* parent = nullptr);
    void showNotice(Kind kind, const QString& text, const QList<Action>& actions = {});
    QString text() const;
    // The action buttons currently shown, for tests and keyboard users.
    QList<QPushButton*> actionButtons() const;

private:
    QLabel* m_text;
    QHBoxLayout* m_actions;
};

} // namespace tollgate::ui
