#include "models/service_tree_model.h"

#include "models/config_text.h"

#include <QFont>

namespace tollgate::ui {

ServiceTreeModel::ServiceTreeModel(QObject* parent)
    : GroupedModel(
          {tr("Service / target"), tr("Weight"), tr("Balance"), tr("Timeouts"), tr("Retries"), tr("Health")},
          parent) {}

void ServiceTreeModel::setServices(std::vector<ServiceConfig> services) {
    beginResetModel();
    m_services = std::move(services);
    endResetModel();
}

int ServiceTreeModel::groupCount() const {
    return static_cast<int>(m_services.size());
}

int ServiceTreeModel::childCount(int group) const {
    return static_cast<int>(m_services[size_t(group)].targets.size());
}

QVariant ServiceTreeModel::groupData(int group, int column, int role) const {
    const ServiceConfig& s = m_services[size_t(group)];
    if (role == Qt::FontRole && column == Name) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (column) {
    case Name:
        return QString::fromStdString(s.name);
    case Weight:
        return QString();
    case Balance: {
        QString text = balanceText(s.balance);
        if (s.balance == tollgate::Balance::ConsistentHash) {
            text += tr(" on %1").arg(QString::fromStdString(s.hashOn));
        }
        return text;
    }
    case Timeouts:
        return tr("connect %1, read %2").arg(durationText(s.connectTimeout), durationText(s.readTimeout));
    case Retries:
        return s.retries;
    case Health: {
        QString passive = tr("eject after %1 failures for %2")
                              .arg(s.passive.failures)
                              .arg(durationText(s.passive.ejectFor));
        if (!s.health) {
            return passive;
        }
        return tr("%1 every %2; %3")
            .arg(QString::fromStdString(s.health->path), durationText(s.health->interval), passive);
    }
    default:
        return {};
    }
}

QVariant ServiceTreeModel::childData(int group, int child, int column, int role) const {
    const TargetConfig& t = m_services[size_t(group)].targets[size_t(child)];
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (column) {
    case Name:
        return QString::fromStdString(t.url);
    case Weight:
        return t.weight;
    default:
        return QString();
    }
}

} // namespace tollgate::ui
