#pragma once
// Apply's confirmation: the lines that change between the config the gateway runs and the one being
// edited, coloured like a unified diff, before the engine swaps it in.

#include "document/config_diff.h"

#include <QDialog>

class QPlainTextEdit;

namespace tollgate::ui {

class ApplyDialog : public QDialog {
    Q_OBJECT
public:
    ApplyDialog(const std::vector<DiffLine>& lines, const QString& target, QWidget* parent = nullptr);
    QString diffText() const; // what the dialog shows, for tests

private:
    QPlainTextEdit* m_view;
};

} // namespace tollgate::ui
