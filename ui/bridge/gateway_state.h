#pragma once
// The embedded gateway's lifecycle as the console shows it.

#include <QMetaType>
#include <QString>

namespace tollgate::ui {

enum class GatewayState { Stopped, Starting, Running, Stopping, Failed };

// "Running", "Stopped"... for the status bar.
QString stateText(GatewayState state);

} // namespace tollgate::ui

Q_DECLARE_METATYPE(tollgate::ui::GatewayState)
