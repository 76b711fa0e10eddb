#include "pages/dashboard_page.h"

#include "bridge/engine_controller.h"
#include "models/config_text.h"
#include "pages/page_header.h"
#include "widgets/steady_label.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineSeries>
#include <QProgressBar>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace tollgate::ui {
namespace {

constexpr size_t kBusyRecordsPerSecond = 2000;

const QColor kClassColors[] = {QColor(0x48, 0xbb, 0x78), QColor(0x42, 0x99, 0xe1), QColor(0xed, 0x89, 0x36),
                               QColor(0xe5, 0x3e, 0x3e)};
const char* kClassNames[] = {"2xx", "3xx", "4xx", "5xx"};

QChart* newChart(const QString& title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    QFont f = chart->titleFont();
    f.setBold(true);
    chart->setTitleFont(f);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(6);
    chart->setAnimationOptions(QChart::NoAnimation); // a redraw per tick; animations would lag behind
    return chart;
}

QChartView* newView(QChart* chart, QWidget* parent) {
    auto* view = new QChartView(chart, parent);
    // Not antialiased: a third of the page's cost while traffic flows, for edges nobody misses at this size.
    view->setRenderHint(QPainter::Antialiasing, false);
    view->setMinimumHeight(210);
    return view;
}

QString timeFormat(DashboardPage::Range r) {
    switch (r) {
    case DashboardPage::Range::Live:
        return QStringLiteral("HH:mm:ss");
    case DashboardPage::Range::Hour:
    case DashboardPage::Range::Day:
        return QStringLiteral("HH:mm");
    default:
        return QStringLiteral("dd MMM");
    }
}

int64_t rangeSeconds(DashboardPage::Range r) {
    switch (r) {
    case DashboardPage::Range::Live:
        return 300;
    case DashboardPage::Range::Hour:
        return 3600;
    case DashboardPage::Range::Day:
        return 86'400;
    case DashboardPage::Range::Week:
        return 7 * 86'400;
    case DashboardPage::Range::Month:
        return 30 * 86'400;
    }
    return 300;
}

// A round top and round ticks (1, 2, 2.5 or 5 times a power of ten) above `maxY`: easier to read, and
// the axis lays its labels out again only when the top moves past a step, not every second.
std::pair<double, int> roundScale(double maxY) {
    const double target = maxY > 0 ? maxY * 1.05 / 4 : 0.25;
    const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
    double step = magnitude * 10;
    for (const double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        if (magnitude * m >= target) {
            step = magnitude * m;
            break;
        }
    }
    const int ticks = std::max(int(std::ceil(maxY * 1.05 / step - 1e-9)), 1);
    return {step * ticks, ticks};
}

// The live x axis: seconds before now, labelled once. It never changes, so the charts do not lay
// their axes out again every second as they would for a date axis moving with the clock.
QCategoryAxis* makeLiveAxis() {
    auto* x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setStartValue(-300);
    for (int minutes = 5; minutes >= 1; --minutes) {
        x->append(QObject::tr("-%1 min").arg(minutes), -60.0 * minutes);
    }
    x->append(QObject::tr("now"), 0);
    x->setRange(-300, 0);
    return x;
}

// Time on the x axis, a value axis on y that starts at 0; made once, then only their ranges change
// (recreating axes and series every tick costs more than everything else the console does). The
// chart starts on the live axis; the date axis waits with the page for a history range.
std::pair<QAbstractAxis*, QAbstractAxis*> makeTimeAxes(QChart* chart, const QString& yTitle, QObject* owner) {
    auto* live = makeLiveAxis();
    auto* dates = new QDateTimeAxis(owner);
    dates->setTickCount(6);
    auto* y = new QValueAxis;
    y->setTitleText(yTitle);
    chart->addAxis(live, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(live);
        s->attachAxis(y);
    }
    return {live, dates};
}

void setTimeAxes(QChart* chart, int64_t from, int64_t to, double maxY, const QString& format) {
    auto* y = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).first());
    if (auto* x = qobject_cast<QDateTimeAxis*>(chart->axes(Qt::Horizontal).first())) {
        if (x->format() != format) {
            x->setFormat(format);
        }
        x->setRange(QDateTime::fromSecsSinceEpoch(from), QDateTime::fromSecsSinceEpoch(to));
    }
    const auto [top, ticks] = roundScale(maxY);
    if (y->max() != top || y->min() != 0) {
        y->setRange(0, top);
        y->setTickCount(ticks + 1);
    }
    const QString labels = maxY >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.2f");
    if (y->labelFormat() != labels) {
        y->setLabelFormat(labels);
    }
}

