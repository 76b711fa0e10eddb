#pragma once
// The title and one-paragraph explanation every page starts with.

#include <QString>

class QWidget;

namespace tollgate::ui {

QWidget* makePageHeader(const QString& title, const QString& text, QWidget* parent = nullptr);

} // namespace tollgate::ui
