#include "widgets/consumer_credentials_editor.h"

#include "dialogs/new_key_dialog.h"
#include "document/form_binder.h"
#include "document/key_path.h"
#include "tollgate/credentials.h"
#include "widgets/confirm_box.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {
namespace {

const char* const kSources[] = {"jwks_url", "secret_env", "public_key"};

// What a row says about a credential: never a secret, and a key's hash only as its start.
QStringList rowTexts(ConfigDocument* doc, const QString& key) {
    const QString type = doc->scalar(key + QStringLiteral(".type"));
    auto value = [&](const char* k) { return doc->scalar(key + QLatin1Char('.') + QLatin1String(k)); };
    if (type == QLatin1String("key")) {
        return {QObject::tr("API key"), value("id"), value("hash").left(19) + QStringLiteral("…")};
    }
    if (type == QLatin1String("jwt")) {
        QString source;
        if (!value("jwks_url").isEmpty()) {
            source = QObject::tr("JWKS %1").arg(value("jwks_url"));
        } else if (!value("secret_env").isEmpty()) {
            source = QObject::tr("secret from $%1").arg(value("secret_env"));
        } else if (!value("public_key").isEmpty()) {
            source = QObject::tr("public key %1").arg(value("public_key"));
        }
        if (!value("audience").isEmpty()) {
            source += QObject::tr(", audience %1").arg(value("audience"));
        }
        return {QObject::tr("JWT"), value("issuer"), source};
    }
    if (type == QLatin1String("mtls")) {
        const QString fp = value("fingerprint");
        return {QObject::tr("mTLS"), fp.isEmpty() ? QString() : fp.left(19) + QStringLiteral("…"),
                QObject::tr("client certificate")};
    }
    return {type, QString(), QString()};
}

} // namespace

