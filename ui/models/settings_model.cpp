#include "models/settings_model.h"

#include "models/config_text.h"

#include <QCoreApplication>
#include <QFont>

namespace tollgate::ui {
namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("SettingsModel", text);
}

QString listenText(const std::vector<ListenAddress>& listen) {
    QStringList parts;
    for (const ListenAddress& la : listen) {
        parts << QString::fromStdString(la.text);
    }
    return parts.isEmpty() ? tr("none") : parts.join(QStringLiteral(", "));
}

QString orDefault(const std::string& value, const QString& fallback) {
    return value.empty() ? fallback : QString::fromStdString(value);
}

} // namespace

std::vector<SettingGroup> settingGroups(const Config& config) {
    const GatewayConfig& g = config.gateway;
    const Limits& l = g.limits;
    std::vector<SettingGroup> groups;
    groups.push_back(
        {tr("Listeners"),
         {{tr("HTTP"), listenText(g.listen), QStringLiteral("gateway.listen")},
          {tr("HTTPS"), listenText(g.tls.listen), QStringLiteral("gateway.tls.listen")},
          {tr("Workers"), g.workers == 0 ? tr("auto (one per core)") : QString::number(g.workers),
           QStringLiteral("gateway.workers")},
          {tr("Drain on stop"), durationText(g.drainTimeout), QStringLiteral("gateway.drain_timeout")},
          {tr("Trusted proxies"), cidrsText(g.trustedProxies, tr("none")),
           QStringLiteral("gateway.trusted_proxies")}}});
    groups.push_back(
        {tr("Request limits"),
         {{tr("URI"), sizeText(l.maxUriBytes), QStringLiteral("gateway.limits.max_uri_bytes")},
          {tr("Header bytes"), sizeText(l.maxHeaderBytes), QStringLiteral("gateway.limits.max_header_bytes")},
          {tr("Header count"), QString::number(l.maxHeaderCount),
           QStringLiteral("gateway.limits.max_header_count")},
          {tr("Body"), sizeText(l.maxBodyBytes), QStringLiteral("gateway.limits.max_body_bytes")},
          {tr("Header timeout"), durationText(l.headerTimeout),
           QStringLiteral("gateway.limits.header_timeout")},
          {tr("Body timeout"), durationText(l.bodyTimeout), QStringLiteral("gateway.limits.body_timeout")},
          {tr("Idle timeout"), durationText(l.idleTimeout), QStringLiteral("gateway.limits.idle_timeout")}}});
    groups.push_back(
        {tr("Store and logs"),
         {{tr("Consumption store"), orDefault(g.store, tr("default (the user's data folder)")),
           QStringLiteral("gateway.store")},
          {tr("Keep minutes"), durationText(g.retention.minutes),
           QStringLiteral("gateway.retention.minutes")},
          {tr("Keep hours"), durationText(g.retention.hours), QStringLiteral("gateway.retention.hours")},
          {tr("Keep days"), durationText(g.retention.days), QStringLiteral("gateway.retention.days")},
          {tr("Access log"), orDefault(g.accessLog, tr("off")), QStringLiteral("gateway.access_log")}}});
    groups.push_back(
        {tr("Administration"),
         {{tr("Admin API"), g.admin.listen ? QString::fromStdString(g.admin.listen->text) : tr("off"),
           QStringLiteral("gateway.admin.listen")},
          {tr("Token variable"), QString::fromStdString(g.admin.tokenEnv),
           QStringLiteral("gateway.admin.token_env")},
          {tr("Cluster"), orDefault(g.cluster.redis, tr("single node")),
           QStringLiteral("gateway.cluster.redis")}}});
    groups.push_back(
        {tr("IP rules"),
         {{tr("Allow"), cidrsText(config.ipRules.allow, tr("any address")), QStringLiteral("ip_rules.allow")},
          {tr("Deny"), cidrsText(config.ipRules.deny, tr("none")), QStringLiteral("ip_rules.deny")}}});
    return groups;
}

SettingsModel::SettingsModel(QObject* parent)
    : GroupedModel({QCoreApplication::translate("SettingsModel", "Setting"),
                    QCoreApplication::translate("SettingsModel", "Value"),
                    QCoreApplication::translate("SettingsModel", "YAML key")},
                   parent) {}

void SettingsModel::setGroups(std::vector<SettingGroup> groups) {
    beginResetModel();
    m_groups = std::move(groups);
    endResetModel();
}

int SettingsModel::groupCount() const {
    return static_cast<int>(m_groups.size());
}

int SettingsModel::childCount(int group) const {
    return static_cast<int>(m_groups[size_t(group)].rows.size());
}

QVariant SettingsModel::groupData(int group, int column, int role) const {
    if (role == Qt::FontRole && column == Setting) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if ((role == Qt::DisplayRole || role == Qt::ToolTipRole) && column == Setting) {
        return m_groups[size_t(group)].title;
    }
    return role == Qt::DisplayRole ? QVariant(QString()) : QVariant();
}

QVariant SettingsModel::childData(int group, int child, int column, int role) const {
    const SettingRow& row = m_groups[size_t(group)].rows[size_t(child)];
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (column) {
    case Setting:
        return row.label;
    case Value:
        return row.value;
    case Key:
        return row.key;
    default:
        return {};
    }
}

} // namespace tollgate::ui