QLineSeries* addLine(QChart* chart, const QString& name, const QColor& color) {
    auto* s = new QLineSeries;
    s->setName(name);
    s->setColor(color);
    chart->addSeries(s);
    return s;
}

void setBars(QChart* chart, const std::vector<RankedName>& names, const QColor& color) {
    // Built once, then updated in place: recreating axes every tick lays the labels out against the
    // previous tick's categories (and elides them).
    auto* series =
        chart->series().isEmpty() ? nullptr : qobject_cast<QHorizontalBarSeries*>(chart->series().first());
    if (!series) {
        series = new QHorizontalBarSeries;
        auto* set = new QBarSet(QObject::tr("requests"));
        set->setColor(color);
        series->append(set);
        series->setLabelsVisible(true);
        series->setLabelsPosition(QAbstractBarSeries::LabelsInsideEnd);
        chart->addSeries(series);
        auto* y = new QBarCategoryAxis;
        auto* x = new QValueAxis;
        x->setLabelFormat(QStringLiteral("%.0f"));
        chart->addAxis(y, Qt::AlignLeft);
        chart->addAxis(x, Qt::AlignBottom);
        series->attachAxis(y);
        series->attachAxis(x);
        chart->legend()->hide();
    }
    QBarSet* set = series->barSets().first();
    auto* y = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Vertical).first());
    auto* x = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).first());
    QStringList categories;
    QList<qreal> values;
    // Largest at the top: horizontal bars draw the first category at the bottom.
    for (auto it = names.rbegin(); it != names.rend(); ++it) {
        values << double(it->requests);
        categories << it->name;
    }
    if (categories.isEmpty()) {
        categories << QObject::tr("no traffic yet");
        values << 0;
    }
    if (set->count() == values.size()) {
        for (qsizetype i = 0; i < values.size(); ++i) {
            if (set->at(i) != values[i]) {
                set->replace(i, values[i]); // in place: no bars removed and made again
            }
        }
    } else {
        set->remove(0, set->count());
        set->append(values);
    }
    if (y->categories() != categories) {
        y->setCategories(categories);
    }
    // Room for the label inside the longest bar, on a round scale that moves only past a step.
    const auto [top, ticks] =
        roundScale(std::max<qreal>(1, *std::max_element(values.begin(), values.end())) * 1.1);
    if (x->max() != top || x->min() != 0) {
        x->setRange(0, top);
        x->setTickCount(ticks + 1);
    }
}

} // namespace

