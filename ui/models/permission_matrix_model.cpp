#include "models/permission_matrix_model.h"

#include "document/config_document.h"
#include "models/api_tree_model.h"

#include <QFont>

namespace tollgate::ui {
namespace {

QString apiLabel(const ApiConfig& api) {
    return QString::fromStdString(api.version.empty() ? api.name : api.name + " " + api.version);
}

bool covered(MethodMask have, MethodMask chip) {
    return (have & chip) == chip;
}

} // namespace

PermissionMatrixModel::PermissionMatrixModel(ConfigDocument* document, QObject* parent)
    : QAbstractItemModel(parent), m_document(document) {
    connect(m_document, &ConfigDocument::changed, this, &PermissionMatrixModel::rebuild);
    rebuild();
}

void PermissionMatrixModel::setSubjects(Subjects kind) {
    if (kind == m_kind) {
        return;
    }
    beginResetModel();
    m_kind = kind;
    m_subjects.clear();
    endResetModel();
    rebuild();
}

void PermissionMatrixModel::rebuild() {
    std::shared_ptr<const Config> config = m_document->config();
    const Config empty;
    const Config& c = config ? *config : empty;
    std::vector<RouteRef> routes = routeRefs(c);
    std::vector<int> firstRoute;
    std::vector<QString> rowKeys;
    for (size_t a = 0, flat = 0; a < c.apis.size(); ++a) {
        firstRoute.push_back(int(flat));
        rowKeys.push_back(apiLabel(c.apis[a]));
        for (const RouteConfig& r : c.apis[a].routes) {
            rowKeys.push_back(apiLabel(c.apis[a]) + QLatin1Char('/') + QString::fromStdString(r.name));
            ++flat;
        }
    }

    std::vector<Subject> subjects;
    if (m_kind == Subjects::Plans) {
        for (const PlanConfig& p : c.plans) {
            Subject s;
            s.name = QString::fromStdString(p.name);
            const auto users = std::count_if(c.consumers.begin(), c.consumers.end(),
                                             [&](const ConsumerConfig& cc) { return cc.plan == p.name; });
            s.detail = users == 1 ? tr("1 consumer") : tr("%1 consumers").arg(users);
            s.tooltip = tr("Plan %1: what its consumers may call (%2)").arg(s.name, s.detail);
            s.plan = grantMasks(c, p.grants, routes);
            subjects.push_back(std::move(s));
        }
    } else {
        for (const ConsumerConfig& cc : c.consumers) {
            Subject s;
            s.name = QString::fromStdString(cc.name);
            s.suspended = cc.status == ConsumerConfig::Status::Suspended;
            s.detail = QString::fromStdString(cc.plan) + (s.suspended ? tr(", suspended") : QString());
            s.tooltip =
                tr("Consumer %1 on plan %2").arg(s.name, QString::fromStdString(cc.plan)) +
                (s.suspended ? tr(" (suspended: every call answers 403 until it is active)") : QString());
            const auto plan = std::find_if(c.plans.begin(), c.plans.end(),
                                           [&](const PlanConfig& p) { return p.name == cc.plan; });
            s.plan = plan == c.plans.end() ? std::vector<MethodMask>(routes.size(), 0)
                                           : grantMasks(c, plan->grants, routes);
            s.grants = grantMasks(c, cc.grants, routes);
            s.denies = grantMasks(c, cc.denies, routes);
            subjects.push_back(std::move(s));
        }
    }
    std::vector<QString> names;
    for (const Subject& s : subjects) {
        names.push_back(s.name);
    }

    const bool same = structureMatches(rowKeys, names);
    if (!same) {
        beginResetModel();
    }
    m_config = std::move(config);
    m_routes = std::move(routes);
    m_firstRoute = std::move(firstRoute);
    m_rowKeys = std::move(rowKeys);
    m_subjects = std::move(subjects);
    if (!same) {
        endResetModel();
        return;
    }
    // Same rows and columns: refresh the cells in place so the view keeps what is expanded and selected.
    const int last = columnCount() - 1;
    for (int a = 0; a < rowCount(); ++a) {
        const QModelIndex api = index(a, 0);
        emit dataChanged(api, index(a, last));
        if (rowCount(api) > 0) {
            emit dataChanged(index(0, 0, api), index(rowCount(api) - 1, last, api));
        }
    }
    emit headerDataChanged(Qt::Horizontal, 0, last);
}

bool PermissionMatrixModel::structureMatches(const std::vector<QString>& rowKeys,
                                             const std::vector<QString>& subjects) const {
    if (rowKeys != m_rowKeys || subjects.size() != m_subjects.size()) {
        return false;
    }
    for (size_t i = 0; i < subjects.size(); ++i) {
        if (subjects[i] != m_subjects[i].name) {
            return false;
        }
    }
    return true;
}

QModelIndex PermissionMatrixModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) {
        return {};
    }
    // internalId: 0 for an API row, the API's row + 1 for a route row.
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex PermissionMatrixModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == 0) {
        return {};
    }
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int PermissionMatrixModel::rowCount(const QModelIndex& parent) const {
    if (!m_config) {
        return 0;
    }
    if (!parent.isValid()) {
        return int(m_config->apis.size());
    }
    if (parent.internalId() != 0 || parent.column() != 0) {
        return 0;
    }
    return int(m_config->apis[size_t(parent.row())].routes.size());
}

