#pragma once
// Plans as a table: limits, quota, price and what they grant.

#include "tollgate/config.h"

#include <QAbstractTableModel>

#include <vector>

namespace tollgate::ui {

class PlanTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, RateLimits, Quota, Price, Grants, Consumers, ColumnCount };

    explicit PlanTableModel(QObject* parent = nullptr);
    // `consumers` only to count who is on each plan.
    void setPlans(std::vector<PlanConfig> plans, const std::vector<ConsumerConfig>& consumers = {});

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<PlanConfig> m_plans;
    std::vector<int> m_consumerCounts; // parallel to m_plans
};

} // namespace tollgate::ui
