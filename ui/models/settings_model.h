#pragma once
// The gateway section of a config (and the gateway-wide IP rules) as groups of key/value rows,
// each row naming the YAML key it comes from.

#include "models/grouped_model.h"
#include "tollgate/config.h"

#include <vector>

namespace tollgate::ui {

struct SettingRow {
    QString label; // "Max URI"
    QString value; // "8KiB"
    QString key;   // "gateway.limits.max_uri_bytes"
};

struct SettingGroup {
    QString title;
    std::vector<SettingRow> rows;
};

// Plain values, so the model can be fed (and tested) without a config.
std::vector<SettingGroup> settingGroups(const Config& config);

class SettingsModel : public GroupedModel {
    Q_OBJECT
public:
    enum Column { Setting, Value, Key, ColumnCount };

    explicit SettingsModel(QObject* parent = nullptr);
    void setGroups(std::vector<SettingGroup> groups);

protected:
    int groupCount() const override;
    int childCount(int group) const override;
    QVariant groupData(int group, int column, int role) const override;
    QVariant childData(int group, int child, int column, int role) const override;

private:
    std::vector<SettingGroup> m_groups;
};

} // namespace tollgate::ui
