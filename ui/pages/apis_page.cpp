#include "pages/apis_page.h"

#include "bridge/engine_controller.h"
#include "document/config_document.h"
#include "document/form_binder.h"
#include "models/api_tree_model.h"
#include "widgets/form_section.h"
#include "widgets/list_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableWidget>
#include <QTreeView>
#include <QVBoxLayout>

namespace tollgate::ui {
namespace {

const QStringList kAuthTypes = {QStringLiteral("key"), QStringLiteral("jwt"), QStringLiteral("mtls")};

QStringList names(const YAML::Node& list) {
    QStringList out;
    if (list.IsSequence()) {
        for (const YAML::Node& item : list) {
            const YAML::Node name = childOf(item, "name");
            if (name.IsScalar()) {
                out << QString::fromStdString(name.Scalar());
            }
        }
    }
    return out;
}

// "/name/version": a base path of its own, so a new or copied API's routes overlap no other's.
std::string basePathFor(const QString& name, const YAML::Node& version) {
    QString path = QLatin1Char('/') + name;
    if (version.IsScalar() && !version.Scalar().empty()) {
        path += QLatin1Char('/') + QString::fromStdString(version.Scalar());
    }
    return path.toStdString();
}

} // namespace

QStringList httpMethods() {
    return {QStringLiteral("GET"),    QStringLiteral("POST"),   QStringLiteral("PUT"),
            QStringLiteral("PATCH"),  QStringLiteral("DELETE"), QStringLiteral("HEAD"),
            QStringLiteral("OPTIONS")};
}

ApisPage::ApisPage(ApiTreeModel* model, EngineController* controller, ConfigDocument* doc, QWidget* parent)
    : EditableListPage(
          tr("APIs"),
          tr("What the gateway exposes: each API with its lifecycle, accepted credentials and backend "
             "service, and its routes with their methods and full paths."),
          model, doc, QStringLiteral("apis"), tr("API"), parent),
      m_model(model), m_controller(controller) {
    setColumnWidths({20, 14, 12, 24, 12});
    buildTester();

    auto [left, right] = addFormColumns(formLayout());
    buildGeneral(addFormSection(left, tr("General"), formWidget()));
    buildAccess(addFormSection(right, tr("Access"), formWidget()));

    addFormSection(right, tr("Limits per client address"), formWidget());
    auto* limits = new ListEditor(
        binder(), QStringLiteral("limits_per_ip"),
        {{tr("Requests"), QStringLiteral("requests")}, {tr("Per"), QStringLiteral("per")}},
        [](const YAML::Node& list) {
            YAML::Node limit(YAML::NodeType::Map);
            limit.SetStyle(YAML::EmitterStyle::Flow);
            limit["requests"] = 10;
            // One limit per unit: offer the first unit not used yet.
            for (const char* unit : {"second", "minute", "hour", "day"}) {
                if (uniqueName(list, QLatin1String(unit), QStringLiteral("per"), true) ==
                    QLatin1String(unit)) {
                    limit["per"] = unit;
                    return limit;
                }
            }
            limit["per"] = "second";
            return limit;
        },
        tr("limit"), formWidget());
    limits->setHint(tr("For anonymous callers of a public API: N per second, minute, hour or day."));
    right->addWidget(limits);
    // Each column keeps its sections together at the top, whatever the other column's height.
    left->addStretch(1);
    right->addStretch(1);

    addFormSection(formLayout(), tr("Routes"), formWidget());
    QList<ListColumn> routeColumns = {{tr("Name"), QStringLiteral("name"), ListColumn::Kind::Text, {}, 16},
                                      {tr("Path"), QStringLiteral("path")}};
    for (const QString& m : httpMethods()) {
        routeColumns.append({m, QStringLiteral("methods"), ListColumn::Kind::Flag, m});
    }
    m_routes = new ListEditor(
        binder(), QStringLiteral("routes"), routeColumns,
        [](const YAML::Node& list) {
            YAML::Node route(YAML::NodeType::Map);
            route.SetStyle(YAML::EmitterStyle::Flow);
            const QString name = uniqueName(list, QStringLiteral("route"));
            route["name"] = name.toStdString();
            YAML::Node methods(YAML::NodeType::Sequence);
            methods.SetStyle(YAML::EmitterStyle::Flow);
            methods.push_back("GET");
            route["methods"] = methods;
            route["path"] = (QLatin1Char('/') + name).toStdString();
            return route;
        },
        tr("route"), formWidget());
    m_routes->setObjectName(QStringLiteral("routes"));
    m_routes->setReorderable(true);
    m_routes->setHint(
        tr("Paths are relative to the base path: /, /{id}, /files/*. No method ticked: the route "
           "answers every method; GET also answers HEAD."));
    formLayout()->addWidget(m_routes);
    formLayout()->addStretch(1);

    connect(binder(), &FormBinder::refreshed, this, &ApisPage::onRefreshed);
    binder()->refresh();
}

void ApisPage::buildTester() {
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
    m_result->setMinimumWidth(m_result->fontMetrics().averageCharWidth() * 36);
    m_result->setWordWrap(true);
    row->addWidget(m_method);
    row->addWidget(m_path, 2);
    row->addWidget(find);
    row->addWidget(m_result, 3);
    treeColumn()->addWidget(tester);

    auto ask = [this] { testPath(m_method->currentText(), m_path->currentText()); };
    connect(find, &QPushButton::clicked, this, ask);
    connect(m_path->lineEdit(), &QLineEdit::returnPressed, this, ask);
    connect(m_controller, &EngineController::routeMatched, this, &ApisPage::showMatch);
}

void ApisPage::buildGeneral(QFormLayout* form) {
    auto line = [&](const QString& key, const QString& placeholder, const QString& title,
                    const QString& label) {
        form->addRow(title, binder()->bindLine(makeLine(key, placeholder, formWidget()), key, label));
    };
    line(QStringLiteral("name"), tr("required"), tr("Name:"), tr("Rename API"));
    line(QStringLiteral("version"), tr("none"), tr("Version:"), tr("Change version"));
    auto* lifecycle = new QComboBox(formWidget());
    lifecycle->setObjectName(QStringLiteral("lifecycle"));
    lifecycle->addItems({QStringLiteral("draft"), QStringLiteral("published"), QStringLiteral("deprecated"),
                         QStringLiteral("retired")});
    lifecycle->setPlaceholderText(tr("published (default)"));
    lifecycle->setToolTip(
        tr("draft answers 404, retired 410; deprecated adds Deprecation and Sunset headers"));
    form->addRow(tr("Lifecycle:"),
                 binder()->bindCombo(lifecycle, QStringLiteral("lifecycle"), tr("Change lifecycle")));
    QLineEdit* sunset = makeLine(QStringLiteral("sunset"), tr("YYYY-MM-DD"), formWidget());
    sunset->setToolTip(tr("Sent in the Sunset header while the API is deprecated"));
    form->addRow(tr("Sunset:"), binder()->bindLine(sunset, QStringLiteral("sunset"), tr("Change sunset")));
    line(QStringLiteral("base_path"), tr("/ (default)"), tr("Base path:"), tr("Change base path"));
    m_service = new QComboBox(formWidget());
    m_service->setObjectName(QStringLiteral("service"));
    m_service->setEditable(true); // shows a name that is not (yet) a service, with the loader's message
    m_service->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_service->lineEdit()->setPlaceholderText(tr("required"));
    form->addRow(tr("Service:"),
                 binder()->bindCombo(m_service, QStringLiteral("service"), tr("Change service")));
    auto* strip = new QCheckBox(tr("Forward without the base path"), formWidget());
    strip->setObjectName(QStringLiteral("strip_base_path"));
    form->addRow(QString(), binder()->bindCheck(strip, QStringLiteral("strip_base_path"),
                                                tr("Change base path stripping"), false));
}

void ApisPage::buildAccess(QFormLayout* form) {
    auto* auth = new QWidget(formWidget());
    auto* column = new QVBoxLayout(auth);
    column->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    row->setSpacing(14);
    const QStringList titles = {tr("API key"), tr("JWT"), tr("Client certificate (mTLS)")};
    for (int i = 0; i < kAuthTypes.size(); ++i) {
        auto* check = new QCheckBox(titles[i], auth);
        check->setObjectName(QStringLiteral("auth.") + kAuthTypes[i]);
        connect(check, &QCheckBox::clicked, this, [this, i](bool on) { setAuth(kAuthTypes[i], on); });
        row->addWidget(check);
        m_auth << check;
    }
    row->addStretch(1);
    column->addLayout(row);
    QLabel* message = binder()->messageFor(QStringLiteral("auth"));
    message->setParent(auth);
    column->addWidget(message);
    form->addRow(tr("Credentials:"), auth);
    auto check = [&](const QString& key, const QString& text, const QString& label) {
        auto* box = new QCheckBox(text, formWidget());
        box->setObjectName(key);
        form->addRow(QString(), binder()->bindCheck(box, key, label, false));
    };
    check(QStringLiteral("public"), tr("Public: no credentials needed"), tr("Change public"));
    check(QStringLiteral("key_in_query"), tr("Accept an API key in the query string"),
          tr("Change key in query"));
}

QCheckBox* ApisPage::authCheck(const QString& type) const {
    const auto i = kAuthTypes.indexOf(type);
    return i < 0 ? nullptr : m_auth[i];
}

void ApisPage::setAuth(const QString& type, bool on) {
    if (currentItem() < 0) {
        return;
    }
    const QString key = binder()->absoluteKey(QStringLiteral("auth"));
    const YAML::Node old = document()->node(key);
    YAML::Node list(YAML::NodeType::Sequence);
    list.SetStyle(YAML::EmitterStyle::Flow);
    if (old.IsSequence()) {
        for (const YAML::Node& n : old) {
            if (!(n.IsScalar() && QString::fromStdString(n.Scalar()) == type)) {
                list.push_back(YAML::Clone(n));
            }
        }
    }
    if (on) {
        list.push_back(type.toStdString());
    }
    const QString label = on ? tr("Accept %1").arg(type) : tr("Refuse %1").arg(type);
    // No type left: drop the key, so the loader warns that nobody can pass (unless public).
    if (list.size() == 0) {
        document()->remove(key, label);
    } else {
        document()->setNode(key, list, label);
    }
}

void ApisPage::onRefreshed() {
    const bool open = currentItem() >= 0;
    const YAML::Node auth =
        open ? document()->node(binder()->absoluteKey(QStringLiteral("auth"))) : YAML::Node();
    for (int i = 0; i < kAuthTypes.size(); ++i) {
        bool on = false;
        if (auth.IsSequence()) {
            for (const YAML::Node& n : auth) {
                on = on || (n.IsScalar() && QString::fromStdString(n.Scalar()) == kAuthTypes[i]);
            }
        }
        m_auth[i]->setEnabled(open);
        m_auth[i]->setChecked(on);
    }
    // The service combo offers the services of the document as it is now.
    const QStringList services = names(document()->node(QStringLiteral("services")));
    QStringList offered;
    for (int i = 0; i < m_service->count(); ++i) {
        offered << m_service->itemText(i);
    }
    if (offered != services) {
        const QString value = document()->scalar(binder()->absoluteKey(QStringLiteral("service")));
        m_service->clear();
        m_service->addItems(services);
        m_service->setCurrentIndex(services.indexOf(value));
        m_service->setEditText(value);
    }
}

YAML::Node ApisPage::newItem(const YAML::Node& list) const {
    const QString name = uniqueName(list, QStringLiteral("api"));
    YAML::Node api;
    api["name"] = name.toStdString();
    api["version"] = "v1";
    api["lifecycle"] = "draft"; // answers 404 until published
    api["base_path"] = basePathFor(name, api["version"]);
    const QStringList services = names(document()->node(QStringLiteral("services")));
    if (!services.isEmpty()) {
        api["service"] = services.first().toStdString();
    }
    YAML::Node auth(YAML::NodeType::Sequence);
    auth.SetStyle(YAML::EmitterStyle::Flow);
    auth.push_back("key");
    api["auth"] = auth;
    YAML::Node route(YAML::NodeType::Map);
    route.SetStyle(YAML::EmitterStyle::Flow);
    route["name"] = "root";
    YAML::Node methods(YAML::NodeType::Sequence);
    methods.SetStyle(YAML::EmitterStyle::Flow);
    methods.push_back("GET");
    route["methods"] = methods;
    route["path"] = "/";
    api["routes"].push_back(route);
    return api;
}

YAML::Node ApisPage::duplicateItem(const YAML::Node& item, const YAML::Node& list) const {
    YAML::Node copy = EditableListPage::duplicateItem(item, list);
    copy["base_path"] = basePathFor(QString::fromStdString(copy["name"].Scalar()), childOf(item, "version"));
    return copy;
}

QString ApisPage::referencesTo(int index) const {
    const QString name = document()->scalar(QStringLiteral("apis[%1].name").arg(index));
    QStringList users;
    for (const char* section : {"plans", "consumers"}) {
        const YAML::Node list = document()->node(QLatin1String(section));
        if (!list.IsSequence()) {
            continue;
        }
        for (const YAML::Node& item : list) {
            for (const char* key : {"grants", "denies"}) {
                const YAML::Node grants = childOf(item, key);
                bool named = false;
                if (grants.IsSequence()) {
                    for (const YAML::Node& g : grants) {
                        const YAML::Node api = childOf(g, "api");
                        named = named || (api.IsScalar() && QString::fromStdString(api.Scalar()) == name);
                    }
                }
                const YAML::Node who = childOf(item, "name");
                if (named && who.IsScalar()) {
                    users << QString::fromStdString(who.Scalar());
                    break;
                }
            }
        }
    }
    users.removeDuplicates();
    return users.isEmpty()
               ? QString()
               : tr("Plans and consumers grant or deny it: %1.").arg(users.join(QStringLiteral(", ")));
}

void ApisPage::onItemSelected(const QModelIndex& current) {
    // A route picked in the tree (or by the path tester) is picked in the routes table too.
    if (current.parent().isValid()) {
        m_routes->table()->setCurrentCell(current.row(), 0);
    }
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
