#include "traffic/traffic_model.h"

#include "models/config_text.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>

namespace tollgate::ui {

namespace {
constexpr size_t kReusedBatchRows = 16'384;
}

TrafficModel::TrafficModel(size_t capacity, QObject* parent)
    : QAbstractTableModel(parent), m_capacity(capacity), m_filter(*TrafficFilter::parse(QString())) {
    // Address space only until rows arrive (see RowRing): the rings never grow while traffic flows.
    m_rows.reserve(capacity);
    m_visible.reserve(capacity);
    m_pending.reserve(capacity);
}

TrafficModel::~TrafficModel() = default;

void TrafficModel::append(const std::vector<RequestRecord>& records) {
    if (records.empty()) {
        return;
    }
    // Only the newest `capacity` of a batch could ever be kept.
    const size_t skip = records.size() > m_capacity ? records.size() - m_capacity : 0;
    if (m_paused || m_held) {
        for (size_t i = skip; i < records.size(); ++i) {
            StoredRow row = storeRow(records[i], {m_texts, m_pendingRing},
                                     m_pending.empty() ? nullptr : &m_pending.back());
            if (m_pending.size() == m_capacity) { // the oldest waiting row leaves
                releaseRow(m_pending.front(), m_texts);
                m_pending.pop_front();
            }
            m_pending.push_back(row);
        }
        m_pendingRing.forgetBefore(m_pending.front().textPos);
        return;
    }
    m_batch.clear();
    m_batch.reserve(records.size() - skip);
    for (size_t i = skip; i < records.size(); ++i) {
        const StoredRow* previous = !m_batch.empty()  ? &m_batch.back()
                                    : !m_rows.empty() ? &m_rows.back()
                                                      : nullptr;
        m_batch.push_back(storeRow(records[i], {m_texts, m_ring}, previous));
    }
    show(m_batch);
    if (m_batch.capacity() > 2 * kReusedBatchRows) {
        std::vector<StoredRow>().swap(m_batch); // after a rare backlog, do not keep its size
    }
}

void TrafficModel::show(std::vector<StoredRow>& batch) {
    if (batch.size() > m_capacity) {
        const auto cut = batch.begin() + ptrdiff_t(batch.size() - m_capacity);
        for (auto it = batch.begin(); it != cut; ++it) {
            releaseRow(*it, m_texts);
        }
        batch.erase(batch.begin(), cut);
    }
    // The oldest rows leave to make room, and with them their visible rows at the top.
    const size_t overflow =
        m_rows.size() + batch.size() > m_capacity ? m_rows.size() + batch.size() - m_capacity : 0;
    const uint64_t firstKept = m_dropped + overflow;
    size_t leaving = 0;
    while (leaving < m_visible.size() && m_visible[leaving] < firstKept) {
        ++leaving;
    }
    m_shown.clear();
    uint64_t number = m_dropped + m_rows.size();
    for (const StoredRow& r : batch) {
        if (m_filter.matches(r, m_texts, m_ring)) {
            m_shown.push_back(number);
        }
        ++number;
    }
    auto replaceRows = [&] {
        for (size_t i = 0; i < overflow; ++i) {
            releaseRow(m_rows[i], m_texts);
        }
        m_rows.pop_front(overflow);
        if (overflow > 0) {
            m_ring.forgetBefore(m_rows.empty() ? batch.front().textPos : m_rows.front().textPos);
        }
        m_dropped = firstKept;
        for (const StoredRow& r : batch) {
            m_rows.push_back(r);
        }
    };
    const size_t before = m_visible.size();
    if (leaving > 0 && m_shown.size() >= leaving) {
        // A full table: as many rows leave the top as arrive, or more arrive. Told as a shift (every
        // row kept has new contents) plus rows added at the end, not as removals at the top, which
        // make the view's header renumber every one of the 100,000 rows below: that was a quarter
        // of what showing a full table cost.
        replaceRows();
        m_visible.pop_front(leaving);
        for (size_t i = 0; i < leaving; ++i) {
            m_visible.push_back(m_shown[i]);
        }
        emit dataChanged(index(0, 0), index(int(before) - 1, ColumnCount - 1));
        emit rowsShifted(int(leaving));
        if (m_shown.size() > leaving) {
            beginInsertRows({}, int(before), int(before + m_shown.size() - leaving) - 1);
            for (size_t i = leaving; i < m_shown.size(); ++i) {
                m_visible.push_back(m_shown[i]);
            }
            endInsertRows();
        }
        return;
    }
    if (leaving > 0) {
        beginRemoveRows({}, 0, int(leaving) - 1);
        m_visible.pop_front(leaving);
        endRemoveRows();
    }
    replaceRows();
    if (!m_shown.empty()) {
        beginInsertRows({}, int(before - leaving), int(before - leaving + m_shown.size()) - 1);
        for (uint64_t n : m_shown) {
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
