#include "pages/dashboard_page.h"

#include "bridge/engine_controller.h"
#include "models/config_text.h"
#include "pages/page_header.h"

#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
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

namespace tollgate::ui {
namespace {

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
    view->setRenderHint(QPainter::Antialiasing);
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

// Time on the x axis, a value axis on y that starts at 0 and fits the data.
void setAxes(QChart* chart, int64_t from, int64_t to, double maxY, const QString& format,
             const QString& yTitle) {
    for (QAbstractAxis* a : chart->axes()) {
        chart->removeAxis(a);
        delete a;
    }
    auto* x = new QDateTimeAxis;
    x->setFormat(format);
    x->setRange(QDateTime::fromSecsSinceEpoch(from), QDateTime::fromSecsSinceEpoch(to));
    x->setTickCount(6);
    auto* y = new QValueAxis;
    y->setRange(0, maxY > 0 ? maxY * 1.1 : 1);
    y->setLabelFormat(maxY >= 10 ? QStringLiteral("%.0f") : QStringLiteral("%.2f"));
    y->setTitleText(yTitle);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* s : chart->series()) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
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
    set->remove(0, set->count());
    set->append(values);
    if (y->categories() != categories) {
        y->setCategories(categories);
    }
    x->setRange(0, std::max<qreal>(1, *std::max_element(values.begin(), values.end())) * 1.1);
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
    m_views[3]->setMinimumHeight(260);
    m_views[4]->setMinimumHeight(260);
    scroll->setWidget(content);
    outer->addWidget(scroll, 1);

