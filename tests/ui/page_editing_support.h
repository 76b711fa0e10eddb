#pragma once
// Helpers for the editing pages' tests: type into a bound field as a user does, read the loader's
// message under it, edit a table cell through its editor, answer the delete question.

#include "widgets/list_editor.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QTableWidget>
#include <QTimer>
#include <QUndoStack>
#include <QtTest>

namespace tollgate::test {

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

// The message under a list editor ("" when hidden).
inline QString messageUnder(ui::ListEditor* list) {
    auto* label = list->findChild<QLabel*>(QStringLiteral("fieldMessage"), Qt::FindDirectChildrenOnly);
    return label && !label->isHidden() ? label->text() : QString();
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

// Clicks the button labelled `answer` of the next modal message box, once it shows.
inline void answerNextQuestion(const QString& answer, QString* informative = nullptr) {
    QTimer::singleShot(0, [answer, informative] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) {
            return;
        }
        if (informative) {
            *informative = box->informativeText();
        }
        for (QAbstractButton* b : box->buttons()) {
            if (b->text() == answer) {
                b->click();
                return;
            }
        }
        box->reject();
    });
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
