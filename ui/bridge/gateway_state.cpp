#include "bridge/gateway_state.h"

#include <QCoreApplication>

namespace tollgate::ui {

QString stateText(GatewayState state) {
    switch (state) {
    case GatewayState::Stopped:
        return QCoreApplication::translate("GatewayState", "Stopped");
    case GatewayState::Starting:
        return QCoreApplication::translate("GatewayState", "Starting");
    case GatewayState::Running:
        return QCoreApplication::translate("GatewayState", "Running");
    case GatewayState::Stopping:
        return QCoreApplication::translate("GatewayState", "Stopping");
    case GatewayState::Failed:
        return QCoreApplication::translate("GatewayState", "Failed");
    }
    return {};
}

} // namespace tollgate::ui
