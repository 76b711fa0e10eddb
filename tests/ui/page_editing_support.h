#pragma once
// Driving the console's editing pages as a user does: open the demo in a window, find a field by its
// key, type into it, read the loader's message under it, edit a table cell through its editor,
// click a table row, answer the delete question.

#include "main_window.h"
#include "pages/editable_list_page.h"
#include "ui_test_support.h"
#include "widgets/list_editor.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QUndoStack>
#include <QtTest>

#include <memory>

namespace tollgate::test {

// For initTestCase(): the console's settings and stores in Qt's test locations, not the user's.
inline void useTestLocations() {
    QCoreApplication::setApplicationName(QStringLiteral("tollgate"));
    QStandardPaths::setTestModeEnabled(true);
}

// A window on a fresh copy of the demo, at the size the screenshots use, showing `page`.
struct DemoWindow {
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<ui::MainWindow> window;

    explicit DemoWindow(ui::MainWindow::Page page) : first(page) {
        path = writeDemoWorkspace(dir, 0);
        window = std::make_unique<ui::MainWindow>();
        if (!window->openWorkspace(path, false)) {
            qFatal("the demo did not open");
        }
        window->resize(1280, 800);
        window->show();
        if (!QTest::qWaitForWindowActive(window.get())) {
            qFatal("the window did not become active");
        }
        window->showPage(page);
    }
    ui::ConfigDocument* doc() { return window->document(); }
    // The page shown first, as its own class (null when it is not a `P`).
    template <typename P> P* page() { return qobject_cast<P*>(window->page(first)); }

    ui::MainWindow::Page first;
};

// The editor named `key` on `page`; the test stops when there is none.
template <typename T> T* field(QWidget* page, const QString& key) {
    T* w = page->findChild<T*>(key);
    if (!w) {
        qFatal("no field %s", qPrintable(key));
    }
    return w;
}

// Replaces the field's text by typing, as a user who selected it all would.
inline void retype(QLineEdit* edit, const QString& text) {
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

// The message FormBinder shows under a bound editor ("" when hidden).
inline QString messageUnder(QWidget* editor) {
    for (QWidget* w = editor->parentWidget(); w; w = w->parentWidget()) {
        if (auto* label = w->findChild<QLabel*>(QStringLiteral("fieldMessage"), Qt::FindDirectChildrenOnly)) {
            return label->isHidden() ? QString() : label->text();
        }
    }
    return {};
}

inline bool showsMessage(QWidget* editor) {
    return !messageUnder(editor).isEmpty();
}

// The message under a list editor ("" when hidden).
inline QString messageUnder(ui::ListEditor* list) {
    return list->message()->isHidden() ? QString() : list->message()->text();
}

// Opens the cell's editor with F2, types `text` over its content and presses Enter.
inline bool typeInCell(QTableWidget* table, int row, int column, const QString& text) {
    table->setFocus();
    table->setCurrentCell(row, column);
    QTest::keyClick(table, Qt::Key_F2);
    QLineEdit* editor = nullptr;
    for (QLineEdit* e : table->viewport()->findChildren<QLineEdit*>()) {
        if (e->isVisible()) {
            editor = e;
        }
    }
    if (!editor) {
        return false;
    }
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits on the next turn of the event loop.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return true;
}

// Clicks a check box with the space bar (a mouse click lands wherever the layout stretched it).
inline void clickCheck(QAbstractButton* box) {
    box->setFocus();
    QTest::keyClick(box, Qt::Key_Space);
}

// Toggles a check box cell with the space bar.
inline void toggleCell(QTableWidget* table, int row, int column) {
    table->setFocus();
    table->setCurrentCell(row, column);
    QTest::keyClick(table, Qt::Key_Space);
}

// Clicks row `row` of the page's tree, as a user picks an item.
inline void clickRow(ui::EditableListPage* page, int row) {
    const QModelIndex index = page->proxy()->index(row, 0);
    const QRect rect = page->view()->visualRect(index);
    QTest::mouseClick(page->view()->viewport(), Qt::LeftButton, {}, rect.center());
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

// Answers the open confirmation; returns its question and the line under it.
inline QString answerConfirmation(bool yes) {
    auto* box = openDialog<QMessageBox>(QStringLiteral("confirmBox"));
    if (!box) {
        return {};
    }
    const QString text = box->text() + QLatin1Char('\n') + box->informativeText();
    if (yes) {
        box->findChild<QAbstractButton*>(QStringLiteral("confirmYes"))->click();
    } else {
        box->button(QMessageBox::Cancel)->click();
    }
    return text;
}

inline void undoAll(QUndoStack* stack) {
    while (stack->canUndo()) {
        stack->undo();
    }
}

inline void redoAll(QUndoStack* stack) {
    while (stack->canRedo()) {
        stack->redo();
    }
}

} // namespace tollgate::test
