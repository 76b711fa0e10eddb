#pragma once
// Driving the console's editing pages as a user does: open the demo in a window, click a table row,
// answer a confirmation, read the message under a field.

#include "main_window.h"
#include "pages/item_form_page.h"
#include "ui_test_support.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

#include <memory>

namespace tollgate::test {

// A window on a fresh copy of the demo, at the size the screenshots use.
struct DemoWindow {
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<ui::MainWindow> window;

    explicit DemoWindow(ui::MainWindow::Page page) {
        path = writeDemoWorkspace(dir, 0);
        window = std::make_unique<ui::MainWindow>();
        if (!window->openWorkspace(path, false)) {
            qFatal("the demo did not open");
        }
        window->resize(1280, 800);
        window->show();
        window->showPage(page);
    }
    ui::ConfigDocument* doc() { return window->document(); }
};

inline void clickRow(ui::ItemFormPage* page, int row) {
    const QModelIndex index = page->proxy()->index(row, 0);
    const QRect rect = page->view()->visualRect(index);
    QTest::mouseClick(page->view()->viewport(), Qt::LeftButton, {}, rect.center());
}

// The message FormBinder shows under a bound editor.
inline QLabel* messageUnder(QWidget* editor) {
    return editor->parentWidget()->findChild<QLabel*>(QStringLiteral("fieldMessage"),
                                                      Qt::FindDirectChildrenOnly);
}

inline bool showsMessage(QWidget* editor) {
    QLabel* m = messageUnder(editor);
    return m && !m->isHidden() && !m->text().isEmpty();
}

template <typename T> T* openDialog(const QString& objectName = {}) {
    for (QWidget* w : QApplication::topLevelWidgets()) {
        auto* d = qobject_cast<T*>(w);
        if (d && d->isVisible() && (objectName.isEmpty() || d->objectName() == objectName)) {
            return d;
        }
    }
    return nullptr;
}

// Answers the open confirmation; returns its text.
inline QString answerConfirmation(bool yes) {
    auto* box = openDialog<QMessageBox>(QStringLiteral("confirmBox"));
    if (!box) {
        return {};
    }
    const QString text = box->text();
    if (yes) {
        box->findChild<QAbstractButton*>(QStringLiteral("confirmYes"))->click();
    } else {
        box->button(QMessageBox::Cancel)->click();
    }
    return text;
}

} // namespace tollgate::test
