#include "workspace/workspace.h"

#include <QFileInfo>

namespace tollgate::ui {
namespace {

bool movePort(Config& config, quint16 oldPort, quint16 newPort) {
    bool moved = false;
    for (ListenAddress& la : config.gateway.listen) {
        if (la.port == oldPort) {
            la.port = newPort;
            const bool v6 = la.host.find(':') != std::string::npos;
            la.text = (v6 ? "[" + la.host + "]" : la.host) + ":" + std::to_string(newPort);
            moved = true;
        }
    }
    return moved;
}

} // namespace

bool Workspace::load(const QString& path) {
    m_movedPorts.clear();
    m_loadError.clear();
    if (!m_document.load(QFileInfo(path).absoluteFilePath(), &m_loadError)) {
        return false;
    }
    return m_document.isValid();
}

QString Workspace::displayName() const {
    return QFileInfo(path()).fileName();
}

std::shared_ptr<const Config> Workspace::config() const {
    std::shared_ptr<const Config> base = m_document.config();
    if (!base || m_movedPorts.empty()) {
        return base;
    }
    auto copy = std::make_shared<Config>(*base);
    for (const auto& [from, to] : m_movedPorts) {
        movePort(*copy, from, to);
    }
    return copy;
}

bool Workspace::moveListener(quint16 oldPort, quint16 newPort) {
    const std::shared_ptr<const Config> current = config();
    if (!current) {
        return false;
    }
    Config probe = *current;
    if (!movePort(probe, oldPort, newPort)) {
        return false;
    }
    m_movedPorts.emplace_back(oldPort, newPort);
    return true;
}

} // namespace tollgate::ui
