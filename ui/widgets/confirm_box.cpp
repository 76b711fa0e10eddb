#include "widgets/confirm_box.h"

#include <QMessageBox>
#include <QPointer>
#include <QPushButton>

namespace tollgate::ui {

void askToConfirm(QWidget* parent, const QString& title, const QString& text, const QString& yesText,
                  std::function<void()> onYes, const QString& detail) {
    auto* box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::NoButton, parent);
    box->setInformativeText(detail);
    box->setObjectName(QStringLiteral("confirmBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* yes = box->addButton(yesText, QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmYes"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    QObject::connect(box, &QMessageBox::buttonClicked, box,
                     [yes, onYes = std::move(onYes)](QAbstractButton* clicked) {
                         if (clicked == yes) {
                             onYes();
                         }
                     });
    box->open();
}

} // namespace tollgate::ui
