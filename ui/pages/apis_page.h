#pragma once
// APIs: the tree of APIs and their routes with a path tester ("which route answers GET
// /orders/v1/42?"), and a form editing the selected API: lifecycle, base path, service, accepted
// credentials, per-address limits, and its routes with their methods.

#include "pages/editable_list_page.h"
#include "tollgate/explain.h"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;

namespace tollgate::ui {

class ApiTreeModel;
class EngineController;
class ListEditor;

class ApisPage : public EditableListPage {
    Q_OBJECT
public:
    ApisPage(ApiTreeModel* model, EngineController* controller, ConfigDocument* doc,
             QWidget* parent = nullptr);

    // Asks the controller; the answer shows below the tree and selects the route.
    void testPath(const QString& method, const QString& path);
    QLabel* resultLabel() const { return m_result; }
    ListEditor* routes() const { return m_routes; }
    QCheckBox* authCheck(const QString& type) const;

protected:
    YAML::Node newItem(const YAML::Node& list) const override;
    YAML::Node duplicateItem(const YAML::Node& item, const YAML::Node& list) const override;
    QString referencesTo(int index) const override;
    void onItemSelected(const QModelIndex& current) override;

private:
    void buildTester();
    void buildGeneral(QFormLayout* form);
    void buildAccess(QFormLayout* form);
    void showMatch(quint64 ticket, const RouteMatchResult& match);
    void onRefreshed();
    void setAuth(const QString& type, bool on);

    ApiTreeModel* m_model;
    EngineController* m_controller;
    QComboBox* m_method = nullptr;
    QComboBox* m_path = nullptr; // editable, keeps the paths tried
    QLabel* m_result = nullptr;
    quint64 m_ticket = 0;
    QString m_asked;
    QComboBox* m_service = nullptr;
    QList<QCheckBox*> m_auth;
    ListEditor* m_routes = nullptr;
};

// Methods offered by the "why?" and path tester combos and the route editor.
QStringList httpMethods();

} // namespace tollgate::ui
