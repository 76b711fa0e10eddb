#pragma once
// A consumer's credentials: a table (type, what identifies it, details) with New key…, Add JWT,
// Add mTLS and Revoke, and a form for the selected credential (a key's id, a JWT's issuer, key
// source and audience, a certificate's fingerprint). New key… issues a key with the core, writes only
// its hash and shows the clear key once in a NewKeyDialog. UI thread only.

#include "document/form_binder.h"
#include <QHash>

#include <QPointer>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;

namespace tollgate::ui {

class NewKeyDialog;

class ConsumerCredentialsEditor : public QWidget {
    Q_OBJECT
public:
    // `consumer` is the page's binder; its prefix is the consumer being edited.
    explicit ConsumerCredentialsEditor(FormBinder* consumer, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    QPushButton* newKeyButton() const { return m_newKey; }
    QPushButton* addJwtButton() const { return m_addJwt; }
    QPushButton* addMtlsButton() const { return m_addMtls; }
    QPushButton* revokeButton() const { return m_revoke; }
    FormBinder* credentialBinder() const { return m_binder.data(); }
    QComboBox* sourceCombo() const { return m_source; }
    QLineEdit* editor(const QString& key) const; // "id", "issuer", "jwks_url", … of the selected one
    void selectCredential(int index);
    int currentCredential() const { return m_current; }

signals:
    void keyIssued(NewKeyDialog* dialog);

private:
    void reload();
    void showDetails();
    QString credentialsKey() const; // absolute "consumers[i].credentials"
    void issueKey();
    void addCredential(const QString& type);
    void askToRevoke();
    void changeSource(int index);
    void choosePublicKey();
    QString freeKeyId() const;

    QPointer<FormBinder> m_consumer;
    QPointer<ConfigDocument> m_doc; // gone before this widget when the window closes
    // The selected credential. A child: deleted before the table, whose teardown signals must not reach it.
    QPointer<FormBinder> m_binder;
    QTableWidget* m_table;
    QPushButton* m_newKey;
    QPushButton* m_addJwt;
    QPushButton* m_addMtls;
    QPushButton* m_revoke;
    QWidget* m_details;
    QLabel* m_hash;
    QComboBox* m_source;
    QLabel* m_problem;                 // errors about the credential as a whole ("exactly one of …")
    QHash<QString, QWidget*> m_groups; // the fields of each credential type
    QStackedWidget* m_sourceStack;     // the JWT's key source: URL, variable or file
    QLabel* m_sourceLabel;
    int m_current = -1;
};

} // namespace tollgate::ui
