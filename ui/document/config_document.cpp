#include "document/config_document.h"

#include "document/text_patch.h"
#include "tollgate/config_file.h"

#include <QFile>
#include <QFileInfo>
#include <QUndoCommand>

namespace tollgate::ui {

// One edit as the texts before and after it: undo and redo swap whole texts, which for a config of a
// few KiB is cheaper and far simpler than inverting each kind of change.
class TextChangeCommand : public QUndoCommand {
public:
    TextChangeCommand(ConfigDocument* doc, std::string before, std::string after, const QString& label,
                      QString mergeKey)
        : QUndoCommand(label), m_doc(doc), m_before(std::move(before)), m_after(std::move(after)),
          m_mergeKey(std::move(mergeKey)) {}

    void redo() override { m_doc->setText(m_after); }
    void undo() override { m_doc->setText(m_before); }
    int id() const override { return m_mergeKey.isEmpty() ? -1 : 1; }
    bool mergeWith(const QUndoCommand* other) override {
        const auto* next = static_cast<const TextChangeCommand*>(other);
        if (next->m_mergeKey != m_mergeKey) {
            return false;
        }
        m_after = next->m_after;
        setObsolete(m_after == m_before);
        return true;
    }

private:
    ConfigDocument* m_doc;
    std::string m_before;
    std::string m_after;
    QString m_mergeKey;
};

namespace {

std::string emitYaml(const YAML::Node& root) {
    YAML::Emitter out;
    out.SetIndent(2);
    out << root;
    std::string text = out.c_str();
    if (!text.empty() && text.back() != '\n') {
        text += '\n';
    }
    return text;
}

std::optional<KeyPath> keyPath(const QString& text) {
    return parseKeyPath(text.toStdString());
}

} // namespace

ConfigDocument::ConfigDocument(QObject* parent) : QObject(parent) {
    connect(&m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &ConfigDocument::onFileChanged);
}

bool ConfigDocument::load(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) {
            *error = tr("%1: %2").arg(path, file.errorString());
        }
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (!m_path.isEmpty()) {
        m_watcher.removePath(m_path);
    }
    m_path = QFileInfo(path).absoluteFilePath();
    m_diskText = bytes.toStdString();
    m_undo.clear();
    setText(m_diskText);
    m_undo.setClean();
    watch();
    return true;
}

void ConfigDocument::setText(const std::string& text) {
    m_text = text;
    try {
        m_root.reset(YAML::Load(m_text));
    } catch (const YAML::Exception&) {
        m_root.reset(YAML::Node(YAML::NodeType::Undefined)); // the loader below says where
    }
    const std::string file = m_path.toStdString();
    const std::string dir = QFileInfo(m_path).absolutePath().toStdString();
    LoadResult result = loadConfigText(m_text, file, dir);
    m_problems = std::move(result.errors);
    m_valid = result.ok();
    if (result.ok()) {
        result.config->sourcePath = file;
        m_config = std::make_shared<const Config>(std::move(*result.config));
    }
    emit changed();
}

YAML::Node ConfigDocument::node(const QString& keyPath) const {
    const auto path = tollgate::ui::keyPath(keyPath);
    if (!path || !m_root.IsDefined()) {
        return YAML::Node(YAML::NodeType::Undefined);
    }
    return findNode(m_root, *path);
}

QString ConfigDocument::scalar(const QString& keyPath, const QString& fallback) const {
    const YAML::Node n = node(keyPath);
    if (!n.IsDefined() || !n.IsScalar()) {
        return fallback;
    }
    return QString::fromStdString(n.Scalar());
}

QStringList ConfigDocument::problemTexts() const {
    QStringList out;
    for (const ConfigError& e : m_problems) {
        out << QString::fromStdString(e.format());
    }
    return out;
}

