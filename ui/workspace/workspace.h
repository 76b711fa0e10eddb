#pragma once
// A workspace is one gateway config file open in the console: the document being edited and the
// config the gateway should run from it. Loading reads the file on the calling thread (a local YAML
// file of a few KiB).

#include "document/config_document.h"
#include "tollgate/config.h"

#include <QString>
#include <QStringList>

#include <memory>
#include <utility>
#include <vector>

namespace tollgate::ui {

class Workspace {
public:
    // Loads and validates `path`. False when it does not read or does not validate; problems() says why.
    bool load(const QString& path);

    QString path() const { return m_document.path(); }
    // "demo.yaml" for the window title.
    QString displayName() const;
    bool isLoaded() const { return config() != nullptr; }
    // The newest valid state of the document, with this session's listener moves applied; null when
    // the file never validated. Shared with the engine controller; never modified in place.
    std::shared_ptr<const Config> config() const;
    // Errors and warnings as FILE:LINE:COL: key: message.
    QStringList problems() const {
        return m_loadError.isEmpty() ? m_document.problemTexts() : QStringList{m_loadError};
    }

    ConfigDocument* document() { return &m_document; }
    const ConfigDocument* document() const { return &m_document; }

    // Moves the listener that was on `oldPort` to `newPort` for this session (the file is unchanged),
    // for when the configured port is taken by another program. False when no listener had oldPort.
    bool moveListener(quint16 oldPort, quint16 newPort);

private:
    ConfigDocument m_document;
    QString m_loadError;
    std::vector<std::pair<quint16, quint16>> m_movedPorts; // (configured, used instead)
};

} // namespace tollgate::ui
