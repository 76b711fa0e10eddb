#include "pages/traffic_page.h"

#include "bridge/engine_controller.h"
#include "models/config_text.h"
#include "pages/page_header.h"
#include "replay/exchange_html.h"
#include "replay/replay_dialog.h"
#include "traffic/answer_note.h"
#include "traffic/traffic_cell_delegate.h"
#include "traffic/traffic_export.h"
#include "widgets/steady_label.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollBar>
#include <QSettings>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace tollgate::ui {
namespace {

const QString kSavedFilters = QStringLiteral("traffic/savedFilters");
constexpr int kExchangeCache = 4096;    // fetched heads kept by the page (the engine keeps 1,024)
constexpr size_t kBusyFlushRows = 1000; // above this many rows a flush, the table updates once a second

QString esc(const QString& s) {
    return s.toHtmlEscaped();
}

// Gateway time and upstream time as one bar, so where the time went shows at a glance.
QString timingBar(const TrafficRow& r) {
    const double total = std::max<double>(r.totalMicros, 1);
    const int upstream = int(100.0 * r.upstreamMicros / total + 0.5);
    const int gateway = std::max(0, 100 - upstream);
    QString cells;
    if (gateway > 0) {
        cells += QStringLiteral("<td width='%1%' bgcolor='#2b6cb0'>&nbsp;</td>").arg(gateway);
    }
    if (upstream > 0) {
        cells += QStringLiteral("<td width='%1%' bgcolor='#9ae6b4'>&nbsp;</td>").arg(upstream);
    }
    return QStringLiteral("<table width='100%' cellspacing='0' cellpadding='0'><tr>%1</tr></table>"
                          "<p style='color:#4a5568'>gateway %2 ms · upstream %3 ms · total %4 ms</p>")
        .arg(cells)
        .arg((r.totalMicros - std::min(r.totalMicros, r.upstreamMicros)) / 1000.0, 0, 'f', 2)
        .arg(r.upstreamMicros / 1000.0, 0, 'f', 2)
        .arg(r.totalMicros / 1000.0, 0, 'f', 2);
}

} // namespace

