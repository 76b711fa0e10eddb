#pragma once
// Services: the tree of services and their targets, and a form editing the selected service (name,
// targets and weights, balancing, timeouts, retries, active and passive health, upstream TLS).

#include "pages/editable_list_page.h"

class QCheckBox;
class QComboBox;
class QFormLayout;

namespace tollgate::ui {

class ListEditor;
class ServiceTreeModel;

class ServicesPage : public EditableListPage {
    Q_OBJECT
public:
    ServicesPage(ServiceTreeModel* model, ConfigDocument* doc, QWidget* parent = nullptr);

    ListEditor* targets() const { return m_targets; }
    QCheckBox* healthCheck() const { return m_health; }

protected:
    YAML::Node newItem(const YAML::Node& list) const override;
    QString referencesTo(int index) const override;

private:
    void buildGeneral(QFormLayout* form);
    void buildHealth(QFormLayout* form);
    void onRefreshed();
    void setHealth(bool on);

    QComboBox* m_balance = nullptr;
    QWidget* m_hashRow = nullptr;
    QFormLayout* m_generalForm = nullptr;
    QCheckBox* m_health = nullptr;
    QList<QWidget*> m_healthFields;
    ListEditor* m_targets = nullptr;
};

} // namespace tollgate::ui