DashboardPage::DashboardPage(EngineController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller) {
    auto* outer = new QVBoxLayout(this);
    outer->addWidget(makePageHeader(tr("Dashboard"),
                                    tr("Who consumes what, live: request rate by status, latency, errors and "
                                       "refusals, the busiest consumers and routes, and every quota."),
                                    this));
    auto* bar = new QHBoxLayout;
    m_rangeBox = new QComboBox(this);
    m_rangeBox->setObjectName(QStringLiteral("dashboardRange"));
    m_rangeBox->addItems(
        {tr("Live (5 min)"), tr("Last hour"), tr("Last 24 hours"), tr("Last 7 days"), tr("Last 30 days")});
    bar->addWidget(new QLabel(tr("Range:"), this));
    bar->addWidget(m_rangeBox);
    bar->addSpacing(12);
    m_api = new QComboBox(this);
    m_plan = new QComboBox(this);
    m_consumer = new QComboBox(this);
    for (auto [box, label] : {std::pair{m_api, tr("API:")}, std::pair{m_plan, tr("Plan:")},
                              std::pair{m_consumer, tr("Consumer:")}}) {
        box->setMinimumContentsLength(10);
        box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        bar->addWidget(new QLabel(label, this));
        bar->addWidget(box);
        connect(box, &QComboBox::currentIndexChanged, this, &DashboardPage::filterChanged);
    }
    bar->addStretch(1);
    m_summary = new QLabel(this);
    m_summary->setStyleSheet(QStringLiteral("color:#4a5568"));
    m_summary->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    keepSteady(m_summary, tr("%1 requests in range").arg(QStringLiteral("999,999,999,999")));
    bar->addWidget(m_summary);
    outer->addLayout(bar);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    auto* grid = new QGridLayout(content);
    grid->setContentsMargins(0, 0, 6, 0);
    const QString titles[] = {tr("Requests per second by status"), tr("Latency (ms)"),
                              tr("Errors (5xx) and refusals (%)"), tr("Top consumers"), tr("Top routes")};
    for (int i = 0; i < 5; ++i) {
        m_views << newView(newChart(titles[i]), content);
    }
    grid->addWidget(m_views[0], 0, 0);
    grid->addWidget(m_views[1], 0, 1);
    grid->addWidget(m_views[2], 1, 0);
    m_gaugeBox = new QWidget(content);
    m_gaugeBox->setObjectName(QStringLiteral("quotaGauges"));
    auto* gaugeColumn = new QVBoxLayout(m_gaugeBox);
    auto* gaugeTitle = new QLabel(tr("<b>Quotas</b>"), m_gaugeBox);
    gaugeColumn->addWidget(gaugeTitle);
    m_gauges = new QGridLayout;
    m_gauges->setColumnStretch(1, 1);
    m_gauges->setVerticalSpacing(4);
    gaugeColumn->addLayout(m_gauges);
    gaugeColumn->addStretch(1);
    grid->addWidget(m_gaugeBox, 1, 1);
    grid->addWidget(m_views[3], 2, 0);
    grid->addWidget(m_views[4], 2, 1);
    makeSeries();
    m_views[3]->setMinimumHeight(260);
    m_views[4]->setMinimumHeight(260);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (!isVisible()) {
            return; // records are still counted; drawing waits until the page is shown
        }
        ++m_tickCount;
        // Past a few thousand requests a second the live charts redraw every other second: the
        // console should cost less, not more, when the gateway is busy. Ranks (sums over 5 minutes)
        // redraw every 6 s.
        const bool busy = m_recordsSinceTick > kBusyRecordsPerSecond;
        m_recordsSinceTick = 0;
        if (m_range == Range::Live && (!busy || m_tickCount % 2 == 0)) {
            draw(m_tickCount % 6 == 0);
        }
        if (m_tickCount % 2 == 0) {
            askUsage();
        }
    });
    m_tick->start();
    connect(m_rangeBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setRange(static_cast<Range>(i)); });
    connect(controller, &EngineController::trafficArrived, this, &DashboardPage::onTraffic);
    connect(controller, &EngineController::usageQueried, this, &DashboardPage::onHistory);
    connect(controller, &EngineController::consumerUsageRead, this, &DashboardPage::onUsage);
    controller->setTrafficFeed(true);
    draw();
}

QChart* DashboardPage::chart(int index) const {
    return index >= 0 && index < m_views.size() ? m_views[index]->chart() : nullptr;
}

int DashboardPage::gaugeCount() const {
    return int(m_gaugeRows.size());
}

