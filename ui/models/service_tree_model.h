#pragma once
// Services and their targets, read from a config: one top-level row per service, one child per target.

#include "models/grouped_model.h"
#include "tollgate/config.h"

#include <vector>

namespace tollgate::ui {

class ServiceTreeModel : public GroupedModel {
    Q_OBJECT
public:
    enum Column { Name, Weight, Balance, Timeouts, Retries, Health, ColumnCount };

    explicit ServiceTreeModel(QObject* parent = nullptr);
    void setServices(std::vector<ServiceConfig> services);

protected:
    int groupCount() const override;
    int childCount(int group) const override;
    QVariant groupData(int group, int column, int role) const override;
    QVariant childData(int group, int child, int column, int role) const override;

private:
    std::vector<ServiceConfig> m_services;
};

} // namespace tollgate::ui
