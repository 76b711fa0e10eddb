#pragma once
// APIs and their routes, with a path tester: which route answers "GET /orders/v1/42"?

#include "pages/model_page.h"
#include "tollgate/explain.h"

class QComboBox;
class QLabel;

namespace tollgate::ui {

class ApiTreeModel;
class EngineController;

class ApisPage : public ModelPage {
    Q_OBJECT
public:
    ApisPage(ApiTreeModel* model, EngineController* controller, QWidget* parent = nullptr);

    // Asks the controller; the answer shows below the tree and selects the route.
    void testPath(const QString& method, const QString& path);
    QLabel* resultLabel() const { return m_result; }

private:
    void showMatch(quint64 ticket, const RouteMatchResult& match);

    ApiTreeModel* m_model;
    EngineController* m_controller;
    QComboBox* m_method;
    QComboBox* m_path; // editable, keeps the paths tried
    QLabel* m_result;
    quint64 m_ticket = 0;
    QString m_asked;
};

// Methods offered by the "why?" and path tester combos.
QStringList httpMethods();

} // namespace tollgate::ui
