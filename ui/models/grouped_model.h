#pragma once
// A two-level tree (API -> routes, service -> targets) over plain values: subclasses say how many
// groups and children there are and what each cell shows; this class does the index bookkeeping.
// Top-level indexes carry internalId 0, children the row of their group + 1.

#include <QAbstractItemModel>
#include <QStringList>

namespace tollgate::ui {

class GroupedModel : public QAbstractItemModel {
    Q_OBJECT
public:
    explicit GroupedModel(QStringList headers, QObject* parent = nullptr);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    virtual int groupCount() const = 0;
    virtual int childCount(int group) const = 0;
    virtual QVariant groupData(int group, int column, int role) const = 0;
    virtual QVariant childData(int group, int child, int column, int role) const = 0;

private:
    QStringList m_headers;
};

} // namespace tollgate::ui
