#include "pages/services_page.h"

#include "document/config_document.h"
#include "document/form_binder.h"
#include "models/service_tree_model.h"
#include "widgets/file_field.h"
#include "widgets/form_section.h"
#include "widgets/list_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace tollgate::ui {

ServicesPage::ServicesPage(ServiceTreeModel* model, ConfigDocument* doc, QWidget* parent)
    : EditableListPage(
          tr("Services"),
          tr("Where traffic goes: each backend service with its targets and weights, how requests are "
             "balanced between them, timeouts, retries and health checks."),
          model, doc, QStringLiteral("services"), tr("service"), parent) {
    setColumnWidths({24, 8, 14, 20, 8});

    auto [left, right] = addFormColumns(formLayout());
    formLayout()->addStretch(1);

    m_generalForm = addFormSection(left, tr("General"), formWidget());
    buildGeneral(m_generalForm);

    QFormLayout* timeouts = addFormSection(left, tr("Timeouts"), formWidget());
    timeouts->addRow(
        tr("Connect:"),
        binder()->bindLine(makeLine(QStringLiteral("timeouts.connect"), tr("2s (default)"), formWidget()),
                           QStringLiteral("timeouts.connect"), tr("Change connect timeout")));
    timeouts->addRow(
        tr("Read:"),
        binder()->bindLine(makeLine(QStringLiteral("timeouts.read"), tr("30s (default)"), formWidget()),
                           QStringLiteral("timeouts.read"), tr("Change read timeout")));

    QFormLayout* tls = addFormSection(left, tr("TLS to the targets"), formWidget());
    tls->addRow(tr("CA bundle:"),
                bindFileField(binder(),
                              makeLine(QStringLiteral("tls.ca"), tr("the system's (default)"), formWidget()),
                              QStringLiteral("tls.ca"), tr("Change CA bundle")));
    auto* verify = new QCheckBox(tr("Verify the targets' certificates"), formWidget());
    verify->setObjectName(QStringLiteral("tls.verify"));
    tls->addRow(QString(),
                binder()->bindCheck(verify, QStringLiteral("tls.verify"), tr("Change verification"), true));

    addFormSection(right, tr("Targets"), formWidget());
    m_targets = new ListEditor(
        binder(), QStringLiteral("targets"),
        {{tr("URL"), QStringLiteral("url")},
         {tr("Weight"), QStringLiteral("weight"), ListColumn::Kind::Text, {}, 10}},
        [](const YAML::Node& list) {
            YAML::Node target;
            target["url"] = QStringLiteral("http://127.0.0.1:%1")
                                .arg(8000 + (list.IsSequence() ? list.size() : 0) + 1)
                                .toStdString();
            return target;
        },
        tr("target"), formWidget());
    m_targets->setHint(
        tr("http://host:port, https://host:port or builtin:echo; weight 1 to 1000 (default 1)."));
    right->addWidget(m_targets);

    QFormLayout* health = addFormSection(right, tr("Active health checks"), formWidget());
    buildHealth(health);

    QFormLayout* passive = addFormSection(right, tr("Passive ejection"), formWidget());
    auto* failures = new QSpinBox(formWidget());
    failures->setObjectName(QStringLiteral("passive.failures"));
    failures->setRange(0, 1000);
    failures->setSpecialValueText(tr("never"));
    passive->addRow(
        tr("Eject after failures:"),
        binder()->bindSpin(failures, QStringLiteral("passive.failures"), tr("Change ejection"), 3));
    passive->addRow(
        tr("Eject for:"),
        binder()->bindLine(makeLine(QStringLiteral("passive.eject"), tr("10s (default)"), formWidget()),
                           QStringLiteral("passive.eject"), tr("Change ejection time")));

    // Each column keeps its sections together at the top, whatever the other column's height.
    left->addStretch(1);
    right->addStretch(1);
    connect(binder(), &FormBinder::refreshed, this, &ServicesPage::onRefreshed);
    binder()->refresh();
}

void ServicesPage::buildGeneral(QFormLayout* form) {
    form->addRow(tr("Name:"),
                 binder()->bindLine(makeLine(QStringLiteral("name"), tr("required"), formWidget()),
                                    QStringLiteral("name"), tr("Rename service")));
    m_balance = new QComboBox(formWidget());
    m_balance->setObjectName(QStringLiteral("balance"));
    m_balance->addItems(
        {QStringLiteral("round_robin"), QStringLiteral("least_conn"), QStringLiteral("consistent_hash")});
    m_balance->setPlaceholderText(tr("round_robin (default)"));
    form->addRow(tr("Balance:"),
                 binder()->bindCombo(m_balance, QStringLiteral("balance"), tr("Change balance")));
    auto* hashOn = new QComboBox(formWidget());
    hashOn->setObjectName(QStringLiteral("hash_on"));
    hashOn->setEditable(true);
    hashOn->addItems(
        {QStringLiteral("client_ip"), QStringLiteral("path"), QStringLiteral("header:X-User-Id")});
    hashOn->lineEdit()->setPlaceholderText(tr("client_ip (default)"));
    m_hashRow = binder()->bindCombo(hashOn, QStringLiteral("hash_on"), tr("Change hash key"));
    form->addRow(tr("Hash on:"), m_hashRow);
    auto* retries = new QSpinBox(formWidget());
    retries->setObjectName(QStringLiteral("retries"));
    retries->setRange(0, 10);
    retries->setSpecialValueText(tr("none"));
    retries->setToolTip(tr("Idempotent methods only, on another target"));
    form->addRow(tr("Retries:"),
                 binder()->bindSpin(retries, QStringLiteral("retries"), tr("Change retries"), 1));
}