TrafficPage::TrafficPage(EngineController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_model(new TrafficModel(100'000, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(makePageHeader(
        tr("Traffic"),
        tr("Every request as it happens, refusals included, with the reason the gateway gave. Filter with "
           "expressions such as <code>status:4xx consumer:acme path:/orders latency:&gt;200ms "
           "reason:limit.*</code>."),
        this));

    auto* bar = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("trafficFilter"));
    m_filter->setPlaceholderText(tr("Filter: status:4xx consumer:acme path:/orders latency:>200ms"));
    m_filter->setClearButtonEnabled(true);
    bar->addWidget(m_filter, 1);
    m_saved = new QComboBox(this);
    m_saved->setObjectName(QStringLiteral("savedFilters"));
    m_saved->setMinimumContentsLength(18);
    m_saved->setPlaceholderText(tr("Saved filters"));
    m_saved->addItems(QSettings().value(kSavedFilters).toStringList());
    m_saved->setCurrentIndex(-1);
    bar->addWidget(m_saved);
    auto* save = new QPushButton(tr("Save filter"), this);
    bar->addWidget(save);
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("pauseTraffic"));
    m_pause->setCheckable(true);
    bar->addWidget(m_pause);
    m_follow = new QCheckBox(tr("Follow newest"), this);
    m_follow->setChecked(true);
    bar->addWidget(m_follow);
    auto* clear = new QPushButton(tr("Clear"), this);
    bar->addWidget(clear);
    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(exportButton);
    menu->addAction(tr("Selection as HAR…"), this, [this] { chooseExport(true, false); });
    menu->addAction(tr("Everything shown as HAR…"), this, [this] { chooseExport(true, true); });
    menu->addAction(tr("Selection as CSV…"), this, [this] { chooseExport(false, false); });
    menu->addAction(tr("Everything shown as CSV…"), this, [this] { chooseExport(false, true); });
    exportButton->setMenu(menu);
    bar->addWidget(exportButton);
    layout->addLayout(bar);

    m_filterError = new QLabel(this);
    m_filterError->setObjectName(QStringLiteral("fieldMessage"));
    m_filterError->setVisible(false);
    layout->addWidget(m_filterError);

    auto* split = new QSplitter(Qt::Vertical, this);
    m_view = new QTableView(split);
    m_view->setObjectName(QStringLiteral("trafficTable"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new TrafficCellDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    const int ch = m_view->fontMetrics().horizontalAdvance(QLatin1Char('x'));
    const int widths[] = {12, 10, 7, 7, 26, 15, 6, 17, 8, 8};
    for (int c = 0; c < TrafficModel::ColumnCount; ++c) {
        m_view->setColumnWidth(c, widths[c] * ch + 12);
    }
    // What happened and why on the left, the heads and Replay on the right.
    auto* detailPane = new QSplitter(Qt::Horizontal, split);
    m_detail = new QTextBrowser(detailPane);
    m_detail->setObjectName(QStringLiteral("trafficDetail"));
    m_detail->setPlaceholderText(tr("Select a request to see what happened to it and why."));
    auto* headersPane = new QWidget(detailPane);
    auto* headersLayout = new QVBoxLayout(headersPane);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->setSpacing(4);
    m_headersView = new QTextBrowser(headersPane);
    m_headersView->setObjectName(QStringLiteral("trafficHeaders"));
    m_headersView->setPlaceholderText(tr("Request and response headers"));
    headersLayout->addWidget(m_headersView, 1);
    auto* detailBar = new QHBoxLayout;
    m_replayButton = new QPushButton(tr("Replay…"), headersPane);
    m_replayButton->setObjectName(QStringLiteral("replayButton"));
    m_replayButton->setToolTip(tr("Send this request again and compare the answers (Ctrl+R)"));
    m_replayButton->setEnabled(false);
    detailBar->addWidget(m_replayButton);
    detailBar->addStretch(1);
    headersLayout->addLayout(detailBar);
    detailPane->addWidget(m_detail);
    detailPane->addWidget(headersPane);
    detailPane->setStretchFactor(0, 1);
    detailPane->setStretchFactor(1, 1);
    split->addWidget(m_view);
    split->addWidget(detailPane);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    m_count = new QLabel(this);
    m_count->setStyleSheet(QStringLiteral("color:#4a5568"));
    keepSteady(m_count,
               tr("%1 requests kept, %2 shown").arg(QStringLiteral("100,000"), QStringLiteral("100,000")) +
                   tr(" · paused, %1 waiting").arg(QStringLiteral("100,000")) + QStringLiteral("MMMMMMMMMM"));
    layout->addWidget(m_count);

    m_flush = new QTimer(this);
    m_flush->setSingleShot(true);
    connect(m_flush, &QTimer::timeout, this, &TrafficPage::flush);
    m_filterDelay = new QTimer(this);
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(250);
    connect(m_filterDelay, &QTimer::timeout, this, &TrafficPage::applyFilter);
    connect(m_filter, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_saved, &QComboBox::textActivated, this, [this](const QString& text) {
        m_filter->setText(text);
        applyFilter();
    });
    connect(save, &QPushButton::clicked, this, &TrafficPage::saveFilter);
    connect(m_pause, &QPushButton::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        updateCount();
    });
    connect(clear, &QPushButton::clicked, this, [this] {
        m_model->clear();
        m_detail->clear();
        m_headersView->clear();
        m_detailSeq = 0;
        m_replayButton->setEnabled(false);
        updateCount();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TrafficPage::showDetail);
    connect(controller, &EngineController::trafficArrived, this, &TrafficPage::onTraffic);
    connect(m_model, &TrafficModel::rowsShifted, this, [this](int rows) { followShift(rows, true); });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this](const QModelIndex&, int first, int last) {
        if (first == 0) {
            followShift(last + 1, false);
        }
    });
    connect(controller, &EngineController::explained, this, &TrafficPage::showExplained);
    connect(controller, &EngineController::exchangesRead, this, &TrafficPage::onExchanges);
    connect(m_replayButton, &QPushButton::clicked, this, &TrafficPage::openReplay);
    auto* replayKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_R), this);
    replayKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(replayKey, &QShortcut::activated, this, &TrafficPage::openReplay);
    controller->setTrafficFeed(true);
    updateCount();
}

