#pragma once
// Binds a form's editors to keys of a ConfigDocument, so pages hold no editing logic of their own:
// a user's change becomes an undoable edit (typing in one field merges into one undo step), any
// document change (undo, redo, reload, another page) refreshes the editors, and the loader's message
// about a field's key shows under that field as it is typed.
//
// Keys are relative to a prefix, the item the form shows ("consumers[2]" + "plan"); an empty prefix
// disables the form. Use from the UI thread only.

#include "document/config_document.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QWidget;

namespace tollgate::ui {

class FormBinder : public QObject {
    Q_OBJECT
public:
    explicit FormBinder(ConfigDocument* doc, QObject* parent = nullptr);

    ConfigDocument* document() const { return m_doc; }
    // The item the form edits, e.g. "consumers[2]"; "" disables every bound editor.
    void setPrefix(const QString& prefix);
    QString prefix() const { return m_prefix; }
    QString absoluteKey(const QString& relativeKey) const;

    // Each bind returns a widget holding the editor and, under it, the message about `key` (add that
    // widget to the form layout). `label` names the undo step ("Change plan").
    // Text fields: empty text removes the key, so the loader's default applies.
    QWidget* bindLine(QLineEdit* edit, const QString& key, const QString& label);
    // Combo boxes: the current text is the value; an editable combo accepts any text.
    QWidget* bindCombo(QComboBox* combo, const QString& key, const QString& label);
    // Check boxes: written as true/false; `defaultValue` shows when the key is absent.
    QWidget* bindCheck(QCheckBox* check, const QString& key, const QString& label, bool defaultValue);
    // Spin boxes: `defaultValue` shows when the key is absent.
    QWidget* bindSpin(QSpinBox* spin, const QString& key, const QString& label, int defaultValue);
    // A message line for a key that is edited some other way (a table of routes).
    QLabel* messageFor(const QString& key);

    // Re-reads every editor and message from the document.
    void refresh();

signals:
    // After refresh(): pages re-read what they show outside the bound editors.
    void refreshed();

private:
    struct Binding {
        QPointer<QWidget> editor;
        QString key;
        std::function<void()> load; // document → editor
        QPointer<QLabel> message;
    };
    QWidget* wrap(QWidget* editor, Binding binding);
    QLabel* newMessage(QWidget* parent);
    void showMessage(Binding& b);

    ConfigDocument* m_doc;
    QString m_prefix;
    std::vector<Binding> m_bindings;
    bool m_loading = false; // editors are being set from the document: not a user edit
};

} // namespace tollgate::ui
