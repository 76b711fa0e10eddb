#pragma once
// A path field: a line edit bound to a key, with a "Choose…" button that writes the picked file as
// one undoable edit (relative to the config's folder when inside it, as the loader resolves it).
// Use from the UI thread only.

#include <QString>

class QLineEdit;
class QWidget;

namespace tollgate::ui {

class ConfigDocument;
class FormBinder;

// `save`: the picker may name a file that does not exist yet (a store, a log).
QWidget* bindFileField(FormBinder* binder, QLineEdit* edit, const QString& key, const QString& label,
                       bool save = false);
// `chosen` as the config should hold it: relative when inside the config's folder.
QString pathForConfig(const ConfigDocument* doc, const QString& chosen);

} // namespace tollgate::ui
