#include "models/plan_table_model.h"

#include "models/config_text.h"

namespace tollgate::ui {

PlanTableModel::PlanTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void PlanTableModel::setPlans(std::vector<PlanConfig> plans, const std::vector<ConsumerConfig>& consumers) {
    beginResetModel();
    m_plans = std::move(plans);
    m_consumerCounts.assign(m_plans.size(), 0);
    for (size_t i = 0; i < m_plans.size(); ++i) {
        for (const ConsumerConfig& c : consumers) {
            m_consumerCounts[i] += c.plan == m_plans[i].name ? 1 : 0;
        }
    }
    endResetModel();
}

int PlanTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_plans.size());
}

int PlanTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PlanTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) {
        return {};
    }
    const PlanConfig& p = m_plans[size_t(index.row())];
    switch (index.column()) {
    case Name:
        return QString::fromStdString(p.name);
    case RateLimits:
        return rateLimitsText(p.rateLimits);
    case Quota:
        return p.quota ? quotaText(*p.quota) : tr("none");
    case Price:
        return priceText(p.price);
    case Grants:
        return grantsText(p.grants);
    case Consumers:
        return m_consumerCounts[size_t(index.row())];
    default:
        return {};
    }
}

QVariant PlanTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Name:
        return tr("Plan");
    case RateLimits:
        return tr("Rate limits");
    case Quota:
        return tr("Quota");
    case Price:
        return tr("Price");
    case Grants:
        return tr("Grants");
    case Consumers:
        return tr("Consumers");
    default:
        return {};
    }
}

} // namespace tollgate::ui
