#include "traffic/traffic_model.h"

#include "models/config_text.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace tollgate::ui {

TrafficModel::TrafficModel(size_t capacity, QObject* parent)
    : QAbstractTableModel(parent), m_capacity(capacity), m_filter(*TrafficFilter::parse(QString())) {}

void TrafficModel::append(std::vector<TrafficRow> batch) {
    if (batch.empty()) {
        return;
    }
    if (m_paused) {
        for (TrafficRow& r : batch) {
            m_pending.push_back(std::move(r));
        }
        if (m_pending.size() > m_capacity) {
            m_pending.erase(m_pending.begin(), m_pending.begin() + ptrdiff_t(m_pending.size() - m_capacity));
        }
        return;
    }
    show(batch);
}

void TrafficModel::show(std::vector<TrafficRow>& batch) {
    if (batch.size() > m_capacity) {
        batch.erase(batch.begin(), batch.begin() + ptrdiff_t(batch.size() - m_capacity));
    }
    // Make room first: the oldest rows leave, and with them their visible rows at the top.
    const size_t overflow =
        m_rows.size() + batch.size() > m_capacity ? m_rows.size() + batch.size() - m_capacity : 0;
    if (overflow > 0) {
        const uint64_t firstKept = m_dropped + overflow;
        size_t leaving = 0;
        while (leaving < m_visible.size() && m_visible[leaving] < firstKept) {
            ++leaving;
        }
        if (leaving > 0) {
            beginRemoveRows({}, 0, int(leaving) - 1);
            m_visible.erase(m_visible.begin(), m_visible.begin() + ptrdiff_t(leaving));
        }
        m_rows.erase(m_rows.begin(), m_rows.begin() + ptrdiff_t(overflow));
        m_dropped = firstKept;
        if (leaving > 0) {
            endRemoveRows();
        }
    }
    std::vector<uint64_t> shown;
    shown.reserve(batch.size());
    uint64_t number = m_dropped + m_rows.size();
    for (TrafficRow& r : batch) {
        if (m_filter.matches(r)) {
            shown.push_back(number);
        }
        m_rows.push_back(std::move(r));
        ++number;
    }
    if (!shown.empty()) {
        const int first = int(m_visible.size());
        beginInsertRows({}, first, first + int(shown.size()) - 1);
        m_visible.insert(m_visible.end(), shown.begin(), shown.end());
        endInsertRows();
    }
}

void TrafficModel::clear() {
    beginResetModel();
    m_dropped += m_rows.size();
    m_rows.clear();
    m_visible.clear();
    m_pending.clear();
    endResetModel();
}

bool TrafficModel::setFilter(const QString& text, QString* error) {
    auto parsed = TrafficFilter::parse(text, error);
    if (!parsed) {
        return false;
    }
    beginResetModel();
    m_filter = std::move(*parsed);
    rebuildVisible();
    endResetModel();
    return true;
}

void TrafficModel::rebuildVisible() {
    m_visible.clear();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_filter.matches(m_rows[i])) {
            m_visible.push_back(m_dropped + i);
        }
    }
}

void TrafficModel::setPaused(bool paused) {
    if (paused == m_paused) {
        return;
    }
    m_paused = paused;
    if (!paused && !m_pending.empty()) {
        std::vector<TrafficRow> waiting;
        waiting.swap(m_pending);
        show(waiting);
    }
}

const TrafficRow* TrafficModel::rowAt(int row) const {
    if (row < 0 || size_t(row) >= m_visible.size()) {
        return nullptr;
    }
    return &m_rows[size_t(m_visible[size_t(row)] - m_dropped)];
}

int TrafficModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_visible.size());
}

int TrafficModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficModel::data(const QModelIndex& index, int role) const {
    const TrafficRow* r = rowAt(index.row());
    if (!r || index.column() >= ColumnCount) {
        return {};
    }
    const int cls = r->statusClass();
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Time:
            return QDateTime::fromMSecsSinceEpoch(r->unixMicros / 1000)
                .toString(QStringLiteral("HH:mm:ss.zzz"));
        case Consumer:
            return r->consumer.isEmpty() ? QStringLiteral("—") : r->consumer;
        case Plan:
            return r->plan;
        case Method:
            return methodName(r->method);
        case Path:
            return r->path;
        case Route:
            return r->route.isEmpty() ? QString() : r->api + QLatin1Char('/') + r->route;
        case Status:
            return r->status;
        case Reason:
            return r->reason;
        case Latency:
            return r->totalMicros >= 10'000 ? QStringLiteral("%1 ms").arg(r->totalMicros / 1000)
                                            : QStringLiteral("%1 ms").arg(r->totalMicros / 1000.0, 0, 'f', 2);
        case Bytes:
            return sizeText(r->bytesOut);
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Status || index.column() == Latency || index.column() == Bytes) {
            return int(Qt::AlignRight | Qt::AlignVCenter);
        }
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::BackgroundRole:
        if (cls == 5) {
            return QBrush(QColor(0xfd, 0xec, 0xec));
        }
        if (cls == 4) {
            return QBrush(QColor(0xfe, 0xf6, 0xe4));
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Status) {
            return QBrush(cls == 5   ? QColor(0x9b, 0x22, 0x22)
                          : cls == 4 ? QColor(0x97, 0x5a, 0x16)
                          : cls == 3 ? QColor(0x2b, 0x6c, 0xb0)
                                     : QColor(0x27, 0x67, 0x49));
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Path || index.column() == Reason) {
            return data(index, Qt::DisplayRole);
        }
        return {};
    case SeqRole:
        return QVariant::fromValue<qulonglong>(r->seq);
    case StatusClassRole:
        return cls;
    }
    return {};
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Time:
        return tr("Time");
    case Consumer:
        return tr("Consumer");
    case Plan:
        return tr("Plan");
    case Method:
        return tr("Method");
    case Path:
        return tr("Path");
    case Route:
        return tr("Route");
    case Status:
        return tr("Status");
    case Reason:
        return tr("Reason");
    case Latency:
        return tr("Latency");
    case Bytes:
        return tr("Bytes");
    }
    return {};
}

} // namespace tollgate::ui
