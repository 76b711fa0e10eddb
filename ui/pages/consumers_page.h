#pragma once
// The Consumers page: the table of consumers and, below, the selected consumer's form (name, plan,
// status, allowed addresses, credentials with key issuing, its grants read-only). UI thread only.

#include "pages/editable_list_page.h"

class QComboBox;
class QLineEdit;

namespace tollgate::ui {

class ConsumerCredentialsEditor;
class ConsumerTableModel;
class ListEditor;

class ConsumersPage : public EditableListPage {
    Q_OBJECT
public:
    ConsumersPage(ConfigDocument* doc, ConsumerTableModel* model, QWidget* parent = nullptr);

    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* planCombo() const { return m_plan; }
    QComboBox* statusCombo() const { return m_status; }
    ListEditor* ipAllowEditor() const { return m_ipAllow; }
    ConsumerCredentialsEditor* credentials() const { return m_credentials; }
    QPushButton* editPermissionsButton() const { return m_editPermissions; }

signals:
    // "Edit in Permissions": the window switches to the Permissions page.
    void editPermissionsRequested();

protected:
    YAML::Node newItem(const YAML::Node& list) const override;
    YAML::Node duplicateItem(const YAML::Node& item, const YAML::Node& list) const override;

private:
    void refreshExtras();

    QLineEdit* m_name;
    QComboBox* m_plan;
    QComboBox* m_status;
    ListEditor* m_ipAllow;
    ConsumerCredentialsEditor* m_credentials;
    QLabel* m_grants;
    QPushButton* m_editPermissions;
};

} // namespace tollgate::ui
