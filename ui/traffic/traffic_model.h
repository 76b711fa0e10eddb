#pragma once
// The Traffic page's table: the last `capacity` requests (100,000 by default), oldest first, with the
// filter bar's expression applied. Records arrive in batches; a batch is one insert and at most one
// removal at the top, so the view updates once per batch whatever the request rate. Rows are kept
// compact (StoredRow, texts shared in the model's TextTable) and turned into text only for the cells
// on screen. While paused, batches wait (bounded by the capacity) and show on resume. UI thread only.

#include "traffic/row_ring.h"
#include "traffic/traffic_filter.h"
#include "traffic/traffic_row.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace tollgate::ui {

class TrafficModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Consumer, Plan, Method, Path, Route, Status, Reason, Latency, Bytes, ColumnCount };
    enum Role { SeqRole = Qt::UserRole + 1, StatusClassRole };

    explicit TrafficModel(size_t capacity = 100'000, QObject* parent = nullptr);
    ~TrafficModel() override;

    void append(const std::vector<RequestRecord>& records);
    void clear();
    // False (and the filter unchanged) when `text` does not parse; `error` says why.
    bool setFilter(const QString& text, QString* error = nullptr);
    QString filterText() const { return m_filter.text(); }

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Held rows wait like paused ones, without the user asking: the page holds them while it is not
    // shown, so a hidden table neither scrolls nor tells its view about every batch.
    void setHeld(bool held);
    bool isHeld() const { return m_held; }
    size_t pendingCount() const { return m_pending.size(); }

    size_t capacity() const { return m_capacity; }
    size_t keptCount() const { return m_rows.size(); } // before the filter
    // The request behind a visible row; nullopt when out of range.
    std::optional<TrafficRow> rowAt(int row) const;
    const TextTable& texts() const { return m_texts; }
    size_t ringCapacity() const { return m_ring.capacity(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    // The first `rows` rows left and every row kept moved up by as many: a row's index now names the
    // request `rows` below it. Selections and scroll positions that should stay with their requests
    // move up by `rows` (those that go below 0 left).
    void rowsShifted(int rows);

private:
    void show(std::vector<StoredRow>& batch);
    void waitOrShow(bool wasWaiting);
    void rebuildVisible();
    const StoredRow* stored(int row) const;

    size_t m_capacity;
    TextTable m_texts;
    ByteRing m_ring;             // the kept rows' paths and addresses
    ByteRing m_pendingRing;      // the waiting rows', which leave in their own order
    RowRing<StoredRow> m_rows;   // oldest first
    uint64_t m_dropped = 0;      // rows that left the front: m_rows[i] is row number m_dropped + i
    RowRing<uint64_t> m_visible; // row numbers that pass the filter, ascending
    TrafficFilter m_filter;
    bool m_paused = false;
    bool m_held = false;
    RowRing<StoredRow> m_pending;
    std::vector<uint64_t> m_shown;  // a batch's row numbers that pass the filter (reused)
    std::vector<StoredRow> m_batch; // reused: a fresh megabyte per flush would be mapped and faulted in
};

} // namespace tollgate::ui
