#pragma once
// Settings: a form over the `gateway:` section (listeners and certificates, workers, request limits,
// files, retention, admin API, cluster, trusted proxies, drain timeout) and the gateway-wide
// `ip_rules:` allow and deny lists. Every field is an undoable edit of the ConfigDocument with the
// loader's message under it. Use from the UI thread only.

#include <QWidget>

class QBoxLayout;

namespace tollgate::ui {

class ConfigDocument;
class FormBinder;
class ListEditor;

class SettingsPage : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPage(ConfigDocument* doc, QWidget* parent = nullptr);

    FormBinder* gatewayBinder() const { return m_gateway; }
    FormBinder* ipRulesBinder() const { return m_ipRules; }
    // "listen", "tls.listen", "tls.certificates", "trusted_proxies", "allow", "deny".
    ListEditor* list(const QString& key) const;

private:
    void buildListeners(QBoxLayout* column);
    void buildLimits(QBoxLayout* column);
    void buildFiles(QBoxLayout* column);
    void buildAdmin(QBoxLayout* column);
    void buildIpRules(QBoxLayout* column);
    ListEditor* addList(FormBinder* binder, QBoxLayout* column, const QString& key, const QString& title,
                        const QString& itemWord, const QString& example, const QString& hint);

    ConfigDocument* m_doc;
    FormBinder* m_gateway;
    FormBinder* m_ipRules;
    QWidget* m_form = nullptr;
};

} // namespace tollgate::ui
