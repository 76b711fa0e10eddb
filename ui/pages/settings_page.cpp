#include "pages/settings_page.h"

#include "document/config_document.h"
#include "document/form_binder.h"
#include "pages/page_header.h"
#include "widgets/file_field.h"
#include "widgets/form_section.h"
#include "widgets/list_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QVBoxLayout>

namespace tollgate::ui {

SettingsPage::SettingsPage(ConfigDocument* doc, QWidget* parent)
    : QWidget(parent), m_doc(doc), m_gateway(new FormBinder(doc, this)),
      m_ipRules(new FormBinder(doc, this)) {
    m_gateway->setPrefix(QStringLiteral("gateway"));
    m_ipRules->setPrefix(QStringLiteral("ip_rules"));

    auto* page = new QVBoxLayout(this);
    page->addWidget(makePageHeader(
        tr("Settings"),
        tr("The gateway section of the workspace: listeners and certificates, request limits, the "
           "consumption "
           "store and the access log, the admin API, and the addresses allowed or denied everywhere."),
        this));
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("formScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_form = new QWidget(scroll);
    m_form->setObjectName(QStringLiteral("form"));
    auto* form = new QVBoxLayout(m_form);
    form->setContentsMargins(4, 0, 12, 12);
    auto [left, right] = addFormColumns(form);
    buildListeners(left);
    buildLimits(right);
    buildFiles(right);
    buildAdmin(right);
    // Each column keeps its sections together at the top, whatever the other column's height.
    left->addStretch(1);
    right->addStretch(1);
    buildIpRules(form);
    form->addStretch(1);
    scroll->setWidget(m_form);
    page->addWidget(scroll, 1);
}

ListEditor* SettingsPage::list(const QString& key) const {
    return m_form->findChild<ListEditor*>(key);
}

ListEditor* SettingsPage::addList(FormBinder* binder, QBoxLayout* column, const QString& key,
                                  const QString& title, const QString& itemWord, const QString& example,
                                  const QString& hint) {
    auto* editor = new ListEditor(
        binder, key, {{title, QString()}},
        [example](const YAML::Node&) { return YAML::Node(example.toStdString()); }, itemWord, m_form);
    editor->setHint(hint);
    column->addWidget(editor);
    return editor;
}

void SettingsPage::buildListeners(QBoxLayout* column) {
    addFormSection(column, tr("HTTP listeners"), m_form);
    addList(m_gateway, column, QStringLiteral("listen"), tr("Address"), tr("listener"),
            QStringLiteral("127.0.0.1:8081"),
            tr("host:port or [v6]:port. None given: 127.0.0.1:8080, unless there are HTTPS listeners."));

    addFormSection(column, tr("HTTPS listeners"), m_form);
    addList(m_gateway, column, QStringLiteral("tls.listen"), tr("Address"), tr("listener"),
            QStringLiteral("127.0.0.1:8443"), tr("Each needs the certificates below."));
    auto* certificates = new ListEditor(
        m_gateway, QStringLiteral("tls.certificates"),
        {{tr("Certificate"), QStringLiteral("cert"), ListColumn::Kind::File},
         {tr("Key"), QStringLiteral("key"), ListColumn::Kind::File}},
        [](const YAML::Node&) {
            YAML::Node c(YAML::NodeType::Map);
            c.SetStyle(YAML::EmitterStyle::Flow);
            c["cert"] = "certs/server.crt";
            c["key"] = "certs/server.key";
            return c;
        },
        tr("certificate"), m_form);
    certificates->setHint(
        tr("PEM files, relative to the workspace's folder; the client's server name picks one."));
    column->addWidget(certificates);

    QFormLayout* workers = addFormSection(column, tr("Workers and shutdown"), m_form);
    auto* count = new QComboBox(m_form);
    count->setObjectName(QStringLiteral("workers"));
    count->setEditable(true);
    count->addItems({QStringLiteral("auto"), QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("4"),
                     QStringLiteral("8")});
    count->lineEdit()->setPlaceholderText(tr("auto (default: one per core)"));
    workers->addRow(tr("Workers:"),
                    m_gateway->bindCombo(count, QStringLiteral("workers"), tr("Change workers")));
    workers->addRow(
        tr("Drain timeout:"),
        m_gateway->bindLine(makeLine(QStringLiteral("drain_timeout"), tr("10s (default)"), m_form),
                            QStringLiteral("drain_timeout"), tr("Change drain timeout")));
    addFormSection(column, tr("Trusted proxies"), m_form);
    addList(m_gateway, column, QStringLiteral("trusted_proxies"), tr("CIDR"), tr("proxy"),
            QStringLiteral("10.0.0.0/8"), tr("Peers whose X-Forwarded-For is believed."));
}

void SettingsPage::buildLimits(QBoxLayout* column) {
    QFormLayout* form = addFormSection(column, tr("Request limits"), m_form);
    auto line = [&](const char* key, const QString& fallback, const QString& title) {
        const QString k = QStringLiteral("limits.") + QLatin1String(key);
        form->addRow(title, m_gateway->bindLine(makeLine(k, tr("%1 (default)").arg(fallback), m_form), k,
                                                tr("Change %1").arg(title.chopped(1).toLower())));
    };
    line("max_uri_bytes", QStringLiteral("8KiB"), tr("Longest URI:"));
    line("max_header_bytes", QStringLiteral("32KiB"), tr("Largest header block:"));
    line("max_header_count", QStringLiteral("100"), tr("Most header lines:"));
    line("max_body_bytes", QStringLiteral("10MiB"), tr("Largest body:"));
    line("header_timeout", QStringLiteral("10s"), tr("Header timeout:"));
    line("body_timeout", QStringLiteral("60s"), tr("Body timeout:"));
    line("idle_timeout", QStringLiteral("60s"), tr("Idle timeout:"));
}

void SettingsPage::buildFiles(QBoxLayout* column) {
    QFormLayout* files = addFormSection(column, tr("Files"), m_form);
    files->addRow(tr("Store:"), bindFileField(m_gateway,
                                              makeLine(QStringLiteral("store"),
                                                       tr("tollgate.db in the user's data folder"), m_form),
                                              QStringLiteral("store"), tr("Change store"), true));
    files->addRow(tr("Access log:"),
                  bindFileField(m_gateway, makeLine(QStringLiteral("access_log"), tr("none"), m_form),
                                QStringLiteral("access_log"), tr("Change access log"), true));
    QFormLayout* retention = addFormSection(column, tr("Consumption kept"), m_form);
    auto line = [&](const char* key, const QString& fallback, const QString& title) {
        const QString k = QStringLiteral("retention.") + QLatin1String(key);
        retention->addRow(title, m_gateway->bindLine(makeLine(k, tr("%1 (default)").arg(fallback), m_form), k,
                                                     tr("Change retention")));
    };
    line("minutes", QStringLiteral("7d"), tr("Per minute:"));
    line("hours", QStringLiteral("90d"), tr("Per hour:"));
    line("days", QStringLiteral("730d"), tr("Per day:"));
}

void SettingsPage::buildAdmin(QBoxLayout* column) {
    QFormLayout* admin = addFormSection(column, tr("Admin API and cluster"), m_form);
    admin->addRow(tr("Listen:"),
                  m_gateway->bindLine(makeLine(QStringLiteral("admin.listen"), tr("off"), m_form),
                                      QStringLiteral("admin.listen"), tr("Change admin listener")));
    admin->addRow(tr("Token variable:"),
                  m_gateway->bindLine(makeLine(QStringLiteral("admin.token_env"),
                                               QStringLiteral("TOLLGATE_ADMIN_TOKEN"), m_form),
                                      QStringLiteral("admin.token_env"), tr("Change admin token variable")));
    admin->addRow(tr("Redis:"), m_gateway->bindLine(makeLine(QStringLiteral("cluster.redis"),
                                                             tr("none: counters stay on this node"), m_form),
                                                    QStringLiteral("cluster.redis"), tr("Change cluster")));
}

void SettingsPage::buildIpRules(QBoxLayout* column) {
    addFormSection(column, tr("IP rules"), m_form);
    auto* note = new QLabel(tr("Every request's client address, before any API: when the allow list is not "
                               "empty only its addresses pass; the deny list always wins."),
                            m_form);
    note->setWordWrap(true);
    column->addWidget(note);
    auto [allow, deny] = addFormColumns(column);
    addList(m_ipRules, allow, QStringLiteral("allow"), tr("Allow"), tr("address"),
            QStringLiteral("10.0.0.0/8"), tr("Empty: every address may call."));
    addList(m_ipRules, deny, QStringLiteral("deny"), tr("Deny"), tr("address"),
            QStringLiteral("192.0.2.0/24"), tr("CIDRs or single addresses (IPv4 or IPv6)."));
}

} // namespace tollgate::ui
