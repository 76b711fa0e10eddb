#include "models/grouped_model.h"

namespace tollgate::ui {

GroupedModel::GroupedModel(QStringList headers, QObject* parent)
    : QAbstractItemModel(parent), m_headers(std::move(headers)) {}

QModelIndex GroupedModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) {
        return {};
    }
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex GroupedModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == 0) {
        return {};
    }
    return createIndex(static_cast<int>(child.internalId() - 1), 0, quintptr(0));
}

int GroupedModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) {
        return groupCount();
    }
    if (parent.internalId() != 0 || parent.column() != 0) {
        return 0; // children are leaves; only column 0 has children, as views expect
    }
    return childCount(parent.row());
}

int GroupedModel::columnCount(const QModelIndex&) const {
    return static_cast<int>(m_headers.size());
}

QVariant GroupedModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) {
        return {};
    }
    if (index.internalId() == 0) {
        return groupData(index.row(), index.column(), role);
    }
    return childData(static_cast<int>(index.internalId() - 1), index.row(), index.column(), role);
}

QVariant GroupedModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 &&
        section < m_headers.size()) {
        return m_headers[section];
    }
    return {};
}

} // namespace tollgate::ui
