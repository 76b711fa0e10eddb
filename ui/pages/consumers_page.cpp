#include "pages/consumers_page.h"

#include "document/config_document.h"
#include "document/form_binder.h"
#include "models/config_text.h"
#include "models/consumer_table_model.h"
#include "widgets/consumer_credentials_editor.h"
#include "widgets/list_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTreeView>
#include <QVBoxLayout>

namespace tollgate::ui {

ConsumersPage::ConsumersPage(ConfigDocument* doc, ConsumerTableModel* model, QWidget* parent)
    : EditableListPage(
          tr("Consumers"),
          tr("Who calls: each consumer with its plan, status and credentials. Select one to edit it; "
             "issue API keys here (only their hashes are kept)."),
          model, doc, QStringLiteral("consumers"), tr("consumer"), parent) {
    setOpensOnFirstItem(false);
    setCopySuffix(QStringLiteral("-copy"));
    // About eight rows of table; the form, which has more to show, takes the rest.
    splitter()->setSizes({fontMetrics().height() * 14, fontMetrics().height() * 40});
    view()->setRootIsDecorated(false);
    setColumnWidths({14, 10, 11, 18, 18, 18});
    FormBinder* b = binder();

    QFormLayout* main = addSection(tr("General"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("consumerName"));
    m_name->setPlaceholderText(tr("unique, e.g. acme"));
    main->addRow(tr("Name:"), b->bindLine(m_name, QStringLiteral("name"), tr("Rename consumer")));
    m_plan = new QComboBox(this);
    m_plan->setObjectName(QStringLiteral("consumerPlan"));
    m_plan->setEditable(true);
    m_plan->setCompleter(nullptr); // inline completion would type for the user
    m_plan->setInsertPolicy(QComboBox::NoInsert);
    main->addRow(tr("Plan:"), b->bindCombo(m_plan, QStringLiteral("plan"), tr("Change plan")));
    m_status = new QComboBox(this);
    m_status->setObjectName(QStringLiteral("consumerStatus"));
    m_status->addItems({QStringLiteral("active"), QStringLiteral("suspended")});
    m_status->setToolTip(tr("A suspended consumer's calls are answered 403 consumer.suspended"));
    main->addRow(tr("Status:"), b->bindCombo(m_status, QStringLiteral("status"), tr("Change status")));

    QFormLayout* addresses =
        addSection(tr("Allowed addresses"),
                   tr("Calls from other addresses are refused (403). Empty: any address may call."));
    m_ipAllow = new ListEditor(
        b, QStringLiteral("ip_allow"), {{tr("Address or network (CIDR)"), QString()}},
        [](const YAML::Node&) { return YAML::Node(std::string("127.0.0.1/32")); }, tr("address"), this);
    m_ipAllow->setDropsEmptyList(true);
    addresses->addRow(tr("Addresses:"), m_ipAllow);

    QFormLayout* creds = addSection(
        tr("Credentials"), tr("How the consumer proves who it is: API keys (only a key's hash is stored), "
                              "JWTs from an issuer, or a client certificate (mTLS)."));
    m_credentials = new ConsumerCredentialsEditor(b, this);
    creds->addRow(m_credentials);

    QFormLayout* access = addSection(tr("Access"), tr("On top of the plan's grants. A deny always wins."));
    m_grants = new QLabel(this);
    m_grants->setObjectName(QStringLiteral("consumerGrants"));
    m_grants->setWordWrap(true);
    m_grants->setTextFormat(Qt::RichText);
    access->addRow(tr("Grants and denies:"), m_grants);
    m_editPermissions = new QPushButton(tr("Edit in Permissions"), this);
    m_editPermissions->setObjectName(QStringLiteral("editPermissions"));
    access->addRow(QString(), m_editPermissions);
    connect(m_editPermissions, &QPushButton::clicked, this, &ConsumersPage::editPermissionsRequested);

    connect(b, &FormBinder::refreshed, this, &ConsumersPage::refreshExtras);
    refreshExtras();
}

void ConsumersPage::refreshExtras() {
    ConfigDocument* doc = document();
    // The plan combo offers the document's plans; refill only when they change, as the user may be
    // typing in it.
    QStringList plans;
    const YAML::Node list = doc->node(QStringLiteral("plans"));
    for (size_t i = 0; list.IsSequence() && i < list.size(); ++i) {
        plans << doc->scalar(QStringLiteral("plans[%1].name").arg(i));
    }
    QStringList shown;
    for (int i = 0; i < m_plan->count(); ++i) {
        shown << m_plan->itemText(i);
    }
    if (plans != shown) {
        const QSignalBlocker block(m_plan);
        const QString text = m_plan->currentText();
        m_plan->clear();
        m_plan->addItems(plans);
        m_plan->setEditText(text);
    }
    if (currentItem() < 0) {
        m_grants->clear();
        m_editPermissions->setEnabled(false);
        return;
    }
    if (doc->scalar(binder()->absoluteKey(QStringLiteral("status"))).isEmpty()) {
        m_status->setCurrentIndex(0); // the loader's default
    }
    m_editPermissions->setEnabled(true);
    // Grants as the loader read them, from the newest valid config, found by name.
    const QString name = doc->scalar(binder()->absoluteKey(QStringLiteral("name")));
    const auto config = doc->config();
    const ConsumerConfig* consumer = nullptr;
    for (size_t i = 0; config && i < config->consumers.size(); ++i) {
        if (QString::fromStdString(config->consumers[i].name) == name) {
            consumer = &config->consumers[i];
        }
    }
    if (!consumer) {
        m_grants->setText(tr("<i>not known until the configuration is valid</i>"));
        return;
    }
    const QString grants =
        consumer->grants.empty() ? tr("none") : grantsText(consumer->grants).toHtmlEscaped();
    const QString denies =
        consumer->denies.empty() ? tr("none") : grantsText(consumer->denies).toHtmlEscaped();
    m_grants->setText(tr("<b>Grants:</b> %1<br><b>Denies:</b> %2").arg(grants, denies));
}

YAML::Node ConsumersPage::newItem(const YAML::Node& list) const {
    QStringList plans;
    const YAML::Node planList = document()->node(QStringLiteral("plans"));
    for (size_t i = 0; planList.IsSequence() && i < planList.size(); ++i) {
        plans << document()->scalar(QStringLiteral("plans[%1].name").arg(i));
    }
    YAML::Node item;
    item["name"] =
        uniqueName(list, QStringLiteral("consumer-%1").arg(itemCount() + 1), QStringLiteral("name"), true)
            .toStdString();
    // "free" when there is one, else the first plan: a new consumer validates at once.
    const QString plan = plans.contains(QStringLiteral("free")) ? QStringLiteral("free") : plans.value(0);
    item["plan"] = (plan.isEmpty() ? QStringLiteral("free") : plan).toStdString();
    item["status"] = "active";
    return item;
}

YAML::Node ConsumersPage::duplicateItem(const YAML::Node& item, const YAML::Node& list) const {
    YAML::Node copy = EditableListPage::duplicateItem(item, list);
    // Two consumers cannot share a key hash or a certificate: the copy gets its own credentials.
    copy.remove("credentials");
    return copy;
}

} // namespace tollgate::ui
