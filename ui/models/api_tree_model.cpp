#include "models/api_tree_model.h"

#include "models/config_text.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace tollgate::ui {

ApiTreeModel::ApiTreeModel(QObject* parent)
    : GroupedModel(
          {tr("API / route"), tr("Lifecycle"), tr("Methods"), tr("Path"), tr("Access"), tr("Service")},
          parent) {}

void ApiTreeModel::setApis(std::vector<ApiConfig> apis) {
    beginResetModel();
    m_apis = std::move(apis);
    endResetModel();
}

QModelIndex ApiTreeModel::routeIndex(int api, int route) const {
    if (api < 0 || api >= groupCount() || route < 0 || route >= childCount(api)) {
        return {};
    }
    return index(route, 0, index(api, 0));
}

int ApiTreeModel::groupCount() const {
    return static_cast<int>(m_apis.size());
}

int ApiTreeModel::childCount(int group) const {
    return static_cast<int>(m_apis[size_t(group)].routes.size());
}

QString routePattern(const ApiConfig& api, const RouteConfig& route) {
    QString base = QString::fromStdString(api.basePath);
    while (base.endsWith(QLatin1Char('/'))) {
        base.chop(1);
    }
    return base + QString::fromStdString(route.path);
}

QVariant ApiTreeModel::groupData(int group, int column, int role) const {
    const ApiConfig& api = m_apis[size_t(group)];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (column) {
        case Name:
            return api.version.empty() ? QString::fromStdString(api.name)
                                       : QStringLiteral("%1  %2").arg(QString::fromStdString(api.name),
                                                                      QString::fromStdString(api.version));
        case Lifecycle: {
            QString text = lifecycleText(api.lifecycle);
            if (!api.sunset.empty()) {
                text += tr(", sunset %1").arg(QString::fromStdString(api.sunset));
            }
            return text;
        }
        case Methods:
            return QString();
        case Path:
            return QString::fromStdString(api.basePath);
        case Access:
            return api.isPublic ? tr("public") : joined(api.auth);
        case Service:
            return QString::fromStdString(api.service);
        default:
            return {};
        }
    }
    if (role == Qt::FontRole && column == Name) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role == Qt::ForegroundRole && column == Lifecycle) {
        switch (api.lifecycle) {
        case tollgate::Lifecycle::Deprecated:
            return QBrush(QColor(0xb7, 0x79, 0x1f));
        case tollgate::Lifecycle::Retired:
        case tollgate::Lifecycle::Draft:
            return QBrush(QColor(0x71, 0x80, 0x96));
        case tollgate::Lifecycle::Published:
            return QBrush(QColor(0x2f, 0x85, 0x5a));
        }
    }
    return {};
}

QVariant ApiTreeModel::childData(int group, int child, int column, int role) const {
    const ApiConfig& api = m_apis[size_t(group)];
    const RouteConfig& route = api.routes[size_t(child)];
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (column) {
    case Name:
        return QString::fromStdString(route.name);
    case Methods:
        return methodsText(route.methods);
    case Path:
        return routePattern(api, route);
    case Access:
        return route.hosts.empty() ? QString() : tr("hosts: %1").arg(joined(route.hosts));
    default:
        return QString();
    }
}

} // namespace tollgate::ui