    m_tick = new QTimer(this);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this] {
        if (m_range == Range::Live) {
            draw();
        }
        if (++m_tickCount % 2 == 0 && m_config) {
            std::vector<std::string> names;
            for (const ConsumerConfig& c : m_config->consumers) {
                names.push_back(c.name);
            }
            m_usageTicket = m_controller->consumerUsage(names);
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
    return m_gauges->rowCount() > 0 && m_gauges->itemAtPosition(0, 1) ? m_gauges->rowCount() : 0;
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
    m_live.clear();
    m_live.setFilter(filter());
    for (const TrafficRow& r : m_recent) {
        m_live.add(r);
    }
    refresh();
}

void DashboardPage::setRange(Range range) {
    m_range = range;
    {
        const QSignalBlocker quiet(m_rangeBox);
        m_rangeBox->setCurrentIndex(int(range));
    }
    // The store has no plan column; a plan filter applies to live data only.
    m_plan->setEnabled(range == Range::Live);
    if (range != Range::Live) {
        m_data = {}; // until the store answers
        m_summary->setText(tr("Reading the store…"));
    }
    refresh();
}

void DashboardPage::refresh() {
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
    m_historyTicket = m_controller->queryUsage(q);
}

void DashboardPage::onTraffic(const std::vector<TrafficRow>& rows) {
    // Only collect here; the tick draws, so a burst of rows costs one redraw.
    const int64_t horizon = (QDateTime::currentSecsSinceEpoch() - 300) * 1'000'000;
    for (const TrafficRow& r : rows) {
        m_live.add(r);
        m_recent.push_back(r);
    }
    auto firstKept = std::find_if(m_recent.begin(), m_recent.end(),
                                  [horizon](const TrafficRow& r) { return r.unixMicros >= horizon; });
    m_recent.erase(m_recent.begin(), firstKept);
}

void DashboardPage::onHistory(quint64 ticket, bool ok, const UsageHistory& history, const QString& error) {
    if (ticket != m_historyTicket || m_range == Range::Live) {
        return;
    }
    if (!ok) {
        m_summary->setText(tr("History unavailable: %1").arg(error));
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
    while (QLayoutItem* item = m_gauges->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const int64_t now = QDateTime::currentSecsSinceEpoch();
    int row = 0;
    for (const ConsumerUsage& u : usage) {
        const auto g = quotaGauge(u, now);
        if (!g) {
            continue;
        }
        auto* name = new QLabel(QStringLiteral("<b>%1</b><br><span style='color:#718096'>%2</span>")
                                    .arg(g->consumer.toHtmlEscaped(), g->plan.toHtmlEscaped()),
                                m_gaugeBox);
        auto* bar = new QProgressBar(m_gaugeBox);
        bar->setRange(0, 1000);
        bar->setValue(int(std::min(1.0, g->fraction()) * 1000));
        bar->setFormat(QStringLiteral("%1 / %2").arg(countText(g->used), countText(g->limit)));
        if (g->fraction() >= 0.9) {
            bar->setStyleSheet(QStringLiteral("QProgressBar::chunk { background: #e53e3e; }"));
        }
        QString when =
            tr("resets %1")
                .arg(QDateTime::fromSecsSinceEpoch(g->resetsAt).toString(QStringLiteral("d MMM HH:mm")));
        if (g->remaining == 0) {
            when = tr("used up · ") + when;
        } else if (g->runsOutAt) {
            when +=
                tr(" · runs out %1 at this pace")
                    .arg(
                        QDateTime::fromSecsSinceEpoch(*g->runsOutAt).toString(QStringLiteral("d MMM HH:mm")));
        }
        auto* detail = new QLabel(when, m_gaugeBox);
        detail->setStyleSheet(QStringLiteral("color:#4a5568"));
        m_gauges->addWidget(name, row, 0);
        m_gauges->addWidget(bar, row, 1);
        m_gauges->addWidget(detail, row + 1, 1);
        row += 2;
    }
    if (row == 0) {
        m_gauges->addWidget(
            new QLabel(tr("No consumer has a quota, or the gateway is not running."), m_gaugeBox), 0, 0, 1,
            2);
    }
}

void DashboardPage::draw() {
    const int64_t now = QDateTime::currentSecsSinceEpoch();
    if (m_range == Range::Live) {
        m_data = m_live.data(now);
    }
    const auto& points = m_data.points;
    const int64_t from = points.empty() ? now - rangeSeconds(m_range) : points.front().start;
    const int64_t to = points.empty() ? now : points.back().start + m_data.bucketSeconds;
    const QString format = timeFormat(m_range);
    auto ms = [](int64_t s) { return double(s) * 1000.0; };

    // Requests per second, stacked: each class's area sits on the ones before it.
    QChart* rps = chart(0);
    rps->removeAllSeries();
    QList<QPointF> lower;
    for (const ChartPoint& p : points) {
        lower << QPointF(ms(p.start), 0);
    }
    double maxRps = 0;
    for (int c = 0; c < 4; ++c) {
        auto* lo = new QLineSeries;
        lo->replace(lower);
        auto* hi = new QLineSeries;
        QList<QPointF> upper;
        for (qsizetype i = 0; i < lower.size(); ++i) {
            const ChartPoint& p = points[size_t(i)];
            // 1xx and requests without a status are folded into 2xx: too few to need their own band.
            double v = p.perSecond[size_t(c) + 2] + (c == 0 ? p.perSecond[0] + p.perSecond[1] : 0);
            upper << QPointF(lower[i].x(), lower[i].y() + v);
            maxRps = std::max(maxRps, upper.back().y());
        }
        hi->replace(upper);
        auto* area = new QAreaSeries(hi, lo);
        area->setName(QLatin1String(kClassNames[c]));
        area->setColor(kClassColors[c]);
        area->setBorderColor(kClassColors[c].darker(120));
        rps->addSeries(area);
        lower = upper;
    }
    setAxes(rps, from, to, maxRps, format, tr("req/s"));

    QChart* latency = chart(1);
    latency->removeAllSeries();
    double maxMs = 0;
    const std::pair<const char*, double ChartPoint::*> lines[] = {
        {"p50", &ChartPoint::p50Ms}, {"p95", &ChartPoint::p95Ms}, {"p99", &ChartPoint::p99Ms}};
    const QColor latencyColors[] = {QColor(0x31, 0x82, 0xce), QColor(0xd6, 0x9e, 0x2e),
                                    QColor(0xc5, 0x30, 0x30)};
    for (int i = 0; i < 3; ++i) {
        auto* s = new QLineSeries;
        s->setName(QLatin1String(lines[i].first));
        s->setColor(latencyColors[i]);
        QList<QPointF> pts;
        for (const ChartPoint& p : points) {
            pts << QPointF(ms(p.start), p.*(lines[i].second));
            maxMs = std::max(maxMs, p.*(lines[i].second));
        }
        s->replace(pts);
        latency->addSeries(s);
    }
    setAxes(latency, from, to, maxMs, format, tr("ms"));

    QChart* errors = chart(2);
    errors->removeAllSeries();
    auto* err = new QLineSeries;
    err->setName(tr("5xx"));
    err->setColor(kClassColors[3]);
    auto* refused = new QLineSeries;
    refused->setName(m_range == Range::Live ? tr("refused by the gateway") : tr("refused (live only)"));
    refused->setColor(kClassColors[2]);
    double maxRate = 0;
    QList<QPointF> e, r;
    for (const ChartPoint& p : points) {
        e << QPointF(ms(p.start), p.errorRate * 100);
        r << QPointF(ms(p.start), p.refusalRate * 100);
        maxRate = std::max({maxRate, p.errorRate * 100, p.refusalRate * 100});
    }
    err->replace(e);
    refused->replace(r);
    errors->addSeries(err);
    errors->addSeries(refused);
    setAxes(errors, from, to, std::min(100.0, maxRate), format, tr("%"));

    setBars(chart(3), m_data.topConsumers, QColor(0x2b, 0x6c, 0xb0));
    setBars(chart(4), m_data.topRoutes, QColor(0x38, 0xa1, 0x69));
    if (m_range != Range::Live && m_data.topConsumers.empty()) {
        chart(3)->setTitle(tr("Top consumers (live only)"));
        chart(4)->setTitle(tr("Top routes (live only)"));
    } else {
        chart(3)->setTitle(tr("Top consumers"));
        chart(4)->setTitle(tr("Top routes"));
    }
    m_summary->setText(tr("%1 requests in range").arg(countText(m_data.requests)));
}

} // namespace tollgate::ui