int PermissionMatrixModel::columnCount(const QModelIndex&) const {
    return FirstSubjectColumn + int(m_subjects.size());
}

int PermissionMatrixModel::flatRoute(const QModelIndex& cell) const {
    if (!cell.isValid() || cell.internalId() == 0) {
        return -1;
    }
    return m_firstRoute[size_t(cell.internalId() - 1)] + cell.row();
}

QModelIndex PermissionMatrixModel::routeIndex(int api, int route, int column) const {
    const QModelIndex parent = index(api, 0);
    return parent.isValid() ? index(route, column, parent) : QModelIndex();
}

int PermissionMatrixModel::subjectColumn(const QString& name) const {
    for (size_t i = 0; i < m_subjects.size(); ++i) {
        if (m_subjects[i].name == name) {
            return FirstSubjectColumn + int(i);
        }
    }
    return -1;
}

PermissionState PermissionMatrixModel::stateOf(const Subject& s, size_t r, MethodMask chip) const {
    const MethodMask plan = s.plan[r] & chip;
    if (m_kind == Subjects::Plans) {
        return plan == chip ? PermissionState::Granted
               : plan       ? PermissionState::Partial
                            : PermissionState::None;
    }
    const MethodMask denied = s.denies[r] & chip;
    const MethodMask allowed = (s.plan[r] | s.grants[r]) & ~s.denies[r] & chip;
    if (denied == chip) {
        return PermissionState::Denied;
    }
    if (denied != 0) {
        return PermissionState::Partial;
    }
    if (allowed == chip) {
        return covered(s.plan[r], chip) && !covered(s.grants[r], chip) ? PermissionState::Inherited
                                                                       : PermissionState::Granted;
    }
    return allowed != 0 ? PermissionState::Partial : PermissionState::None;
}

QList<MethodChip> PermissionMatrixModel::chips(const QModelIndex& cell) const {
    const int r = flatRoute(cell);
    const int subject = cell.column() - FirstSubjectColumn;
    if (r < 0 || subject < 0 || size_t(subject) >= m_subjects.size()) {
        return {};
    }
    const RouteConfig& route =
        m_config->apis[size_t(m_routes[size_t(r)].api)].routes[size_t(m_routes[size_t(r)].route)];
    QList<MethodChip> out;
    if (route.methods.empty()) {
        out.append({tr("ANY"), kAllMethods, PermissionState::None});
    } else {
        for (const std::string& m : maskMethods(m_routes[size_t(r)].mask)) {
            // GET brings HEAD in grants and in the route: one chip for both.
            out.append({QString::fromStdString(m), methodsMask({m}), PermissionState::None});
        }
    }
    for (MethodChip& chip : out) {
        chip.state = stateOf(m_subjects[size_t(subject)], size_t(r), chip.mask);
    }
    return out;
}

QString PermissionMatrixModel::chipTip(const Subject& s, size_t r, const MethodChip& chip) const {
    switch (chip.state) {
    case PermissionState::Granted:
        return m_kind == Subjects::Plans ? tr("%1: granted by the plan").arg(chip.label)
                                         : tr("%1: granted to %2 (its own grant)").arg(chip.label, s.name);
    case PermissionState::Inherited:
        return tr("%1: granted by the plan (%2)").arg(chip.label, s.detail);
    case PermissionState::Denied:
        return tr("%1: denied (a deny always wins)").arg(chip.label);
    case PermissionState::Partial:
        return tr("%1: only some of its methods are allowed").arg(chip.label);
    case PermissionState::None:
        break;
    }
    return tr("%1: not allowed").arg(chip.label);
}

