#pragma once
// The Plans page: the table of plans and, below, the selected plan's form (name, rate limits, quota,
// price, its grants read-only). Renaming a plan can carry its consumers along in the same undo step.
// UI thread only.

#include "pages/editable_list_page.h"

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace tollgate::ui {

class PlanTableModel;
class ListEditor;

class PlansPage : public EditableListPage {
    Q_OBJECT
public:
    PlansPage(ConfigDocument* doc, PlanTableModel* model, QWidget* parent = nullptr);

    QLineEdit* nameEdit() const { return m_name; }
    // Checked: renaming the plan renames it in its consumers too (one undo step).
    QCheckBox* renameConsumersCheck() const { return m_renameConsumers; }
    ListEditor* rateLimitsEditor() const { return m_rateLimits; }
    QCheckBox* noQuotaCheck() const { return m_noQuota; }
    QLineEdit* quotaRequestsEdit() const { return m_quotaRequests; }
    QComboBox* quotaPerCombo() const { return m_quotaPer; }
    QComboBox* onExceededCombo() const { return m_onExceeded; }
    QLineEdit* currencyEdit() const { return m_currency; }
    QLineEdit* monthlyEdit() const { return m_monthly; }
    QLineEdit* overQuotaEdit() const { return m_overQuota; }
    QPushButton* editPermissionsButton() const { return m_editPermissions; }

signals:
    void editPermissionsRequested();

protected:
    YAML::Node newItem(const YAML::Node& list) const override;
    QString referencesTo(int index) const override;

private:
    void refreshExtras();
    QList<int> consumersOn(const QString& plan) const; // indexes in consumers
    void renameWithConsumers(const QString& text);
    void setNoQuota(bool none);

    QLineEdit* m_name;
    QCheckBox* m_renameConsumers;
    ListEditor* m_rateLimits;
    QCheckBox* m_noQuota;
    QLineEdit* m_quotaRequests;
    QComboBox* m_quotaPer;
    QComboBox* m_onExceeded;
    QLineEdit* m_currency;
    QLineEdit* m_monthly;
    QLineEdit* m_overQuota;
    QLabel* m_grants;
    QLabel* m_consumers;
    QPushButton* m_editPermissions;
    QString m_lastName; // the plan's last non-empty name: what its consumers still say while it is retyped
};

} // namespace tollgate::ui
