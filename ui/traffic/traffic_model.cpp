#include "traffic/traffic_model.h"

#include "models/config_text.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace tollgate::ui {

TrafficModel::TrafficModel(size_t capacity, QObject* parent)
    : QAbstractTableModel(parent), m_capacity(capacity), m_filter(*TrafficFilter::parse(QString())) {}

TrafficModel::~TrafficModel() = default;

void TrafficModel::append(const std::vector<RequestRecord>& records) {
    if (records.empty()) {
        return;
    }
    // Only the newest `capacity` of a batch could ever be kept.
    const size_t skip = records.size() > m_capacity ? records.size() - m_capacity : 0;
    if (m_paused || m_held) {
        for (size_t i = skip; i < records.size(); ++i) {
            m_pending.push_back(storeRow(records[i], {m_texts, m_pendingRing},
                                         m_pending.empty() ? nullptr : &m_pending.back()));
        }
        while (m_pending.size() > m_capacity) {
            releaseRow(m_pending.front(), m_texts);
            m_pending.pop_front();
        }
        m_pendingRing.forgetBefore(m_pending.front().textPos);
        return;
    }
    std::vector<StoredRow> batch;
    batch.reserve(records.size() - skip);
    for (size_t i = skip; i < records.size(); ++i) {
        const StoredRow* previous = !batch.empty()    ? &batch.back()
                                    : !m_rows.empty() ? &m_rows.back()
                                                      : nullptr;
        batch.push_back(storeRow(records[i], {m_texts, m_ring}, previous));
    }
    show(batch);
}

void TrafficModel::show(std::vector<StoredRow>& batch) {
    if (batch.size() > m_capacity) {
        const auto cut = batch.begin() + ptrdiff_t(batch.size() - m_capacity);
        for (auto it = batch.begin(); it != cut; ++it) {
            releaseRow(*it, m_texts);
        }
        batch.erase(batch.begin(), cut);
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
            m_visible.pop_front(leaving);
        }
        for (size_t i = 0; i < overflow; ++i) {
            releaseRow(m_rows[i], m_texts);
        }
        m_rows.pop_front(overflow);
        m_ring.forgetBefore(m_rows.empty() ? batch.front().textPos : m_rows.front().textPos);
        m_dropped = firstKept;
        if (leaving > 0) {
            endRemoveRows();
        }
    }
    std::vector<uint64_t> shown;
    shown.reserve(batch.size());
    uint64_t number = m_dropped + m_rows.size();
    for (const StoredRow& r : batch) {
        if (m_filter.matches(r, m_texts, m_ring)) {
            shown.push_back(number);
        }
        m_rows.push_back(r);
        ++number;
    }
    if (!shown.empty()) {
        const int first = int(m_visible.size());
        beginInsertRows({}, first, first + int(shown.size()) - 1);
        for (uint64_t n : shown) {
            m_visible.push_back(n);
        }
        endInsertRows();
    }
}

void TrafficModel::clear() {
    beginResetModel();
    m_dropped += m_rows.size();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        releaseRow(m_rows[i], m_texts);
    }
    for (size_t i = 0; i < m_pending.size(); ++i) {
        releaseRow(m_pending[i], m_texts);
    }
    m_rows.clear();
    m_visible.clear();
    m_pending.clear();
    m_ring.clear();
    m_pendingRing.clear();
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
        if (m_filter.matches(m_rows[i], m_texts, m_ring)) {
            m_visible.push_back(m_dropped + i);
        }
    }
}

void TrafficModel::setPaused(bool paused) {
    const bool wasWaiting = m_paused || m_held;
    m_paused = paused;
    waitOrShow(wasWaiting);
}

void TrafficModel::setHeld(bool held) {
    const bool wasWaiting = m_paused || m_held;
    m_held = held;
    waitOrShow(wasWaiting);
}

void TrafficModel::waitOrShow(bool wasWaiting) {
    if (!wasWaiting || m_paused || m_held || m_pending.empty()) {
        return;
    }
    std::vector<StoredRow> waiting;
    waiting.reserve(m_pending.size());
    for (size_t i = 0; i < m_pending.size(); ++i) {
        waiting.push_back(m_pending[i]);
    }
    m_pending.clear();
    for (StoredRow& r : waiting) {
        moveRowTexts(r, m_pendingRing, m_ring);
    }
    m_pendingRing.clear();
    show(waiting);
}

const StoredRow* TrafficModel::stored(int row) const {
    if (row < 0 || size_t(row) >= m_visible.size()) {
        return nullptr;
    }
    return &m_rows[size_t(m_visible[size_t(row)] - m_dropped)];
}

std::optional<TrafficRow> TrafficModel::rowAt(int row) const {
    const StoredRow* s = stored(row);
    if (!s) {
        return std::nullopt;
    }
    return expandRow(*s, m_texts, m_ring);
}

int TrafficModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_visible.size());
}

int TrafficModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TrafficModel::data(const QModelIndex& index, int role) const {
    const StoredRow* r = stored(index.row());
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
            return r->name(TextField::Consumer) ? m_texts.text(r->name(TextField::Consumer))
                                                : QStringLiteral("—");
        case Plan:
            return m_texts.text(r->name(TextField::Plan));
        case Method:
            return methodName(r->method);
        case Path: {
            const std::string_view path = rowText(*r, TextField::Path, m_texts, m_ring);
            return QString::fromUtf8(path.data(), qsizetype(path.size()));
        }
        case Route:
            return r->name(TextField::Route) ? m_texts.text(r->name(TextField::Api)) + QLatin1Char('/') +
                                                   m_texts.text(r->name(TextField::Route))
                                             : QString();
        case Status:
            return r->status;
        case Reason:
            return m_texts.text(r->name(TextField::Reason));
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