ConsumerCredentialsEditor::ConsumerCredentialsEditor(FormBinder* consumer, QWidget* parent)
    : QWidget(parent), m_consumer(consumer), m_doc(consumer->document()) {
    m_binder = new FormBinder(consumer->document(), this);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(6);

    m_table = new QTableWidget(0, 3, this);
    m_table->setObjectName(QStringLiteral("credentialsTable"));
    m_table->setHorizontalHeaderLabels({tr("Type"), tr("Identifies"), tr("Details")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    column->addWidget(m_table);

    auto* buttons = new QHBoxLayout;
    m_newKey = new QPushButton(tr("New key…"), this);
    m_newKey->setObjectName(QStringLiteral("newKey"));
    m_newKey->setToolTip(tr("Issue an API key: the key is shown once, only its hash is kept"));
    m_addJwt = new QPushButton(tr("Add JWT"), this);
    m_addJwt->setObjectName(QStringLiteral("addJwt"));
    m_addMtls = new QPushButton(tr("Add mTLS"), this);
    m_addMtls->setObjectName(QStringLiteral("addMtls"));
    m_revoke = new QPushButton(tr("Revoke…"), this);
    m_revoke->setObjectName(QStringLiteral("revoke"));
    for (QPushButton* b : {m_newKey, m_addJwt, m_addMtls, m_revoke}) {
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    column->addLayout(buttons);
    QLabel* listMessage = consumer->messageFor(QStringLiteral("credentials"));
    listMessage->setParent(this);
    column->addWidget(listMessage);

    // The selected credential's fields: one small form per type, only the selected type's showing
    // (QFormLayout::setRowVisible corrupts memory in Qt 6.4.2, so whole groups are hidden instead).
    m_details = new QWidget(this);
    auto* groups = new QVBoxLayout(m_details);
    groups->setContentsMargins(0, 6, 0, 0);
    groups->setSpacing(0);
    const int labelWidth = fontMetrics().horizontalAdvance(tr("Secret variable:")) + 8;
    auto group = [this, groups, labelWidth](const char* name) {
        auto* box = new QWidget(m_details);
        box->setObjectName(QLatin1String(name));
        auto* form = new QFormLayout(box);
        form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setHorizontalSpacing(16);
        form->setVerticalSpacing(8);
        form->setContentsMargins(0, 0, 0, 0);
        groups->addWidget(box);
        m_groups.insert(QLatin1String(name), box);
        return std::make_pair(form, labelWidth);
    };
    auto label = [this](const QString& text, int width) {
        auto* l = new QLabel(text, m_details);
        l->setMinimumWidth(width); // the groups' fields line up
        l->setAlignment(Qt::AlignRight | Qt::AlignTop);
        return l;
    };
    auto line = [this](const QString& key, const QString& undo, const QString& hint) {
        auto* edit = new QLineEdit(m_details);
        edit->setObjectName(QStringLiteral("cred_") + key);
        edit->setPlaceholderText(hint);
        return m_binder->bindLine(edit, key, undo);
    };
    {
        auto [form, w] = group("keyFields");
        form->addRow(label(tr("Key id:"), w), line(QStringLiteral("id"), tr("Change key id"), tr("acme-1")));
        m_hash = new QLabel(m_details);
        m_hash->setObjectName(QStringLiteral("cred_hash"));
        m_hash->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_hash->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_hash->setWordWrap(true);
        form->addRow(label(tr("Hash:"), w), m_hash);
    }
    {
        auto [form, w] = group("jwtFields");
        form->addRow(label(tr("Issuer:"), w),
                     line(QStringLiteral("issuer"), tr("Change JWT issuer"), tr("https://auth.example.com")));
        m_source = new QComboBox(m_details);
        m_source->setObjectName(QStringLiteral("cred_source"));
        m_source->addItem(tr("JWKS URL (fetched, RS/ES keys)"), QStringLiteral("jwks_url"));
        m_source->addItem(tr("Shared secret from an environment variable (HS256)"),
                          QStringLiteral("secret_env"));
        m_source->addItem(tr("Public key file (PEM, RS/ES)"), QStringLiteral("public_key"));
        form->addRow(label(tr("Key source:"), w), m_source);
        m_sourceStack = new QStackedWidget(m_details);
        m_sourceStack->addWidget(line(QStringLiteral("jwks_url"), tr("Change JWKS URL"),
                                      tr("https://auth.example.com/.well-known/jwks.json")));
        m_sourceStack->addWidget(
            line(QStringLiteral("secret_env"), tr("Change secret variable"), tr("JWT_SECRET")));
        auto* row = new QWidget(m_details);
        auto* h = new QHBoxLayout(row);
        h->setContentsMargins(0, 0, 0, 0);
        h->addWidget(line(QStringLiteral("public_key"), tr("Change public key file"),
                          tr("keys/issuer.pem (relative to the workspace file)")),
                     1);
        auto* browse = new QPushButton(tr("Browse…"), row);
        browse->setObjectName(QStringLiteral("browsePublicKey"));
        h->addWidget(browse, 0, Qt::AlignTop);
        connect(browse, &QPushButton::clicked, this, &ConsumerCredentialsEditor::choosePublicKey);
        m_sourceStack->addWidget(row);
        m_sourceLabel = label(tr("JWKS URL:"), w);
        form->addRow(m_sourceLabel, m_sourceStack);
        form->addRow(label(tr("Audience:"), w),
                     line(QStringLiteral("audience"), tr("Change JWT audience"), tr("optional")));
    }
    {
        auto [form, w] = group("mtlsFields");
        form->addRow(label(tr("Fingerprint:"), w),
                     line(QStringLiteral("fingerprint"), tr("Change certificate fingerprint"),
                          tr("sha256:… of the client certificate (openssl x509 -fingerprint -sha256)")));
    }
    m_problem = new QLabel(m_details);
    m_problem->setObjectName(QStringLiteral("fieldMessage"));
    m_problem->setWordWrap(true);
    m_problem->setContentsMargins(labelWidth + 16, 4, 0, 0);
    groups->addWidget(m_problem);
    column->addWidget(m_details);

    connect(m_newKey, &QPushButton::clicked, this, &ConsumerCredentialsEditor::issueKey);
    connect(m_addJwt, &QPushButton::clicked, this, [this] { addCredential(QStringLiteral("jwt")); });
    connect(m_addMtls, &QPushButton::clicked, this, [this] { addCredential(QStringLiteral("mtls")); });
    connect(m_revoke, &QPushButton::clicked, this, &ConsumerCredentialsEditor::askToRevoke);
    connect(m_source, &QComboBox::activated, this, &ConsumerCredentialsEditor::changeSource);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) {
        if (row >= 0 && row != m_current && m_binder && m_consumer && m_doc) {
            selectCredential(row);
        }
    });
    connect(consumer, &FormBinder::refreshed, this, &ConsumerCredentialsEditor::reload);
    connect(m_binder, &FormBinder::refreshed, this, &ConsumerCredentialsEditor::showDetails);
    reload();
}

QLineEdit* ConsumerCredentialsEditor::editor(const QString& key) const {
    return findChild<QLineEdit*>(QStringLiteral("cred_") + key);
}

QString ConsumerCredentialsEditor::credentialsKey() const {
    return m_consumer->absoluteKey(QStringLiteral("credentials"));
}

void ConsumerCredentialsEditor::reload() {
    const bool enabled = !m_consumer->prefix().isEmpty();
    ConfigDocument* doc = m_consumer->document();
    const YAML::Node list = enabled ? doc->node(credentialsKey()) : YAML::Node();
    const int rows = list.IsDefined() && list.IsSequence() ? int(list.size()) : 0;
    m_table->setRowCount(rows);
    for (int r = 0; r < rows; ++r) {
        const QStringList texts = rowTexts(doc, QStringLiteral("%1[%2]").arg(credentialsKey()).arg(r));
        for (int c = 0; c < 3; ++c) {
            auto* item = m_table->item(r, c);
            if (!item) {
                item = new QTableWidgetItem;
                m_table->setItem(r, c, item);
            }
            item->setText(texts.value(c));
            item->setToolTip(texts.value(c));
        }
    }
    const int rowHeight = m_table->fontMetrics().height() + 14;
    m_table->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() +
                            std::clamp(rows, 1, 5) * rowHeight + 2 * m_table->frameWidth() + 2);
    for (QPushButton* b : {m_newKey, m_addJwt, m_addMtls}) {
        b->setEnabled(enabled);
    }
    m_revoke->setEnabled(enabled && rows > 0);
    const int keep = m_current >= rows ? rows - 1 : (m_current < 0 && rows > 0 ? 0 : m_current);
    m_current = -2; // force the prefix to follow a consumer change
    selectCredential(enabled ? keep : -1);
}