void DashboardPage::setConfig(std::shared_ptr<const Config> config) {
    m_config = std::move(config);
    auto fill = [](QComboBox* box, const QStringList& names) {
        const QString current = box->currentText();
        const QSignalBlocker quiet(box);
        box->clear();
        box->addItem(tr("All"));
        box->addItems(names);
        const int i = box->findText(current);
        box->setCurrentIndex(i > 0 ? i : 0);
    };
    QStringList apis, plans, consumers;
    if (m_config) {
        for (const ApiConfig& a : m_config->apis) {
            if (!apis.contains(QString::fromStdString(a.name))) {
                apis << QString::fromStdString(a.name);
            }
        }
        for (const PlanConfig& p : m_config->plans) {
            plans << QString::fromStdString(p.name);
        }
        for (const ConsumerConfig& c : m_config->consumers) {
            consumers << QString::fromStdString(c.name);
        }
    }
    fill(m_api, apis);
    fill(m_plan, plans);
    fill(m_consumer, consumers);
}

DashboardFilter DashboardPage::filter() const {
    auto value = [](QComboBox* box) { return box->currentIndex() > 0 ? box->currentText() : QString(); };
    return {value(m_api), value(m_plan), value(m_consumer)};
}

void DashboardPage::filterChanged() {
    refresh();
}

void DashboardPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void DashboardPage::makeSeries() {
    QChart* rps = chart(0);
    for (int c = 0; c < 4; ++c) {
        auto* lo = new QLineSeries;
        auto* hi = new QLineSeries;
        auto* area = new QAreaSeries(hi, lo);
        area->setName(QLatin1String(kClassNames[c]));
        area->setColor(kClassColors[c]);
        area->setPen(Qt::NoPen); // a band with nothing in it would draw its edge over the one below
        rps->addSeries(area);
        m_rpsBands[size_t(c)] = {lo, hi};
    }
    std::tie(m_liveAxes[0], m_dateAxes[0]) = makeTimeAxes(rps, tr("req/s"), this);
    const char* names[] = {"p50", "p95", "p99"};
    const QColor latencyColors[] = {QColor(0x31, 0x82, 0xce), QColor(0xd6, 0x9e, 0x2e),
                                    QColor(0xc5, 0x30, 0x30)};
    for (int i = 0; i < 3; ++i) {
        m_latencyLines[size_t(i)] = addLine(chart(1), QLatin1String(names[i]), latencyColors[i]);
    }
    std::tie(m_liveAxes[1], m_dateAxes[1]) = makeTimeAxes(chart(1), tr("ms"), this);
    m_errorLine = addLine(chart(2), tr("5xx"), kClassColors[3]);
    m_refusalLine = addLine(chart(2), tr("refused by the gateway"), kClassColors[2]);
    std::tie(m_liveAxes[2], m_dateAxes[2]) = makeTimeAxes(chart(2), tr("%"), this);
}

void DashboardPage::useAxes(bool live) {
    for (size_t i = 0; i < m_liveAxes.size(); ++i) {
        QChart* c = chart(int(i));
        QAbstractAxis* wanted = live ? m_liveAxes[i] : m_dateAxes[i];
        QAbstractAxis* current = c->axes(Qt::Horizontal).first();
        if (current == wanted) {
            continue;
        }
        c->removeAxis(current); // detaches it from the series; the chart no longer owns it
        current->setParent(this);
        c->addAxis(wanted, Qt::AlignBottom);
        for (QAbstractSeries* s : c->series()) {
            s->attachAxis(wanted);
        }
    }
}

void DashboardPage::setRange(Range range) {
    m_range = range;
    {
        const QSignalBlocker quiet(m_rangeBox);
        m_rangeBox->setCurrentIndex(int(range));
    }
    useAxes(range == Range::Live);
    // The store has no plan column; a plan filter applies to live data only.
    m_plan->setEnabled(range == Range::Live);
    if (range != Range::Live) {
        m_data = {}; // until the store answers
        m_summary->setText(tr("Reading the store…"));
    }
    refresh();
}

