#include "pages/why_page.h"

#include "bridge/engine_controller.h"
#include "models/explain_chain_model.h"
#include "pages/apis_page.h"
#include "pages/page_header.h"
#include "pages/roomy_delegate.h"

#include <QComboBox>
#include <QFormLayout>
#include <QFrame>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeView>
#include <QVBoxLayout>

namespace tollgate::ui {
namespace {

// Consumers are listed by name; the anonymous caller is the first entry, with no name.
const int kAnonymousRow = 0;

QString badgeStyle(int status) {
    const char* color = status == 200  ? "#2f855a"
                        : status == 0  ? "#718096"
                        : status < 500 ? "#c53030"
                                       : "#b7791f";
    return QStringLiteral("QLabel { background: %1; color: white; border-radius: 6px; padding: 6px 14px; "
                          "font-weight: bold; }")
        .arg(QLatin1String(color));
}

} // namespace

WhyPage::WhyPage(EngineController* controller, QWidget* parent) : QWidget(parent), m_controller(controller) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makePageHeader(
        tr("Why?"),
        tr("What would the gateway answer to this request, and which rules decide it? The same "
           "pipeline as live traffic runs (IP rules, route, lifecycle, authentication, "
           "permissions, limits), with the consumer taken as given instead of a credential."),
        this));

    auto* form = new QFrame(this);
    form->setObjectName(QStringLiteral("whyForm"));
    auto* row = new QHBoxLayout(form);
    row->setContentsMargins(0, 8, 0, 8);
    m_consumer = new QComboBox(form);
    m_consumer->setMinimumContentsLength(14);
    m_consumer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_method = new QComboBox(form);
    m_method->addItems(httpMethods());
    m_path = new QComboBox(form);
    m_path->setEditable(true);
    m_path->setInsertPolicy(QComboBox::InsertAtTop);
    m_path->lineEdit()->setPlaceholderText(tr("/orders/v1/42"));
    m_path->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    auto* askButton = new QPushButton(tr("Ask why"), form);
    askButton->setDefault(true);
    auto* consumerLabel = new QLabel(tr("&Consumer"), form);
    consumerLabel->setBuddy(m_consumer);
    auto* pathLabel = new QLabel(tr("&Request"), form);
    pathLabel->setBuddy(m_path);
    row->addWidget(consumerLabel);
    row->addWidget(m_consumer);
    row->addSpacing(12);
    row->addWidget(pathLabel);
    row->addWidget(m_method);
    row->addWidget(m_path, 1);
    row->addWidget(askButton);
    layout->addWidget(form);

    auto* answer = new QHBoxLayout;
    m_badge = new QLabel(form);
    m_badge->setVisible(false);
    m_badge->setAlignment(Qt::AlignCenter);
    m_summary = new QLabel(tr("Choose a consumer and a request, then ask."), this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    answer->addWidget(m_badge, 0, Qt::AlignTop);
    answer->addWidget(m_summary, 1);
    layout->addLayout(answer);

    m_chain = new ExplainChainModel(this);
    m_chainView = new QTreeView(this);
    m_chainView->setModel(m_chain);
    m_chainView->setItemDelegate(new RoomyDelegate(m_chainView));
    m_chainView->setRootIsDecorated(false);
    m_chainView->setAlternatingRowColors(true);
    m_chainView->setWordWrap(true);
    m_chainView->header()->setStretchLastSection(true);
    m_chainView->setColumnWidth(ExplainChainModel::Step,
                                m_chainView->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 16);
    layout->addWidget(m_chainView, 1);

    connect(askButton, &QPushButton::clicked, this, &WhyPage::askFromFields);
    connect(m_path->lineEdit(), &QLineEdit::returnPressed, this, &WhyPage::askFromFields);
    connect(m_controller, &EngineController::explained, this, &WhyPage::showResult);
    refreshConsumers();
}

void WhyPage::refreshConsumers() {
    const QString current =
        m_consumer->currentIndex() > kAnonymousRow ? m_consumer->currentText() : QString();
    m_consumer->clear();
    m_consumer->addItem(tr("(anonymous)"));
    if (const auto config = m_controller->config()) {
        for (const ConsumerConfig& c : config->consumers) {
            m_consumer->addItem(QString::fromStdString(c.name));
        }
    }
    const int at = current.isEmpty() ? -1 : m_consumer->findText(current);
    m_consumer->setCurrentIndex(at > 0 ? at : (m_consumer->count() > 1 ? 1 : 0));
}

void WhyPage::ask(const QString& consumer, const QString& method, const QString& path) {
    const int at = consumer.isEmpty() ? kAnonymousRow : m_consumer->findText(consumer);
    m_consumer->setCurrentIndex(at >= 0 ? at : kAnonymousRow);
    m_method->setCurrentText(method);
    m_path->setCurrentText(path);
    askFromFields();
}

void WhyPage::askFromFields() {
    ExplainQuery q;
    q.consumer =
        m_consumer->currentIndex() > kAnonymousRow ? m_consumer->currentText().toStdString() : std::string();
    q.method = m_method->currentText().toStdString();
    const QString path = m_path->currentText().trimmed();
    q.path = path.isEmpty() ? std::string("/") : path.toStdString();
    m_summary->setText(tr("Asking…"));
    m_ticket = m_controller->explain(q);
}

void WhyPage::showResult(quint64 ticket, const ExplainResult& result) {
    if (ticket != m_ticket) {
        return;
    }
    m_last = result;
    m_badge->setVisible(true);
    m_badge->setText(result.status == 0     ? tr("cannot tell")
                     : result.status == 200 ? tr("200 allowed")
                                            : QString::number(result.status) + QLatin1Char(' ') +
                                                  QString::fromStdString(result.reason));
    m_badge->setStyleSheet(badgeStyle(result.status));
    // The badge already says "403 deny.no_grant"; the summary's detail follows it.
    QString summary = QString::fromStdString(result.summary);
    const int colon = summary.indexOf(QStringLiteral(": "));
    if (result.status != 0 && colon > 0) {
        summary = summary.mid(colon + 2);
    }
    m_summary->setText(summary);
    m_chain->setResult(result);
    emit resultReady(result);
}

} // namespace tollgate::ui
