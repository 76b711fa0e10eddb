#pragma once
// The access rules as a matrix: rows are APIs and their routes (a tree), columns are plans or
// consumers, and each cell holds one chip per method the route serves, with its state as the
// gateway enforces it (a consumer's deny wins over its grants and its plan's). Edits made here are
// written back to the document as compact grants (`plans[].grants`, `consumers[].grants/denies`),
// one undo step per call. Rebuilt from the document on every change; when the rows and columns stay
// the same only the cells change (no reset), so views keep their expansion and selection.
// Use from the UI thread only.

#include "models/grant_masks.h"

#include <QAbstractItemModel>
#include <QList>
#include <QMetaType>

#include <memory>

namespace tollgate::ui {

class ConfigDocument;

enum class PermissionState {
    None,      // not allowed
    Inherited, // a consumer's plan grants it
    Granted,   // granted by the plan (plan column) or by the consumer's own grants
    Denied,    // the consumer denies it: a deny always wins
    Partial,   // some of the chip's methods only (a HEAD deny under GET, a narrowed any-method route)
};

struct MethodChip {
    QString label;       // "GET", "ANY" for a route without methods
    MethodMask mask = 0; // the methods it stands for (GET with HEAD)
    PermissionState state = PermissionState::None;
};

class PermissionMatrixModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum class Subjects { Plans, Consumers };
    enum class Action { Grant, Deny, Clear };
    enum Column { RouteColumn, PathColumn, FirstSubjectColumn };
    enum Role {
        ChipsRole = Qt::UserRole + 1, // QList<MethodChip> of a route cell
        SummaryRole,                  // PermissionState of an API cell: its routes at a glance
        FilterRole,                   // column 0: "orders v1 list /orders/v1/{id}"
        RowKeyRole,                   // column 0: "orders v1" or "orders v1/list", stable across rebuilds
        SubjectNameRole,              // headerData: the plan's or consumer's name
        InactiveRole,                 // subject cells: true for a suspended consumer (nothing passes)
    };

    explicit PermissionMatrixModel(ConfigDocument* document, QObject* parent = nullptr);

    Subjects subjects() const { return m_kind; }
    void setSubjects(Subjects kind);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

    // The cell of route `route` of config API `api` in `column`; invalid when out of range.
    QModelIndex routeIndex(int api, int route, int column = RouteColumn) const;
    // The column of the plan or consumer called `name`, -1 when there is none.
    int subjectColumn(const QString& name) const;
    QList<MethodChip> chips(const QModelIndex& cell) const;

    // Click on chip `chip` of a route cell: plans toggle grant/clear, consumers cycle
    // none -> grant -> deny -> none (inherited -> deny -> inherited). One undo step.
    bool toggle(const QModelIndex& cell, int chip);
    // Grant, deny or clear every method of `cells` (an API cell stands for all its routes). Deny on a
    // plan clears (plans only grant). One undo step; false when nothing changed or the document has
    // errors (edits need the config they are computed from).
    bool apply(const QModelIndexList& cells, Action action);

private:
    struct Subject {
        QString name;
        QString detail; // second header line
        QString tooltip;
        bool suspended = false;
        std::vector<MethodMask> plan;   // plan column: its grants; consumer column: its plan's
        std::vector<MethodMask> grants; // the consumer's own grants
        std::vector<MethodMask> denies; // the consumer's denies
    };
    struct CellEdit {
        size_t subject;
        size_t route; // index into m_routes
        MethodMask mask;
    };

    void rebuild();
    bool structureMatches(const std::vector<QString>& rowKeys, const std::vector<QString>& subjects) const;
    int flatRoute(const QModelIndex& cell) const; // index into m_routes, -1 for an API row
    PermissionState stateOf(const Subject& s, size_t route, MethodMask chip) const;
    QString chipTip(const Subject& s, size_t route, const MethodChip& chip) const;
    QVariant apiSummary(const Subject& s, int api, int role) const;
    bool change(const std::vector<CellEdit>& edits, Action action, const QString& label);

    ConfigDocument* m_document;
    Subjects m_kind = Subjects::Consumers;
    std::shared_ptr<const Config> m_config;
    std::vector<RouteRef> m_routes;
    std::vector<int> m_firstRoute; // per API: index of its first route in m_routes
    std::vector<QString> m_rowKeys;
    std::vector<Subject> m_subjects;
};

} // namespace tollgate::ui

Q_DECLARE_METATYPE(tollgate::ui::MethodChip)
Q_DECLARE_METATYPE(tollgate::ui::PermissionState)