void DashboardPage::askUsage() {
    if (!m_config) {
        return;
    }
    std::vector<std::string> names;
    for (const ConsumerConfig& c : m_config->consumers) {
        names.push_back(c.name);
    }
    m_usageTicket = m_controller->consumerUsage(names);
}

void DashboardPage::refresh() {
    askUsage();
    if (m_range == Range::Live) {
        draw();
        return;
    }
    const int64_t now = QDateTime::currentSecsSinceEpoch();
    UsageQuery q;
    q.fromUnix = now - rangeSeconds(m_range);
    q.toUnix = now + 1;
    const DashboardFilter f = filter();
    q.consumer = f.consumer.toStdString();
    q.api = f.api.toStdString();
    q.ranked = true;
    m_historyTicket = m_controller->queryUsage(q);
}

void DashboardPage::onTraffic(const RecordBatch& records) {
    // Only count here; the tick draws, so a burst of records costs one redraw.
    for (const RequestRecord& r : *records) {
        m_live.add(r);
    }
    m_recordsSinceTick += records->size();
}

void DashboardPage::onHistory(quint64 ticket, bool ok, const UsageHistory& history, const QString& error) {
    if (ticket != m_historyTicket || m_range == Range::Live) {
        return;
    }
    if (!ok) {
        m_summary->setText(tr("History unavailable: %1").arg(error));
        m_summary->setToolTip(m_summary->text()); // the label is sized for counts, not messages
        m_data = {};
        return;
    }
    m_data = historyData(history, history.query.fromUnix, history.query.toUnix);
    draw();
}

void DashboardPage::onUsage(quint64 ticket, const std::vector<ConsumerUsage>& usage) {
    if (ticket != m_usageTicket) {
        return;
    }
    const int64_t now = QDateTime::currentSecsSinceEpoch();
    std::vector<QuotaGauge> gauges;
    for (const ConsumerUsage& u : usage) {
        if (auto g = quotaGauge(u, now)) {
            gauges.push_back(std::move(*g));
        }
    }
    // The same consumers as last time (the usual case): new values into the same widgets, so the
    // page does not lay itself out again every two seconds.
    if (gauges.size() != m_gaugeRows.size() || (gauges.empty() && !m_noGauges)) {
        while (QLayoutItem* item = m_gauges->takeAt(0)) {
            delete item->widget();
            delete item;
        }
        m_gaugeRows.clear();
        m_noGauges = nullptr;
        for (size_t i = 0; i < gauges.size(); ++i) {
            GaugeRow g{new QLabel(m_gaugeBox), new QProgressBar(m_gaugeBox), new QLabel(m_gaugeBox)};
            g.bar->setRange(0, 1000);
            g.detail->setStyleSheet(QStringLiteral("color:#4a5568"));
            const int row = int(i) * 2;
            m_gauges->addWidget(g.name, row, 0);
            m_gauges->addWidget(g.bar, row, 1);
            m_gauges->addWidget(g.detail, row + 1, 1);
            m_gaugeRows.push_back(g);
        }
        if (gauges.empty()) {
            m_noGauges =
                new QLabel(tr("No consumer has a quota, or the gateway is not running."), m_gaugeBox);
            m_gauges->addWidget(m_noGauges, 0, 0, 1, 2);
        }
    }
    for (size_t i = 0; i < gauges.size(); ++i) {
        const QuotaGauge& g = gauges[i];
        const GaugeRow& w = m_gaugeRows[i];
        const QString name = QStringLiteral("<b>%1</b><br><span style='color:#718096'>%2</span>")
                                 .arg(g.consumer.toHtmlEscaped(), g.plan.toHtmlEscaped());
        if (w.name->text() != name) { // rich text: laid out again on every change
            w.name->setText(name);
        }
        w.bar->setValue(int(std::min(1.0, g.fraction()) * 1000));
        w.bar->setFormat(QStringLiteral("%1 / %2").arg(countText(g.used), countText(g.limit)));
        const QString sheet =
            g.fraction() >= 0.9 ? QStringLiteral("QProgressBar::chunk { background: #e53e3e; }") : QString();
        if (w.bar->styleSheet() != sheet) {
            w.bar->setStyleSheet(sheet);
        }
        QString when =
            tr("resets %1")
                .arg(QDateTime::fromSecsSinceEpoch(g.resetsAt).toString(QStringLiteral("d MMM HH:mm")));
        if (g.remaining == 0) {
            when = tr("used up · ") + when;
        } else if (g.runsOutAt) {
            when +=
                tr(" · runs out %1 at this pace")
                    .arg(QDateTime::fromSecsSinceEpoch(*g.runsOutAt).toString(QStringLiteral("d MMM HH:mm")));
        }
        w.detail->setText(when);
    }
}

