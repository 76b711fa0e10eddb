#include "models/explain_chain_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace tollgate::ui {

ExplainChainModel::ExplainChainModel(QObject* parent) : QAbstractTableModel(parent) {}

void ExplainChainModel::setResult(const ExplainResult& result) {
    beginResetModel();
    m_rows.clear();
    m_allowed = result.status == 200;
    m_deciding = -1;
    const QString reason = QString::fromStdString(result.reason);
    for (const std::string& line : result.chain) {
        const QString text = QString::fromStdString(line);
        const int colon = text.indexOf(QStringLiteral(": "));
        if (colon > 0) {
            m_rows.push_back({text.left(colon), text.mid(colon + 2)});
        } else {
            m_rows.push_back({QString(), text});
        }
    }
    // A refusal is decided by the line naming its reason; an allowed request by its last access rule
    // (limits and quota lines only describe what remains, as the core's summary also reads it).
    for (int i = static_cast<int>(m_rows.size()) - 1; i >= 0 && m_deciding < 0; --i) {
        const Row& r = m_rows[size_t(i)];
        if (m_allowed ? (r.step != QLatin1String("rate limits") && r.step != QLatin1String("quota"))
                      : (!reason.isEmpty() && r.detail.startsWith(reason))) {
            m_deciding = i;
        }
    }
    if (m_deciding < 0 && !m_allowed && !m_rows.empty()) {
        m_deciding = static_cast<int>(m_rows.size()) - 1;
    }
    endResetModel();
}

void ExplainChainModel::clear() {
    beginResetModel();
    m_rows.clear();
    m_deciding = -1;
    endResetModel();
}

int ExplainChainModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ExplainChainModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExplainChainModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const Row& r = m_rows[size_t(index.row())];
    const bool deciding = index.row() == m_deciding;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return index.column() == Step ? r.step : r.detail;
    case Qt::FontRole:
        if (deciding) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ForegroundRole:
        if (deciding) {
            return QBrush(m_allowed ? QColor(0x2f, 0x85, 0x5a) : QColor(0xc5, 0x30, 0x30));
        }
        return {};
    default:
        return {};
    }
}

QVariant ExplainChainModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    return section == Step ? tr("Step") : tr("What it found");
}

} // namespace tollgate::ui
