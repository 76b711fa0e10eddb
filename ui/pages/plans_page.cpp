#include "pages/plans_page.h"

#include "document/config_document.h"
#include "document/form_binder.h"
#include "document/key_path.h"
#include "models/config_text.h"
#include "models/plan_table_model.h"
#include "widgets/list_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>

namespace tollgate::ui {
namespace {

const QStringList kUnits = {QStringLiteral("second"), QStringLiteral("minute"), QStringLiteral("hour"),
                            QStringLiteral("day")};

QLineEdit* lineEdit(const char* name, const QString& placeholder, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(QLatin1String(name));
    edit->setPlaceholderText(placeholder);
    return edit;
}

} // namespace

PlansPage::PlansPage(ConfigDocument* doc, PlanTableModel* model, QWidget* parent)
    : EditableListPage(
          tr("Plans"),
          tr("What a consumer may use and how much: rate limits, quota, price and the routes the plan "
             "grants. Select one to edit it."),
          model, doc, QStringLiteral("plans"), tr("plan"), parent) {
    setOpensOnFirstItem(false);
    setCopySuffix(QStringLiteral("-copy"));
    // About eight rows of table; the form, which has more to show, takes the rest.
    splitter()->setSizes({fontMetrics().height() * 14, fontMetrics().height() * 40});
    view()->setRootIsDecorated(false);
    setColumnWidths({10, 12, 14, 14, 30});
    FormBinder* b = binder();

    QFormLayout* main = addSection(tr("General"));
    m_name = lineEdit("planName", tr("unique, e.g. pro"), this);
    // Before the binder's own handler: when consumers follow, the whole rename is this one edit and
    // the binder's write finds nothing left to change.
    connect(m_name, &QLineEdit::textEdited, this, &PlansPage::renameWithConsumers);
    main->addRow(tr("Name:"), b->bindLine(m_name, QStringLiteral("name"), tr("Rename plan")));
    m_renameConsumers = new QCheckBox(this);
    m_renameConsumers->setObjectName(QStringLiteral("renameConsumers"));
    m_renameConsumers->setChecked(true);
    main->addRow(QString(), m_renameConsumers);

    QFormLayout* limits =
        addSection(tr("Rate limits"),
                   tr("Per consumer. Each is a bucket of N requests refilled over the period; all must pass. "
                      "At most one limit per unit."));
    m_rateLimits = new ListEditor(
        b, QStringLiteral("rate_limits"),
        {{tr("Requests"), QStringLiteral("requests")},
         ListColumn::choice(tr("Per"), QStringLiteral("per"), kUnits)},
        [](const YAML::Node& list) {
            // The first unit not limited yet, so the new row does not clash with another.
            QString unit = kUnits.last();
            for (const QString& u : kUnits) {
                bool used = false;
                for (size_t i = 0; list.IsSequence() && i < list.size(); ++i) {
                    used = used || (list[i]["per"] && list[i]["per"].Scalar() == u.toStdString());
                }
                if (!used) {
                    unit = u;
                    break;
                }
            }
            YAML::Node item;
            item["requests"] = 100;
            item["per"] = unit.toStdString();
            return item;
        },
        tr("rate limit"), this);
    m_rateLimits->setDropsEmptyList(true);
    limits->addRow(tr("Limits:"), m_rateLimits);

    QFormLayout* quota = addSection(tr("Quota"), tr("Requests per calendar period (UTC), per consumer."));
    m_noQuota = new QCheckBox(tr("No quota"), this);
    m_noQuota->setObjectName(QStringLiteral("noQuota"));
    connect(m_noQuota, &QCheckBox::clicked, this, &PlansPage::setNoQuota);
    quota->addRow(QString(), m_noQuota);
    m_quotaRequests = lineEdit("quotaRequests", tr("e.g. 10000"), this);
    quota->addRow(tr("Requests:"),
                  b->bindLine(m_quotaRequests, QStringLiteral("quota.requests"), tr("Change quota")));
    m_quotaPer = new QComboBox(this);
    m_quotaPer->setObjectName(QStringLiteral("quotaPer"));
    m_quotaPer->addItems({QStringLiteral("day"), QStringLiteral("week"), QStringLiteral("month")});
    quota->addRow(tr("Per:"),
                  b->bindCombo(m_quotaPer, QStringLiteral("quota.per"), tr("Change quota period")));
    m_onExceeded = new QComboBox(this);
    m_onExceeded->setObjectName(QStringLiteral("onExceeded"));
    m_onExceeded->addItems({QStringLiteral("block"), QStringLiteral("allow_and_bill")});
    m_onExceeded->setToolTip(tr("block: 429 until the period ends; allow_and_bill: calls pass and count "
                                "as overage"));
    quota->addRow(tr("When exceeded:"),
                  b->bindCombo(m_onExceeded, QStringLiteral("quota.on_exceeded"), tr("Change quota action")));

    QFormLayout* price = addSection(tr("Price"));
    m_currency = lineEdit("currency", QStringLiteral("USD"), this);
    price->addRow(tr("Currency:"),
                  b->bindLine(m_currency, QStringLiteral("price.currency"), tr("Change currency")));
    m_monthly = lineEdit("monthly", QStringLiteral("0"), this);
    price->addRow(tr("Monthly:"),
                  b->bindLine(m_monthly, QStringLiteral("price.monthly"), tr("Change price")));
    m_overQuota = lineEdit("perThousandOverQuota", QStringLiteral("0"), this);
    price->addRow(
        tr("Per 1000 over quota:"),
        b->bindLine(m_overQuota, QStringLiteral("price.per_1000_over_quota"), tr("Change overage price")));

    QFormLayout* access = addSection(tr("Access"));
    m_grants = new QLabel(this);
    m_grants->setObjectName(QStringLiteral("planGrants"));
    m_grants->setWordWrap(true);
    access->addRow(tr("Grants:"), m_grants);
    m_consumers = new QLabel(this);
    m_consumers->setObjectName(QStringLiteral("planConsumers"));
    m_consumers->setWordWrap(true);
    access->addRow(tr("Consumers:"), m_consumers);
    m_editPermissions = new QPushButton(tr("Edit in Permissions"), this);
    m_editPermissions->setObjectName(QStringLiteral("editPermissions"));
    access->addRow(QString(), m_editPermissions);
    connect(m_editPermissions, &QPushButton::clicked, this, &PlansPage::editPermissionsRequested);

    connect(b, &FormBinder::refreshed, this, &PlansPage::refreshExtras);
    refreshExtras();
}

QList<int> PlansPage::consumersOn(const QString& plan) const {
    QList<int> out;
    const YAML::Node list = document()->node(QStringLiteral("consumers"));
    for (size_t i = 0; !plan.isEmpty() && list.IsSequence() && i < list.size(); ++i) {
        if (document()->scalar(QStringLiteral("consumers[%1].plan").arg(i)) == plan) {
            out << int(i);
        }
    }
    return out;
}

void PlansPage::refreshExtras() {
    ConfigDocument* doc = document();
    const bool has = currentItem() >= 0;
    m_editPermissions->setEnabled(has);
    if (!has) {
        m_grants->clear();
        m_consumers->clear();
        m_renameConsumers->setVisible(false);
        m_lastName.clear();
        return;
    }
    const QString name = doc->scalar(binder()->absoluteKey(QStringLiteral("name")));
    if (!name.isEmpty()) {
        m_lastName = name;
    }
    const QList<int> users = consumersOn(m_lastName);
    m_renameConsumers->setText(
        users.size() == 1 ? tr("Renaming also renames it in the consumer on this plan (one undo step)")
                          : tr("Renaming also renames it in the %1 consumers on this plan (one undo step)")
                                .arg(users.size()));
    m_renameConsumers->setVisible(!users.isEmpty());
    QStringList userNames;
    for (int i : users) {
        userNames << doc->scalar(QStringLiteral("consumers[%1].name").arg(i));
    }
    m_consumers->setText(userNames.isEmpty() ? tr("none") : userNames.join(QStringLiteral(", ")));

    const bool none = !doc->node(binder()->absoluteKey(QStringLiteral("quota"))).IsDefined();
    m_noQuota->setChecked(none);
    for (QWidget* w : {static_cast<QWidget*>(m_quotaRequests), static_cast<QWidget*>(m_quotaPer),
                       static_cast<QWidget*>(m_onExceeded)}) {
        w->setEnabled(!none);
    }
    // Absent keys show the loader's defaults.
    if (!none && doc->scalar(binder()->absoluteKey(QStringLiteral("quota.per"))).isEmpty()) {
        m_quotaPer->setCurrentText(QStringLiteral("month"));
    }
    if (!none && doc->scalar(binder()->absoluteKey(QStringLiteral("quota.on_exceeded"))).isEmpty()) {
        m_onExceeded->setCurrentText(QStringLiteral("block"));
    }

    const auto config = doc->config();
    const PlanConfig* plan = nullptr;
    for (size_t i = 0; config && i < config->plans.size(); ++i) {
        if (QString::fromStdString(config->plans[i].name) == name) {
            plan = &config->plans[i];
        }
    }
    m_grants->setText(!plan ? tr("not known until the configuration is valid")
                      : plan->grants.empty()
                          ? tr("none: consumers on this plan reach nothing without grants of "
                               "their own")
                          : grantsText(plan->grants));
}

void PlansPage::renameWithConsumers(const QString& text) {
    const QString to = text.trimmed();
    if (currentItem() < 0 || to.isEmpty() || !m_renameConsumers->isChecked() || m_lastName.isEmpty()) {
        return;
    }
    // Another plan with the old name (mid-typing duplicates) keeps the consumers: they may be its.
    const QStringList planNames = itemNames();
    if (planNames.count(m_lastName) > (planNames.value(currentItem()) == m_lastName ? 1 : 0)) {
        return;
    }
    const QList<int> users = consumersOn(m_lastName);
    if (users.isEmpty()) {
        return;
    }
    const QString nameKey = binder()->absoluteKey(QStringLiteral("name"));
    const auto namePath = parseKeyPath(nameKey.toStdString());
    if (!namePath) {
        return;
    }
    const YAML::Node value(to.toStdString());
    // The binder's merge key, so the rename and the typing that follows stay one undo step.
    document()->edit(
        tr("Rename plan"),
        [&](YAML::Node& root) {
            bool ok = setNode(root, *namePath, value);
            for (int i : users) {
                const auto p = parseKeyPath(QStringLiteral("consumers[%1].plan").arg(i).toStdString());
                ok = ok && p && setNode(root, *p, value);
            }
            return ok;
        },
        nameKey);
}

void PlansPage::setNoQuota(bool none) {
    if (currentItem() < 0) {
        return;
    }
    const QString key = binder()->absoluteKey(QStringLiteral("quota"));
    if (none) {
        document()->remove(key, tr("Remove quota"));
        return;
    }
    YAML::Node quota;
    quota["requests"] = 10000;
    quota["per"] = "month";
    quota["on_exceeded"] = "block";
    document()->setNode(key, quota, tr("Add quota"));
}

YAML::Node PlansPage::newItem(const YAML::Node& list) const {
    YAML::Node item;
    item["name"] = uniqueName(list,
                              itemNames().contains(QStringLiteral("free"))
                                  ? QStringLiteral("plan-%1").arg(itemCount() + 1)
                                  : QStringLiteral("free"),
                              QStringLiteral("name"), true)
                       .toStdString();
    YAML::Node limit;
    limit["requests"] = 10;
    limit["per"] = "second";
    item["rate_limits"].push_back(limit);
    return item;
}

QString PlansPage::referencesTo(int index) const {
    QStringList users;
    for (int i : consumersOn(itemNames().value(index))) {
        users << document()->scalar(QStringLiteral("consumers[%1].name").arg(i));
    }
    const QString who =
        users.size() == 1 ? tr("1 consumer uses it") : tr("%1 consumers use it").arg(users.size());
    return users.isEmpty() ? QString() : tr("%1: %2.").arg(who, users.join(QStringLiteral(", ")));
}

} // namespace tollgate::ui