void ServicesPage::buildHealth(QFormLayout* form) {
    m_health = new QCheckBox(tr("Probe every target in the background"), formWidget());
    m_health->setObjectName(QStringLiteral("health"));
    connect(m_health, &QCheckBox::clicked, this, &ServicesPage::setHealth);
    form->addRow(QString(), m_health);
    auto line = [&](const QString& key, const QString& placeholder, const QString& title,
                    const QString& label) {
        QWidget* field = binder()->bindLine(makeLine(key, placeholder, formWidget()), key, label);
        form->addRow(title, field);
        m_healthFields << field;
    };
    line(QStringLiteral("health.path"), tr("/healthz (default)"), tr("Path:"), tr("Change health path"));
    line(QStringLiteral("health.interval"), tr("5s (default)"), tr("Interval:"),
         tr("Change health interval"));
    auto spin = [&](const QString& key, int fallback, const QString& title, const QString& label) {
        auto* s = new QSpinBox(formWidget());
        s->setObjectName(key);
        s->setRange(1, 100);
        QWidget* field = binder()->bindSpin(s, key, label, fallback);
        form->addRow(title, field);
        m_healthFields << field;
    };
    spin(QStringLiteral("health.unhealthy_after"), 3, tr("Down after failures:"),
         tr("Change health threshold"));
    spin(QStringLiteral("health.healthy_after"), 2, tr("Up after successes:"), tr("Change health threshold"));
}

void ServicesPage::setHealth(bool on) {
    if (currentItem() < 0) {
        return;
    }
    const QString key = binder()->absoluteKey(QStringLiteral("health"));
    if (on) {
        // `health: {}` turns the checks on with every default, which the fields show.
        document()->setNode(key, YAML::Node(YAML::NodeType::Map), tr("Turn health checks on"));
    } else {
        document()->remove(key, tr("Turn health checks off"));
    }
}

void ServicesPage::onRefreshed() {
    const bool open = currentItem() >= 0;
    const bool health = open && document()->node(binder()->absoluteKey(QStringLiteral("health"))).IsMap();
    m_health->setEnabled(open);
    m_health->setChecked(health);
    for (QWidget* field : std::as_const(m_healthFields)) {
        field->setEnabled(health);
    }
    // The hash key matters for consistent hashing only; keep it in sight while it is set anyway, so
    // the loader's warning about it can be read and fixed.
    const bool hashing = m_balance->currentText() == QLatin1String("consistent_hash") ||
                         !document()->scalar(binder()->absoluteKey(QStringLiteral("hash_on"))).isEmpty();
    // Not QFormLayout::setRowVisible: Qt 6.4's corrupts memory.
    m_hashRow->setVisible(open && hashing);
    if (QWidget* label = m_generalForm->labelForField(m_hashRow)) {
        label->setVisible(open && hashing);
    }
}

YAML::Node ServicesPage::newItem(const YAML::Node& list) const {
    YAML::Node service;
    service["name"] = uniqueName(list, QStringLiteral("service")).toStdString();
    YAML::Node target;
    target["url"] = "http://127.0.0.1:8000";
    service["targets"].push_back(target);
    return service;
}

QString ServicesPage::referencesTo(int index) const {
    const QString name = document()->scalar(QStringLiteral("services[%1].name").arg(index));
    const YAML::Node apis = document()->node(QStringLiteral("apis"));
    QStringList users;
    if (apis.IsSequence()) {
        for (const YAML::Node& api : apis) {
            const YAML::Node service = childOf(api, "service");
            const YAML::Node apiName = childOf(api, "name");
            if (service.IsScalar() && QString::fromStdString(service.Scalar()) == name &&
                apiName.IsScalar()) {
                users << QString::fromStdString(apiName.Scalar());
            }
        }
    }
    return users.isEmpty() ? QString()
                           : tr("%n API(s) send their traffic to it: %1.", nullptr, int(users.size()))
                                 .arg(users.join(QStringLiteral(", ")));
}

} // namespace tollgate::ui
