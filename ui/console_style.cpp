#include "console_style.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace tollgate::ui {

void applyConsoleStyle(QApplication& app) {
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = app.style()->standardPalette();
    p.setColor(QPalette::Window, QColor(0xf7, 0xf8, 0xfa));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf4, 0xf6, 0xf9));
    p.setColor(QPalette::Highlight, QColor(0x2b, 0x6c, 0xb0));
    p.setColor(QPalette::PlaceholderText, QColor(0x5a, 0x67, 0x78));
    p.setColor(QPalette::Link, QColor(0x2b, 0x6c, 0xb0));
    app.setPalette(p);
    app.setStyleSheet(QStringLiteral(
        "QListWidget#sidebar { background: #edf0f4; border-right: 1px solid #d8dde5; padding-top: 8px; }"
        "QListWidget#sidebar::item { padding-left: 10px; border-radius: 6px; margin: 0 8px; color: #2d3748; }"
        "QListWidget#sidebar::item:selected { background: #dbe7f6; color: #1a365d; }"
        "QListWidget#sidebar::item:hover:!selected { background: #e2e7ee; }"
        "QToolBar#gatewayToolBar { spacing: 4px; padding: 4px 8px; border-bottom: 1px solid #d8dde5; }"
        "QTreeView { border: 1px solid #d8dde5; border-radius: 4px; }"
        "QHeaderView::section { padding: 4px 6px; }"
        // A field the loader has something to say about (FormBinder sets `invalid`).
        "QLabel#fieldMessage { color: #c53030; }"
        "QLineEdit[invalid=\"true\"], QComboBox[invalid=\"true\"], QSpinBox[invalid=\"true\"] {"
        " border: 1px solid #c53030; border-radius: 3px; }"));
}

} // namespace tollgate::ui
