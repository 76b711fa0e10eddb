#pragma once
// A page whose content arrives with a later piece of work: it says what will be there.

#include <QWidget>

namespace tollgate::ui {

class PlaceholderPage : public QWidget {
    Q_OBJECT
public:
    PlaceholderPage(const QString& title, const QString& intro, const QString& iconPath,
                    const QStringList& coming, QWidget* parent = nullptr);
};

} // namespace tollgate::ui