void TrafficPage::onTraffic(const RecordBatch& records) {
    // Batches wait and go in together: the table scrolls and repaints at most twice a second whatever
    // the request rate, which is most of what watching traffic costs. Past a few thousand requests a
    // second no one reads rows at that pace, and once a second halves the cost again.
    m_waiting.push_back(records);
    if (!m_flush->isActive()) {
        m_flush->start(m_lastFlushRows > kBusyFlushRows ? 1000 : 500);
    }
}

void TrafficPage::flush() {
    m_flush->stop();
    // While another page is shown (the window's stack hides this one), the table keeps its rows
    // waiting (still bounded) and shows them when its page comes back: one insert then, instead of a
    // view update per batch meanwhile.
    m_model->setHeld(isHidden());
    size_t rows = 0;
    for (const RecordBatch& batch : m_waiting) {
        m_model->append(*batch);
        rows += batch->size();
    }
    m_waiting.clear();
    m_lastFlushRows = rows;
    if (m_follow->isChecked() && !m_model->isPaused() && !m_model->isHeld()) {
        m_view->scrollToBottom();
    }
    updateCount();
}

void TrafficPage::followShift(int rows, bool moveSelection) {
    // The selection, the current row and (when not following) the rows in view stay with their
    // requests; those that left the table leave the selection.
    QItemSelectionModel* selection = m_view->selectionModel();
    const QModelIndex current = selection->currentIndex();
    if (moveSelection && (selection->hasSelection() || current.isValid())) {
        QItemSelection moved;
        for (const QItemSelectionRange& range : selection->selection()) {
            if (range.bottom() - rows >= 0) {
                moved.select(m_model->index(std::max(range.top() - rows, 0), range.left()),
                             m_model->index(range.bottom() - rows, range.right()));
            }
        }
        const int row = current.isValid() ? current.row() - rows : -1;
        const QSignalBlocker quiet(selection); // the same requests stay selected: nothing to show again
        selection->select(moved, QItemSelectionModel::ClearAndSelect);
        selection->setCurrentIndex(row >= 0 ? m_model->index(row, current.column()) : QModelIndex(),
                                   QItemSelectionModel::NoUpdate);
        if (row < 0) {
            showDetail();
        }
        m_view->viewport()->update();
    }
    if (!m_follow->isChecked()) {
        QScrollBar* bar = m_view->verticalScrollBar();
        const int step =
            m_view->verticalScrollMode() == QAbstractItemView::ScrollPerPixel ? m_view->rowHeight(0) : 1;
        bar->setValue(bar->value() - rows * step);
    }
}

void TrafficPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    flush();
}

void TrafficPage::applyFilter() {
    m_filterDelay->stop();
    QString error;
    const bool ok = m_model->setFilter(m_filter->text(), &error);
    m_filterError->setText(ok ? QString() : error);
    m_filterError->setVisible(!ok);
    m_filter->setProperty("invalid", !ok);
    m_filter->style()->unpolish(m_filter);
    m_filter->style()->polish(m_filter);
    if (ok && m_follow->isChecked()) {
        m_view->scrollToBottom();
    }
    updateCount();
}

void TrafficPage::updateCount() {
    QString text = tr("%1 requests kept, %2 shown")
                       .arg(countText(m_model->keptCount()), countText(size_t(m_model->rowCount())));
    if (m_model->isPaused()) {
        text += tr(" · paused, %1 waiting").arg(countText(m_model->pendingCount()));
    }
    m_count->setText(text);
}

void TrafficPage::saveFilter() {
    const QString text = m_filter->text().trimmed();
    if (text.isEmpty() || m_saved->findText(text) >= 0 || !TrafficFilter::parse(text)) {
        return;
    }
    m_saved->addItem(text);
    QStringList all;
    for (int i = 0; i < m_saved->count(); ++i) {
        all << m_saved->itemText(i);
    }
    QSettings().setValue(kSavedFilters, all);
}