void DashboardPage::draw(bool ranks) {
    const int64_t now = QDateTime::currentSecsSinceEpoch();
    if (m_range == Range::Live) {
        m_data = m_live.data(now, filter());
    }
    const auto& points = m_data.points;
    const int64_t from = points.empty() ? now - rangeSeconds(m_range) : points.front().start;
    const int64_t to = points.empty() ? now : points.back().start + m_data.bucketSeconds;
    const QString format = timeFormat(m_range);
    // Live points sit at seconds before now; history points at their time (ms since the epoch).
    const bool live = m_range == Range::Live;
    auto ms = [live, now](int64_t s) { return live ? double(s - now) : double(s) * 1000.0; };

    // Requests per second, stacked: each class's band sits on the ones before it.
    QList<QPointF> lower;
    lower.reserve(qsizetype(points.size()));
    for (const ChartPoint& p : points) {
        lower << QPointF(ms(p.start), 0);
    }
    double maxRps = 0;
    for (size_t c = 0; c < 4; ++c) {
        QList<QPointF> upper;
        upper.reserve(lower.size());
        for (qsizetype i = 0; i < lower.size(); ++i) {
            const ChartPoint& p = points[size_t(i)];
            // 1xx and requests without a status are folded into 2xx: too few to need their own band.
            const double v = p.perSecond[c + 2] + (c == 0 ? p.perSecond[0] + p.perSecond[1] : 0);
            upper << QPointF(lower[i].x(), lower[i].y() + v);
            maxRps = std::max(maxRps, upper.back().y());
        }
        m_rpsBands[c].first->replace(lower);
        m_rpsBands[c].second->replace(upper);
        lower = std::move(upper);
    }
    setTimeAxes(chart(0), from, to, maxRps, format);

    double maxMs = 0;
    double ChartPoint::*fields[] = {&ChartPoint::p50Ms, &ChartPoint::p95Ms, &ChartPoint::p99Ms};
    for (size_t i = 0; i < 3; ++i) {
        QList<QPointF> pts;
        pts.reserve(qsizetype(points.size()));
        for (const ChartPoint& p : points) {
            pts << QPointF(ms(p.start), p.*fields[i]);
            maxMs = std::max(maxMs, p.*fields[i]);
        }
        m_latencyLines[i]->replace(pts);
    }
    setTimeAxes(chart(1), from, to, maxMs, format);

    double maxRate = 0;
    QList<QPointF> e, r;
    for (const ChartPoint& p : points) {
        e << QPointF(ms(p.start), p.errorRate * 100);
        r << QPointF(ms(p.start), p.refusalRate * 100);
        maxRate = std::max({maxRate, p.errorRate * 100, p.refusalRate * 100});
    }
    m_errorLine->replace(e);
    m_refusalLine->replace(r);
    setTimeAxes(chart(2), from, to, std::min(100.0, maxRate), format);

    if (ranks) {
        setBars(chart(3), m_data.topConsumers, QColor(0x2b, 0x6c, 0xb0));
        setBars(chart(4), m_data.topRoutes, QColor(0x38, 0xa1, 0x69));
    }
    m_summary->setText(tr("%1 requests in range").arg(countText(m_data.requests)));
}

} // namespace tollgate::ui