QString ConfigDocument::problemAt(const QString& keyPath) const {
    const std::string key = keyPath.toStdString();
    const auto about = [&key](const ConfigError& e) {
        if (e.key.size() < key.size() || e.key.compare(0, key.size(), key) != 0) {
            return false;
        }
        return e.key.size() == key.size() || e.key[key.size()] == '.' || e.key[key.size()] == '[';
    };
    const ConfigError* warning = nullptr;
    for (const ConfigError& e : m_problems) {
        if (!about(e)) {
            continue;
        }
        if (!e.warning) {
            return QString::fromStdString(e.message);
        }
        if (!warning) {
            warning = &e;
        }
    }
    return warning ? QString::fromStdString(warning->message) : QString();
}

bool ConfigDocument::edit(const QString& label, const std::function<bool(YAML::Node&)>& change,
                          const QString& mergeKey) {
    if (!m_root.IsDefined()) {
        return false;
    }
    YAML::Node copy = YAML::Clone(m_root);
    if (!change(copy)) {
        return false;
    }
    // Value-only edits keep the file as written (comments included); others go through the emitter.
    std::string emitted = emitYaml(copy);
    if (emitted == emitYaml(m_root)) {
        return false;
    }
    std::string after = patchScalars(m_text, m_root, copy).value_or(std::move(emitted));
    m_undo.push(new TextChangeCommand(this, m_text, std::move(after), label, mergeKey));
    return true;
}

bool ConfigDocument::setValue(const QString& keyPath, const QString& text, const QString& label, bool merge) {
    const auto path = tollgate::ui::keyPath(keyPath);
    if (!path) {
        return false;
    }
    const QString mergeKey = merge ? keyPath : QString();
    if (text.isEmpty()) {
        return edit(
            label, [&](YAML::Node& root) { return removeNode(root, *path); }, mergeKey);
    }
    const YAML::Node value(text.toStdString());
    return edit(
        label, [&](YAML::Node& root) { return tollgate::ui::setNode(root, *path, value); }, mergeKey);
}

bool ConfigDocument::setNode(const QString& keyPath, const YAML::Node& value, const QString& label) {
    const auto path = tollgate::ui::keyPath(keyPath);
    return path && edit(label, [&](YAML::Node& root) { return tollgate::ui::setNode(root, *path, value); });
}

bool ConfigDocument::remove(const QString& keyPath, const QString& label) {
    const auto path = tollgate::ui::keyPath(keyPath);
    return path && edit(label, [&](YAML::Node& root) { return removeNode(root, *path); });
}

int ConfigDocument::append(const QString& listPath, const YAML::Node& item, const QString& label) {
    const auto path = tollgate::ui::keyPath(listPath);
    if (!path) {
        return -1;
    }
    int index = -1;
    const bool ok = edit(label, [&](YAML::Node& root) {
        const YAML::Node list = findNode(root, *path);
        if (list.IsDefined() && !list.IsNull() && !list.IsSequence()) {
            return false;
        }
        const size_t at = list.IsSequence() ? list.size() : 0;
        KeyPath itemPath = *path;
        itemPath.emplace_back(at);
        index = int(at);
        return tollgate::ui::setNode(root, itemPath, item);
    });
    return ok ? index : -1;
}

bool ConfigDocument::save(QString* error) {
    std::string why;
    // The watcher would report our own rename; the text comparison in onFileChanged skips it.
    if (!replaceFileAtomically(m_path.toStdString(), m_text, why)) {
        if (error) {
            *error = QString::fromStdString(why);
        }
        return false;
    }
    m_diskText = m_text;
    m_undo.setClean();
    watch();
    return true;
}

std::string ConfigDocument::normalized(const std::string& yamlText) {
    try {
        return emitYaml(YAML::Load(yamlText));
    } catch (const YAML::Exception&) {
        return yamlText;
    }
}

void ConfigDocument::watch() {
    // A rename over the file (ours or an editor's) drops the watch: add it again each time.
    if (!m_path.isEmpty() && !m_watcher.files().contains(m_path) && QFileInfo::exists(m_path)) {
        m_watcher.addPath(m_path);
    }
}

void ConfigDocument::onFileChanged() {
    watch();
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        return; // mid-rename or deleted; the next change notification tells
    }
    const std::string now = file.readAll().toStdString();
    if (now == m_diskText) {
        return;
    }
    m_diskText = now;
    emit changedOnDisk();
}

} // namespace tollgate::ui
