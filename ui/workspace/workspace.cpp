#include "workspace/workspace.h"

#include <QFileInfo>

namespace tollgate::ui {

bool Workspace::load(const QString& path) {
    m_path = QFileInfo(path).absoluteFilePath();
    m_problems.clear();
    LoadResult r = loadConfigFile(m_path.toStdString());
    for (const ConfigError& e : r.errors) {
        m_problems << QString::fromStdString(e.format());
    }
    m_config = r.ok() ? std::make_shared<const Config>(std::move(*r.config)) : nullptr;
    return m_config != nullptr;
}

QString Workspace::displayName() const {
    return QFileInfo(m_path).fileName();
}

bool Workspace::moveListener(quint16 oldPort, quint16 newPort) {
    if (!m_config) {
        return false;
    }
    auto copy = std::make_shared<Config>(*m_config);
    bool moved = false;
    for (ListenAddress& la : copy->gateway.listen) {
        if (la.port == oldPort) {
            la.port = newPort;
            const bool v6 = la.host.find(':') != std::string::npos;
            la.text = (v6 ? "[" + la.host + "]" : la.host) + ":" + std::to_string(newPort);
            moved = true;
        }
    }
    if (moved) {
        m_config = std::move(copy);
    }
    return moved;
}

} // namespace tollgate::ui
