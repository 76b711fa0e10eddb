#include "pages/apis_page.h"

#include "bridge/engine_controller.h"
#include "models/api_tree_model.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

namespace tollgate::ui {

QStringList httpMethods() {
    return {QStringLiteral("GET"),    QStringLiteral("POST"),   QStringLiteral("PUT"),
            QStringLiteral("PATCH"),  QStringLiteral("DELETE"), QStringLiteral("HEAD"),
            QStringLiteral("OPTIONS")};
}

ApisPage::ApisPage(ApiTreeModel* model, EngineController* controller, QWidget* parent)
    : ModelPage(tr("APIs"),
                tr("What the gateway exposes: each API with its lifecycle, accepted credentials and backend "
                   "service, and its routes with their methods and full paths."),
                model, parent),
      m_model(model), m_controller(controller) {
    setColumnWidths({20, 14, 12, 24, 12});

    auto* tester = new QGroupBox(tr("Path tester"), this);
    auto* row = new QHBoxLayout(tester);
    m_method = new QComboBox(tester);
    m_method->addItems(httpMethods());
    m_path = new QComboBox(tester);
    m_path->setEditable(true);
    m_path->setInsertPolicy(QComboBox::InsertAtTop);
    m_path->lineEdit()->setPlaceholderText(tr("/orders/v1/42"));
    m_path->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    auto* find = new QPushButton(tr("Find route"), tester);
    find->setDefault(true);
    m_result = new QLabel(tr("Which route answers a request? Type a method and a path."), tester);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumWidth(320);
    m_result->setWordWrap(true);
    row->addWidget(m_method);
    row->addWidget(m_path, 2);
    row->addWidget(find);
    row->addWidget(m_result, 3);
    pageLayout()->addWidget(tester);

    auto ask = [this] { testPath(m_method->currentText(), m_path->currentText()); };
    connect(find, &QPushButton::clicked, this, ask);
    connect(m_path->lineEdit(), &QLineEdit::returnPressed, this, ask);
    connect(m_controller, &EngineController::routeMatched, this, &ApisPage::showMatch);
}

void ApisPage::testPath(const QString& method, const QString& path) {
    const QString p = path.trimmed().isEmpty() ? QStringLiteral("/") : path.trimmed();
    m_method->setCurrentText(method);
    m_path->setCurrentText(p);
    m_asked = method + QLatin1Char(' ') + p;
    m_result->setText(tr("Looking up %1…").arg(m_asked));
    m_ticket = m_controller->matchRoute(method, p);
}

void ApisPage::showMatch(quint64 ticket, const RouteMatchResult& match) {
    if (ticket != m_ticket) {
        return; // an older question
    }
    const auto config = m_controller->config();
    switch (match.kind) {
    case RouteMatchResult::Kind::Found: {
        if (!config || size_t(match.apiIndex) >= config->apis.size() ||
            size_t(match.routeIndex) >= config->apis[size_t(match.apiIndex)].routes.size()) {
            return; // the workspace changed while the question was on its way
        }
        const ApiConfig& api = config->apis[size_t(match.apiIndex)];
        const RouteConfig& route = api.routes[size_t(match.routeIndex)];
        m_result->setText(tr("<b>%1</b> is <b>%2 %3 / %4</b> (pattern %5)")
                              .arg(m_asked.toHtmlEscaped(), QString::fromStdString(api.name).toHtmlEscaped(),
                                   QString::fromStdString(api.version).toHtmlEscaped(),
                                   QString::fromStdString(route.name).toHtmlEscaped(),
                                   QString::fromStdString(match.pattern).toHtmlEscaped()));
        const QModelIndex at = proxy()->mapFromSource(m_model->routeIndex(match.apiIndex, match.routeIndex));
        view()->setCurrentIndex(at);
        view()->scrollTo(at);
        break;
    }
    case RouteMatchResult::Kind::MethodNotAllowed:
        m_result->setText(
            tr("<b>%1</b>: the path exists but does not accept this method (405; allowed: %2)")
                .arg(m_asked.toHtmlEscaped(), QString::fromStdString(match.allow).toHtmlEscaped()));
        view()->clearSelection();
        break;
    case RouteMatchResult::Kind::NoRoute:
        m_result->setText(tr("<b>%1</b>: no route matches (404 route.none)").arg(m_asked.toHtmlEscaped()));
        view()->clearSelection();
        break;
    case RouteMatchResult::Kind::BadPath:
        m_result->setText(
            tr("<b>%1</b>: refused before routing (400 %2)")
                .arg(m_asked.toHtmlEscaped(), QString::fromStdString(match.reason).toHtmlEscaped()));
        view()->clearSelection();
        break;
    }
}

} // namespace tollgate::ui
