#include "models/consumer_table_model.h"

#include "models/config_text.h"

#include <QBrush>
#include <QColor>

namespace tollgate::ui {

ConsumerTableModel::ConsumerTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConsumerTableModel::setConsumers(std::vector<ConsumerConfig> consumers) {
    beginResetModel();
    m_consumers = std::move(consumers);
    endResetModel();
}

int ConsumerTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_consumers.size());
}

int ConsumerTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString credentialText(const CredentialConfig& c) {
    switch (c.type) {
    case CredentialConfig::Type::Key:
        return QStringLiteral("key ") + QString::fromStdString(c.id);
    case CredentialConfig::Type::Jwt:
        return QStringLiteral("jwt ") + QString::fromStdString(c.issuer);
    case CredentialConfig::Type::Mtls:
        return c.id.empty() ? QStringLiteral("mtls") : QStringLiteral("mtls ") + QString::fromStdString(c.id);
    }
    return {};
}

QVariant ConsumerTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const ConsumerConfig& c = m_consumers[size_t(index.row())];
    const bool suspended = c.status == ConsumerConfig::Status::Suspended;
    if (role == Qt::ForegroundRole && index.column() == Status) {
        return QBrush(suspended ? QColor(0xc5, 0x30, 0x30) : QColor(0x2f, 0x85, 0x5a));
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    switch (index.column()) {
    case Name:
        return QString::fromStdString(c.name);
    case Plan:
        return QString::fromStdString(c.plan);
    case Status:
        return suspended ? tr("suspended") : tr("active");
    case Credentials: {
        QStringList parts;
        for (const CredentialConfig& cred : c.credentials) {
            parts << credentialText(cred);
        }
        return parts.join(QStringLiteral(", "));
    }
    case Grants:
        return grantsText(c.grants);
    case Denies:
        return grantsText(c.denies);
    case IpAllow:
        return cidrsText(c.ipAllow);
    default:
        return {};
    }
}

QVariant ConsumerTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Name:
        return tr("Consumer");
    case Plan:
        return tr("Plan");
    case Status:
        return tr("Status");
    case Credentials:
        return tr("Credentials");
    case Grants:
        return tr("Own grants");
    case Denies:
        return tr("Denies");
    case IpAllow:
        return tr("Addresses");
    default:
        return {};
    }
}

} // namespace tollgate::ui