QVariant PermissionMatrixModel::apiSummary(const Subject& s, int api, int role) const {
    const size_t first = size_t(m_firstRoute[size_t(api)]);
    const size_t count = m_config->apis[size_t(api)].routes.size();
    size_t allowed = 0;
    size_t denied = 0;
    for (size_t r = first; r < first + count; ++r) {
        const MethodMask chip = m_routes[r].mask;
        const MethodMask open =
            m_kind == Subjects::Plans ? s.plan[r] : (s.plan[r] | s.grants[r]) & ~s.denies[r];
        allowed += (open & chip) != 0 ? 1 : 0;
        denied += m_kind == Subjects::Consumers && (s.denies[r] & chip) != 0 ? 1 : 0;
    }
    if (role == SummaryRole) {
        return QVariant::fromValue(allowed == count && count > 0 && denied == 0 ? PermissionState::Granted
                                   : allowed > 0                                ? PermissionState::Partial
                                                                                : PermissionState::None);
    }
    QString text = allowed == 0       ? tr("no route")
                   : allowed == count ? (count == 1 ? tr("its route") : tr("all %1 routes").arg(count))
                                      : tr("%1 of %2 routes").arg(allowed).arg(count);
    if (denied > 0) {
        text += tr(" · %1 with denies").arg(denied);
    }
    return text;
}

QVariant PermissionMatrixModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_config) {
        return {};
    }
    const bool isApi = index.internalId() == 0;
    const int apiRow = isApi ? index.row() : int(index.internalId() - 1);
    const ApiConfig& api = m_config->apis[size_t(apiRow)];
    const int r = flatRoute(index);
    const RouteConfig* route = isApi ? nullptr : &api.routes[size_t(index.row())];

    if (index.column() >= FirstSubjectColumn) {
        const Subject& s = m_subjects[size_t(index.column() - FirstSubjectColumn)];
        if (role == InactiveRole) {
            return s.suspended;
        }
        if (isApi) {
            return role == Qt::DisplayRole || role == SummaryRole ? apiSummary(s, apiRow, role) : QVariant();
        }
        if (role == ChipsRole) {
            return QVariant::fromValue(chips(index));
        }
        if (role == Qt::ToolTipRole) {
            QStringList lines{QStringLiteral("<b>%1</b> · %2/%3")
                                  .arg(s.name.toHtmlEscaped(), QString::fromStdString(api.name),
                                       QString::fromStdString(route->name))};
            for (const MethodChip& chip : chips(index)) {
                lines.append(chipTip(s, size_t(r), chip).toHtmlEscaped());
            }
            return lines.join(QStringLiteral("<br>"));
        }
        return {};
    }

    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == RouteColumn) {
            return isApi ? apiLabel(api) : QString::fromStdString(route->name);
        }
        // The route's own path, short enough to leave the room to the matrix; the full one in the tooltip.
        return isApi ? QString::fromStdString(api.basePath) : QString::fromStdString(route->path);
    case Qt::ToolTipRole:
        return isApi ? apiLabel(api) : routePattern(api, *route);
    case Qt::FontRole:
        if (isApi && index.column() == RouteColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case FilterRole:
        if (index.column() != RouteColumn) {
            return {};
        }
        return isApi ? apiLabel(api) + QLatin1Char(' ') + QString::fromStdString(api.basePath)
                     : apiLabel(api) + QLatin1Char(' ') + QString::fromStdString(route->name) +
                           QLatin1Char(' ') + routePattern(api, *route);
    case RowKeyRole:
        return m_rowKeys[size_t(isApi ? m_firstRoute[size_t(apiRow)] + apiRow : r + apiRow + 1)];
    default:
        return {};
    }
}

QVariant PermissionMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) {
        return {};
    }
    if (section < FirstSubjectColumn) {
        if (role == Qt::DisplayRole) {
            return section == RouteColumn ? tr("API / route") : tr("Path");
        }
        return {};
    }
    const Subject& s = m_subjects[size_t(section - FirstSubjectColumn)];
    switch (role) {
    case Qt::DisplayRole:
        return s.name + QLatin1Char('\n') + s.detail;
    case Qt::ToolTipRole:
        return s.tooltip;
    case SubjectNameRole:
        return s.name;
    default:
        return {};
    }
}

Qt::ItemFlags PermissionMatrixModel::flags(const QModelIndex& index) const {
    return index.isValid() ? Qt::ItemIsEnabled | Qt::ItemIsSelectable : Qt::NoItemFlags;
}

} // namespace tollgate::ui
