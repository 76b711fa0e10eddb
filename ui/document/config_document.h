#pragma once
// The config the console edits: the workspace file's YAML tree, changed only through edits that are
// each one undo step. After every change the text is validated by the core's loader, so every page
// shows the same problems `tollgated --check` would print, keyed like the loader ("apis[0].path").
// The file is untouched until save(), which replaces it atomically (a .bak kept); an untouched
// document saves the loaded text byte for byte. Use from the UI thread only.

#include "document/key_path.h"
#include "tollgate/config.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUndoStack>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tollgate::ui {

class ConfigDocument : public QObject {
    Q_OBJECT
public:
    explicit ConfigDocument(QObject* parent = nullptr);

    // Reads `path` and forgets the undo history. False when the file cannot be read; a file that
    // reads but does not validate still loads (problems() says why) so it can be fixed here.
    bool load(const QString& path, QString* error = nullptr);
    QString path() const { return m_path; }
    bool isOpen() const { return !m_path.isEmpty(); }

    // The current YAML text (the file's own text until the first edit).
    const std::string& text() const { return m_text; }
    // The tree behind text(); invalid when the text is not YAML. Read-only: edit through edit().
    const YAML::Node& root() const { return m_root; }
    YAML::Node node(const QString& keyPath) const;
    // A scalar's text, `fallback` when absent or not a scalar.
    QString scalar(const QString& keyPath, const QString& fallback = {}) const;

    // The loader's verdict on text(). config() is the newest text that had no error (null when none
    // ever had), so tables keep showing something sensible while a field is being fixed.
    std::shared_ptr<const Config> config() const { return m_config; }
    bool isValid() const { return m_valid; }
    const std::vector<ConfigError>& problems() const { return m_problems; }
    QStringList problemTexts() const; // FILE:LINE:COL: key: message
    // The first error (else warning) about `keyPath` or anything under it, "" when none.
    QString problemAt(const QString& keyPath) const;

    // One undoable edit: `change` gets a copy of the tree and returns false to cancel. Edits with the
    // same non-empty `mergeKey` in a row merge into one undo step (typing in one field). False when
    // cancelled, when nothing changed, or when the text is not YAML.
    bool edit(const QString& label, const std::function<bool(YAML::Node& root)>& change,
              const QString& mergeKey = {});
    // Shorthands on edit(). setValue with an empty text removes the key.
    bool setValue(const QString& keyPath, const QString& text, const QString& label, bool merge = false);
    bool setNode(const QString& keyPath, const YAML::Node& value, const QString& label);
    bool remove(const QString& keyPath, const QString& label);
    // Appends to the list at `listPath` (created when missing); returns the new item's index or -1.
    int append(const QString& listPath, const YAML::Node& item, const QString& label);

    QUndoStack* undoStack() { return &m_undo; }
    bool isModified() const { return !m_undo.isClean(); }

    // Writes text() over path() atomically. Clears isModified().
    bool save(QString* error = nullptr);
    // The same YAML, written by the emitter (what a diff compares, so formatting does not show).
    static std::string normalized(const std::string& yamlText);

signals:
    // After every edit, undo, redo and load: re-read whatever shows the document.
    void changed();
    void modifiedChanged(bool modified);
    // path() was changed by another program since it was loaded or saved here.
    void changedOnDisk();

private:
    friend class TextChangeCommand;
    void setText(const std::string& text); // parses and validates; emits changed()
    void watch();
    void onFileChanged();

    QString m_path;
    std::string m_text;
    std::string m_diskText; // what this document last read from or wrote to path()
    YAML::Node m_root;
    bool m_valid = false;
    std::shared_ptr<const Config> m_config;
    std::vector<ConfigError> m_problems;
    QUndoStack m_undo;
    QFileSystemWatcher m_watcher;
};

} // namespace tollgate::ui
