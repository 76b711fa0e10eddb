// PermissionMatrixModel's edits: cell changes turned into compact grants in the document.
#include "document/config_document.h"
#include "models/permission_matrix_model.h"

#include <map>
#include <set>

namespace tollgate::ui {
namespace {

YAML::Node flowList(const std::vector<std::string>& items) {
    YAML::Node list(YAML::NodeType::Sequence);
    list.SetStyle(YAML::EmitterStyle::Flow);
    for (const std::string& i : items) {
        list.push_back(i);
    }
    return list;
}

// `{ api: orders, routes: [list, get], methods: [GET] }`, the demo's own style.
YAML::Node grantNode(const GrantConfig& g) {
    YAML::Node node(YAML::NodeType::Map);
    node.SetStyle(YAML::EmitterStyle::Flow);
    node["api"] = g.api;
    if (!g.version.empty()) {
        node["version"] = g.version;
    }
    node["routes"] = flowList(g.routes);
    if (!g.methods.empty()) {
        node["methods"] = flowList(g.methods);
    }
    return node;
}

// Rewrites `item[key]`: the grants of the APIs named in `apis` are replaced by `fresh` (at the place
// of the first one, else at the end); the others stay as written. An empty list removes the key.
void rewriteList(YAML::Node item, const char* key, const std::vector<GrantConfig>& current,
                 const std::set<std::string>& apis, const std::vector<GrantConfig>& fresh) {
    const YAML::Node old = item[key];
    YAML::Node list(YAML::NodeType::Sequence);
    if (old.IsSequence()) {
        list.SetStyle(old.Style());
    }
    std::set<std::string> placed;
    auto place = [&](const std::string& api) {
        if (placed.insert(api).second) {
            for (const GrantConfig& g : fresh) {
                if (g.api == api) {
                    list.push_back(grantNode(g));
                }
            }
        }
    };
    for (size_t i = 0; i < current.size(); ++i) {
        if (apis.count(current[i].api) != 0) {
            place(current[i].api);
        } else if (old.IsSequence() && i < old.size()) {
            list.push_back(old[i]);
        }
    }
    for (const std::string& api : apis) {
        place(api);
    }
    if (list.size() == 0) {
        item.remove(key);
    } else {
        item[key] = list;
    }
}

} // namespace

bool PermissionMatrixModel::toggle(const QModelIndex& cell, int chip) {
    const QList<MethodChip> all = chips(cell);
    if (chip < 0 || chip >= all.size()) {
        return false;
    }
    const MethodChip& c = all[chip];
    Action action = Action::Grant;
    switch (c.state) {
    case PermissionState::Granted:
        action = m_kind == Subjects::Plans ? Action::Clear : Action::Deny;
        break;
    case PermissionState::Inherited:
        action = Action::Deny;
        break;
    case PermissionState::Denied:
        action = Action::Clear;
        break;
    case PermissionState::Partial: {
        const Subject& s = m_subjects[size_t(cell.column() - FirstSubjectColumn)];
        const bool someDenied =
            m_kind == Subjects::Consumers && (s.denies[size_t(flatRoute(cell))] & c.mask) != 0;
        action = someDenied ? Action::Clear : Action::Grant;
        break;
    }
    case PermissionState::None:
        break;
    }
    const Subject& s = m_subjects[size_t(cell.column() - FirstSubjectColumn)];
    const RouteRef& ref = m_routes[size_t(flatRoute(cell))];
    const QString what =
        QStringLiteral("%1 %2/%3")
            .arg(c.label, QString::fromStdString(m_config->apis[size_t(ref.api)].name),
                 QString::fromStdString(m_config->apis[size_t(ref.api)].routes[size_t(ref.route)].name));
    const QString label = action == Action::Grant  ? tr("Grant %1 to %2").arg(what, s.name)
                          : action == Action::Deny ? tr("Deny %1 to %2").arg(what, s.name)
                                                   : tr("Clear %1 for %2").arg(what, s.name);
    return change({{size_t(cell.column() - FirstSubjectColumn), size_t(flatRoute(cell)), c.mask}}, action,
                  label);
}

bool PermissionMatrixModel::apply(const QModelIndexList& cells, Action action) {
    std::vector<CellEdit> edits;
    std::set<QString> names;
    for (const QModelIndex& cell : cells) {
        const int subject = cell.column() - FirstSubjectColumn;
        if (!cell.isValid() || cell.model() != this || subject < 0 || size_t(subject) >= m_subjects.size()) {
            continue;
        }
        names.insert(m_subjects[size_t(subject)].name);
        const int r = flatRoute(cell);
        if (r >= 0) {
            edits.push_back({size_t(subject), size_t(r), m_routes[size_t(r)].mask});
            continue;
        }
        // An API cell: every route of the API.
        const size_t first = size_t(m_firstRoute[size_t(cell.row())]);
        for (size_t i = 0; i < m_config->apis[size_t(cell.row())].routes.size(); ++i) {
            edits.push_back({size_t(subject), first + i, m_routes[first + i].mask});
        }
    }
    if (edits.empty()) {
        return false;
    }
    QStringList who(names.begin(), names.end());
    const QString verb = action == Action::Grant  ? tr("Grant")
                         : action == Action::Deny ? tr("Deny")
                                                  : tr("Clear");
    const QString count = edits.size() == 1 ? tr("1 route cell") : tr("%1 route cells").arg(edits.size());
    return change(edits, action, tr("%1 %2 for %3").arg(verb, count, who.join(QStringLiteral(", "))));
}

bool PermissionMatrixModel::change(const std::vector<CellEdit>& edits, Action action, const QString& label) {
    if (!m_config || !m_document->isValid()) {
        return false; // the masks come from the config: they must describe the text being edited
    }
    if (m_kind == Subjects::Plans && action == Action::Deny) {
        action = Action::Clear; // plans only grant
    }
    // The new masks of every subject touched, and the APIs whose grants change.
    struct Wanted {
        std::vector<MethodMask> grants;
        std::vector<MethodMask> denies;
        std::set<std::string> grantApis;
        std::set<std::string> denyApis;
    };
    std::map<size_t, Wanted> wanted;
    for (const CellEdit& e : edits) {
        const Subject& s = m_subjects[e.subject];
        auto [it, fresh] = wanted.try_emplace(e.subject);
        Wanted& w = it->second;
        if (fresh) {
            w.grants = m_kind == Subjects::Plans ? s.plan : s.grants;
            w.denies = s.denies;
        }
        const MethodMask before = w.grants[e.route];
        const MethodMask beforeDeny = m_kind == Subjects::Consumers ? w.denies[e.route] : 0;
        if (action == Action::Grant) {
            // A consumer's own grant only adds what its plan does not already grant.
            w.grants[e.route] |= m_kind == Subjects::Plans ? e.mask : e.mask & ~s.plan[e.route];
        } else {
            w.grants[e.route] &= ~e.mask;
        }
        if (m_kind == Subjects::Consumers) {
            w.denies[e.route] =
                action == Action::Deny ? w.denies[e.route] | e.mask : w.denies[e.route] & ~e.mask;
        }
        const std::string& api = m_config->apis[size_t(m_routes[e.route].api)].name;
        if (w.grants[e.route] != before) {
            w.grantApis.insert(api);
        }
        if (m_kind == Subjects::Consumers && w.denies[e.route] != beforeDeny) {
            w.denyApis.insert(api);
        }
    }
    const Config& config = *m_config;
    return m_document->edit(label, [&](YAML::Node& root) {
        bool any = false;
        for (const auto& [subject, w] : wanted) {
            const bool plans = m_kind == Subjects::Plans;
            YAML::Node item = root[plans ? "plans" : "consumers"][subject];
            const std::vector<GrantConfig>& grants =
                plans ? config.plans[subject].grants : config.consumers[subject].grants;
            std::vector<GrantConfig> fresh;
            for (const std::string& api : w.grantApis) {
                for (GrantConfig& g : compactGrants(config, api, m_routes, w.grants)) {
                    fresh.push_back(std::move(g));
                }
            }
            if (!w.grantApis.empty()) {
                rewriteList(item, "grants", grants, w.grantApis, fresh);
                any = true;
            }
            if (!w.denyApis.empty()) {
                fresh.clear();
                for (const std::string& api : w.denyApis) {
                    for (GrantConfig& g : compactGrants(config, api, m_routes, w.denies)) {
                        fresh.push_back(std::move(g));
                    }
                }
                rewriteList(item, "denies", config.consumers[subject].denies, w.denyApis, fresh);
                any = true;
            }
        }
        return any;
    });
}

} // namespace tollgate::ui