void TrafficPage::showDetail() {
    const std::optional<TrafficRow> r = m_model->rowAt(m_view->currentIndex().row());
    if (!r) {
        m_detail->clear();
        m_headersView->clear();
        m_detailSeq = 0;
        m_replayButton->setEnabled(false);
        return;
    }
    m_detailSeq = r->seq;
    m_whyHtml = tr("<p style='color:#718096'>Asking why…</p>");
    m_replayButton->setEnabled(exchange(*r) != nullptr);
    if (!exchange(*r)) {
        m_headersTicket = m_controller->exchanges({r->seq});
    }
    const QString when = QDateTime::fromMSecsSinceEpoch(r->unixMicros / 1000)
                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    m_detailHtml =
        QStringLiteral("<h3 style='margin:0'>%1 %2 → %3 %4</h3>")
            .arg(esc(methodName(r->method)), esc(r->path))
            .arg(r->status)
            .arg(r->reason.isEmpty() ? QString() : QStringLiteral("<code>%1</code>").arg(esc(r->reason))) +
        QStringLiteral("<p>%1 · consumer <b>%2</b>%3 · %4 · from %5%6 · %7 in, %8 out</p>")
            .arg(esc(when), r->consumer.isEmpty() ? tr("none") : esc(r->consumer),
                 r->plan.isEmpty() ? QString() : tr(" (plan %1)").arg(esc(r->plan)),
                 r->route.isEmpty() ? tr("no route")
                                    : tr("route %1 %2/%3").arg(esc(r->api), esc(r->version), esc(r->route)),
                 esc(r->clientIp), r->target.isEmpty() ? QString() : tr(" · upstream %1").arg(esc(r->target)),
                 sizeText(r->bytesIn), sizeText(r->bytesOut)) +
        timingBar(*r);
    renderDetail();
    ExplainQuery q;
    q.consumer = r->consumer.toStdString();
    q.method = methodName(r->method).toStdString();
    q.path = r->path.toStdString();
    q.clientIp = r->clientIp.isEmpty() ? std::string("127.0.0.1") : r->clientIp.toStdString();
    m_ticket = m_controller->explain(q);
}

void TrafficPage::showExplained(quint64 ticket, const ExplainResult& result) {
    if (ticket != m_ticket) {
        return;
    }
    QString why;
    const std::optional<TrafficRow> r = m_model->rowAt(m_view->currentIndex().row());
    if (r && r->seq == m_detailSeq) {
        const QString note = answerNote(r->status, r->reason, result.status);
        if (!note.isEmpty()) {
            why += QStringLiteral("<p style='background:#fefcbf;padding:4px'>%1</p>").arg(esc(note));
        }
    }
    why += QStringLiteral("<p><b>Why, by today's rules:</b> %1</p><ol>")
               .arg(esc(QString::fromStdString(result.summary)));
    for (const std::string& line : result.chain) {
        why += QStringLiteral("<li>%1</li>").arg(esc(QString::fromStdString(line)));
    }
    why += QStringLiteral("</ol>");
    m_whyHtml = why;
    renderDetail();
}

void TrafficPage::renderDetail() {
    if (m_detailSeq == 0) {
        return;
    }
    const std::optional<TrafficRow> r = m_model->rowAt(m_view->currentIndex().row());
    const CapturedExchange* x = r && r->seq == m_detailSeq ? exchange(*r) : nullptr;
    const bool asking = !x && m_headersTicket != 0;
    const QString headers = asking ? tr("<p style='color:#718096'>Fetching headers…</p>") : exchangeHtml(x);
    m_detail->setHtml(m_detailHtml + m_whyHtml);
    m_headersView->setHtml(headers);
}

void TrafficPage::onExchanges(quint64 ticket, const std::vector<CapturedExchange>& found) {
    if (m_exchanges.size() + qsizetype(found.size()) > kExchangeCache) {
        m_exchanges.clear(); // older heads are fetched again when needed
    }
    for (const CapturedExchange& x : found) {
        m_exchanges.insert(x.seq, x);
    }
    if (ticket == m_headersTicket) {
        m_headersTicket = 0;
        const std::optional<TrafficRow> r = m_model->rowAt(m_view->currentIndex().row());
        m_replayButton->setEnabled(r && r->seq == m_detailSeq && exchange(*r));
        renderDetail();
    }
    const auto pending = m_pendingExports.constFind(ticket);
    if (pending != m_pendingExports.cend()) {
        const PendingExport job = *pending;
        m_pendingExports.erase(pending);
        QString error;
        const bool ok = exportTo(job.path, job.har, job.all, &error);
        if (!ok) {
            m_count->setText(tr("Export failed: %1").arg(error));
        }
        emit exported(ok, error);
    }
}

