#pragma once
// The rules behind one decision of the "why?" function, one row per rule in pipeline order, split
// into the step ("authz") and what it found. The row that decided is marked.

#include "tollgate/explain.h"

#include <QAbstractTableModel>

#include <vector>

namespace tollgate::ui {

class ExplainChainModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Step, Detail, ColumnCount };

    explicit ExplainChainModel(QObject* parent = nullptr);
    void setResult(const ExplainResult& result);
    void clear();
    // The row that decided (the refusal, or the grant that allowed); -1 when none.
    int decidingRow() const { return m_deciding; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString step;
        QString detail;
    };
    std::vector<Row> m_rows;
    int m_deciding = -1;
    bool m_allowed = false;
};

} // namespace tollgate::ui