void ConsumerCredentialsEditor::selectCredential(int index) {
    const QString prefix = index >= 0 ? QStringLiteral("%1[%2]").arg(credentialsKey()).arg(index) : QString();
    m_current = index;
    if (index >= 0 && m_table->currentRow() != index) {
        QSignalBlocker block(m_table);
        m_table->setCurrentCell(index, 0);
    }
    if (m_binder->prefix() != prefix) {
        m_binder->setPrefix(prefix);
    } else {
        showDetails();
    }
}

void ConsumerCredentialsEditor::showDetails() {
    ConfigDocument* doc = m_binder->document();
    const bool has = !m_binder->prefix().isEmpty();
    m_details->setVisible(has);
    if (!has) {
        return;
    }
    const QString type = doc->scalar(m_binder->absoluteKey(QStringLiteral("type")));
    const bool key = type == QLatin1String("key");
    const bool jwt = type == QLatin1String("jwt");
    const bool mtls = type == QLatin1String("mtls");
    int source = 0;
    for (int i = 0; i < 3; ++i) {
        if (doc->node(m_binder->absoluteKey(QLatin1String(kSources[i]))).IsDefined()) {
            source = i;
            break;
        }
    }
    m_source->setCurrentIndex(source);
    m_groups.value(QStringLiteral("keyFields"))->setVisible(key);
    m_groups.value(QStringLiteral("jwtFields"))->setVisible(jwt);
    m_groups.value(QStringLiteral("mtlsFields"))->setVisible(mtls);
    m_sourceStack->setCurrentIndex(source);
    static const char* const labels[] = {QT_TR_NOOP("JWKS URL:"), QT_TR_NOOP("Secret variable:"),
                                         QT_TR_NOOP("Public key:")};
    m_sourceLabel->setText(tr(labels[source]));
    m_hash->setText(doc->scalar(m_binder->absoluteKey(QStringLiteral("hash"))));
    // Messages about a field show under it (the binder); this line is for the credential itself.
    QString problem;
    const std::string self = m_binder->prefix().toStdString();
    for (const ConfigError& e : doc->problems()) {
        if (e.key == self) {
            problem = QString::fromStdString(e.message);
            break;
        }
    }
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

QString ConsumerCredentialsEditor::freeKeyId() const {
    ConfigDocument* doc = m_consumer->document();
    QString name = doc->scalar(m_consumer->absoluteKey(QStringLiteral("name")));
    if (name.isEmpty()) {
        name = QStringLiteral("key");
    }
    // Ids are unique across all consumers, so that an id names one key in logs and reports.
    QStringList taken;
    const YAML::Node consumers = doc->node(QStringLiteral("consumers"));
    for (size_t c = 0; consumers.IsSequence() && c < consumers.size(); ++c) {
        const YAML::Node creds = doc->node(QStringLiteral("consumers[%1].credentials").arg(c));
        for (size_t k = 0; creds.IsSequence() && k < creds.size(); ++k) {
            taken << doc->scalar(QStringLiteral("consumers[%1].credentials[%2].id").arg(c).arg(k));
        }
    }
    for (int n = 1;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(name).arg(n);
        if (!taken.contains(id)) {
            return id;
        }
    }
}

void ConsumerCredentialsEditor::issueKey() {
    if (m_consumer->prefix().isEmpty()) {
        return;
    }
    ConfigDocument* doc = m_consumer->document();
    const QString id = freeKeyId();
    const QString consumer = doc->scalar(m_consumer->absoluteKey(QStringLiteral("name")));
    const NewApiKey issued = newApiKey();
    YAML::Node credential;
    credential["type"] = "key";
    credential["id"] = id.toStdString();
    credential["hash"] = issued.hash;
    // The undo step's text names the id only; the clear key goes to the dialog and nowhere else.
    const int index = doc->append(credentialsKey(), credential, tr("New key %1").arg(id));
    if (index < 0) {
        return;
    }
    selectCredential(index);
    auto* dialog = new NewKeyDialog(QString::fromStdString(issued.key), id, consumer, window());
    dialog->open();
    emit keyIssued(dialog);
}

void ConsumerCredentialsEditor::addCredential(const QString& type) {
    if (m_consumer->prefix().isEmpty()) {
        return;
    }
    YAML::Node credential;
    credential["type"] = type.toStdString();
    if (type == QLatin1String("jwt")) {
        // A complete example the user overwrites: the form never starts in error.
        credential["issuer"] = "https://auth.example.com";
        credential["jwks_url"] = "https://auth.example.com/.well-known/jwks.json";
    } else {
        credential["fingerprint"] = ""; // no sensible default: the field says what it needs
    }
    const int index = m_consumer->document()->append(
        credentialsKey(), credential,
        type == QLatin1String("jwt") ? tr("Add JWT credential") : tr("Add mTLS credential"));
    if (index >= 0) {
        selectCredential(index);
        if (QLineEdit* first = editor(type == QLatin1String("jwt") ? QStringLiteral("issuer")
                                                                   : QStringLiteral("fingerprint"))) {
            first->setFocus();
            first->selectAll();
        }
    }
}

void ConsumerCredentialsEditor::askToRevoke() {
    if (m_current < 0) {
        return;
    }
    ConfigDocument* doc = m_consumer->document();
    const QString key = QStringLiteral("%1[%2]").arg(credentialsKey()).arg(m_current);
    const QStringList texts = rowTexts(doc, key);
    const QString what =
        texts.value(1).isEmpty() ? texts.value(0) : texts.value(0) + QLatin1Char(' ') + texts.value(1);
    const std::string before = YAML::Dump(doc->node(key));
    askToConfirm(
        window(), tr("Revoke credential"),
        tr("Revoke %1? Once applied, calls with it are refused (401). Undo brings it back.").arg(what),
        tr("Revoke"), [this, doc, key, what, before] {
            const auto path = parseKeyPath(key.toStdString());
            const auto list = parseKeyPath(credentialsKey().toStdString());
            if (!path || !list || YAML::Dump(doc->node(key)) != before) {
                return; // it changed while the question was open
            }
            doc->edit(tr("Revoke %1").arg(what), [&](YAML::Node& root) {
                if (!removeNode(root, *path)) {
                    return false;
                }
                if (findNode(root, *list).size() == 0) {
                    removeNode(root, *list);
                }
                return true;
            });
        });
}

void ConsumerCredentialsEditor::changeSource(int index) {
    const auto prefix = parseKeyPath(m_binder->prefix().toStdString());
    if (!prefix || index < 0 || index > 2) {
        return;
    }
    ConfigDocument* doc = m_binder->document();
    const QString chosen = QLatin1String(kSources[index]);
    if (doc->node(m_binder->absoluteKey(chosen)).IsDefined()) {
        return;
    }
    // Exactly one source: the others go in the same step.
    doc->edit(tr("Change JWT key source"), [&](YAML::Node& root) {
        for (const char* k : kSources) {
            KeyPath p = *prefix;
            p.emplace_back(std::string(k));
            removeNode(root, p);
        }
        KeyPath p = *prefix;
        p.emplace_back(chosen.toStdString());
        const char* start = index == 0 ? "https://" : index == 1 ? "JWT_SECRET" : "";
        return setNode(root, p, YAML::Node(std::string(start)));
    });
    if (QLineEdit* edit = editor(chosen)) {
        edit->setFocus();
        edit->end(false);
    }
}

void ConsumerCredentialsEditor::choosePublicKey() {
    ConfigDocument* doc = m_binder->document();
    const QDir base = QFileInfo(doc->path()).absoluteDir();
    const QString file = QFileDialog::getOpenFileName(this, tr("Public key of the issuer"), base.path(),
                                                      tr("PEM files (*.pem *.crt *.pub);;All files (*)"));
    if (file.isEmpty()) {
        return;
    }
    // Relative to the workspace file, as the loader reads it, so the workspace can move.
    const QString relative = base.relativeFilePath(file);
    doc->setValue(m_binder->absoluteKey(QStringLiteral("public_key")),
                  relative.startsWith(QLatin1String("..")) ? file : relative, tr("Change public key file"));
}

} // namespace tollgate::ui
