#pragma once
// The pieces every editing form is built from: a titled section holding a QFormLayout (labels
// right-aligned, room between rows) and editors named after the key they edit, so tests and
// screenshots find them by key. Use from the UI thread only.

#include <QString>

#include <utility>

class QBoxLayout;
class QFormLayout;
class QVBoxLayout;
class QLineEdit;
class QWidget;

namespace tollgate::ui {

// Adds a bold title and a form under it to `column`; returns the form.
QFormLayout* addFormSection(QBoxLayout* column, const QString& title, QWidget* parent);
// Two columns of equal width side by side, added to `column`: (left, right).
std::pair<QVBoxLayout*, QVBoxLayout*> addFormColumns(QBoxLayout* column);
// A line edit named `key` whose placeholder shows the default (what an empty field means).
QLineEdit* makeLine(const QString& key, const QString& placeholder, QWidget* parent);

} // namespace tollgate::ui