ReplayDialog* TrafficPage::replayDialog() const {
    return m_replay.data();
}

const CapturedExchange* TrafficPage::exchange(const TrafficRow& row) const {
    const auto it = m_exchanges.constFind(row.seq);
    // Seqs start again at 1 when the gateway restarts: the time tells the two requests apart.
    return it == m_exchanges.cend() || it->unixMicros != row.unixMicros ? nullptr : &*it;
}

ReplayDialog* TrafficPage::openReplay() {
    const std::optional<TrafficRow> r = m_model->rowAt(m_view->currentIndex().row());
    const CapturedExchange* x = r ? exchange(*r) : nullptr;
    if (!x) {
        return nullptr;
    }
    const QString base = m_controller->status().listeners.empty()
                             ? QStringLiteral("http://127.0.0.1")
                             : QString::fromStdString(m_controller->status().listeners.front().url());
    if (m_replay) {
        m_replay->close();
    }
    m_replay = new ReplayDialog(*r, *x, base, m_credentials, this);
    m_replay->setAttribute(Qt::WA_DeleteOnClose);
    m_replay->show();
    return m_replay;
}

std::vector<TrafficRow> TrafficPage::rows(bool all) const {
    std::vector<TrafficRow> out;
    if (all) {
        out.reserve(size_t(m_model->rowCount()));
        for (int i = 0; i < m_model->rowCount(); ++i) {
            out.push_back(*m_model->rowAt(i));
        }
        return out;
    }
    QModelIndexList selected = m_view->selectionModel()->selectedRows();
    std::sort(selected.begin(), selected.end(),
              [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& i : selected) {
        if (auto r = m_model->rowAt(i.row())) {
            out.push_back(std::move(*r));
        }
    }
    return out;
}

bool TrafficPage::exportTo(const QString& path, bool har, bool all, QString* error) const {
    const std::vector<TrafficRow> chosen = rows(all);
    const QString base = m_controller->status().listeners.empty()
                             ? QStringLiteral("http://localhost")
                             : QString::fromStdString(m_controller->status().listeners.front().url());
    const auto heads = [this](const TrafficRow& row) { return exchange(row); };
    const QByteArray bytes =
        har ? QJsonDocument(trafficHar(chosen, base, heads)).toJson(QJsonDocument::Indented)
            : trafficCsv(chosen);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error) {
            *error = file.errorString();
        }
        return false;
    }
    return true;
}

void TrafficPage::chooseExport(bool har, bool all) {
    const QString path =
        QFileDialog::getSaveFileName(this, har ? tr("Export as HAR") : tr("Export as CSV"),
                                     har ? QStringLiteral("traffic.har") : QStringLiteral("traffic.csv"),
                                     har ? tr("HAR files (*.har)") : tr("CSV files (*.csv)"));
    if (!path.isEmpty()) {
        exportWhenReady(path, har, all);
    }
}

void TrafficPage::exportWhenReady(const QString& path, bool har, bool all) {
    std::vector<uint64_t> missing;
    if (har) {
        const std::vector<TrafficRow> chosen = rows(all);
        uint64_t newest = 0;
        for (const TrafficRow& r : chosen) {
            newest = std::max<uint64_t>(newest, r.seq);
        }
        for (const TrafficRow& r : chosen) {
            // The engine keeps the heads of its last 1,024 requests only.
            if (r.seq + 1024 > newest && !exchange(r)) {
                missing.push_back(r.seq);
            }
        }
    }
    if (missing.empty()) {
        QString error;
        const bool ok = exportTo(path, har, all, &error);
        if (!ok) {
            m_count->setText(tr("Export failed: %1").arg(error));
        }
        emit exported(ok, error);
        return;
    }
    m_pendingExports.insert(m_controller->exchanges(missing), PendingExport{path, har, all});
}

} // namespace tollgate::ui
