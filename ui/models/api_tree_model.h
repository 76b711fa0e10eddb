#pragma once
// APIs and their routes, read from a config: one top-level row per API, one child per route.

#include "models/grouped_model.h"
#include "tollgate/config.h"

#include <vector>

namespace tollgate::ui {

class ApiTreeModel : public GroupedModel {
    Q_OBJECT
public:
    enum Column { Name, Lifecycle, Methods, Path, Access, Service, ColumnCount };

    explicit ApiTreeModel(QObject* parent = nullptr);
    void setApis(std::vector<ApiConfig> apis);
    // The row of route `route` of API `api` (column 0), invalid when out of range.
    QModelIndex routeIndex(int api, int route) const;

protected:
    int groupCount() const override;
    int childCount(int group) const override;
    QVariant groupData(int group, int column, int role) const override;
    QVariant childData(int group, int child, int column, int role) const override;

private:
    std::vector<ApiConfig> m_apis;
};

// The full path pattern of a route: base_path + path without a doubled slash.
QString routePattern(const ApiConfig& api, const RouteConfig& route);

} // namespace tollgate::ui
