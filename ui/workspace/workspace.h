#pragma once
// A workspace is one gateway config file: its path, the config loaded from it and what is wrong
// with it. Loading reads the file on the calling thread (a local YAML file of a few KiB).

#include "tollgate/config.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace tollgate::ui {

class Workspace {
public:
    // Loads and validates `path`. On failure the previous config is dropped and errors() says why.
    bool load(const QString& path);

    QString path() const { return m_path; }
    // "demo.yaml" for the window title.
    QString displayName() const;
    bool isLoaded() const { return m_config != nullptr; }
    // Null when the file did not load. Shared with the engine controller; never modified in place.
    std::shared_ptr<const Config> config() const { return m_config; }
    // Errors and warnings as FILE:LINE:COL: key: message.
    QStringList problems() const { return m_problems; }

    // Moves the listener that was on `oldPort` to `newPort` for this session (the file is unchanged),
    // for when the configured port is taken by another program. False when no listener had oldPort.
    bool moveListener(quint16 oldPort, quint16 newPort);

private:
    QString m_path;
    std::shared_ptr<const Config> m_config;
    QStringList m_problems;
};

} // namespace tollgate::ui
