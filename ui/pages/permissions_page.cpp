#include "pages/permissions_page.h"

#include "document/config_document.h"
#include "pages/page_header.h"
#include "pages/permission_chip_delegate.h"

#include <QButtonGroup>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {
namespace {

// The key to the chips, painted with the matrix's own chip painter so the two always agree.
class Legend : public QWidget {
public:
    explicit Legend(QWidget* parent) : QWidget(parent) { setMinimumHeight(sizeHint().height()); }
    void setSubjects(PermissionMatrixModel::Subjects kind) {
        m_entries.clear();
        if (kind == PermissionMatrixModel::Subjects::Plans) {
            m_entries = {{PermissionState::Granted, tr("granted by the plan")},
                         {PermissionState::None, tr("not granted")},
                         {PermissionState::Partial, tr("some methods")}};
        } else {
            m_entries = {{PermissionState::Inherited, tr("inherited from the plan")},
                         {PermissionState::Granted, tr("granted to the consumer")},
                         {PermissionState::Denied, tr("denied (a deny always wins)")},
                         {PermissionState::None, tr("not allowed")},
                         {PermissionState::Partial, tr("some methods")}};
        }
        updateGeometry();
        update();
    }
    QSize sizeHint() const override {
        const QSize chip = PermissionChipDelegate::chipSize(QStringLiteral("GET"), font());
        int width = 0;
        for (const auto& e : m_entries) {
            width += chip.width() + 6 + fontMetrics().horizontalAdvance(e.second) + 18;
        }
        return {width, chip.height() + 4};
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        const QSize chip = PermissionChipDelegate::chipSize(QStringLiteral("GET"), font());
        int x = 0;
        for (const auto& [state, text] : m_entries) {
            const QRect r(QPoint(x, (height() - chip.height()) / 2), chip);
            PermissionChipDelegate::paintChip(&p, r, QStringLiteral("GET"), state, font());
            x = r.right() + 7;
            const int w = fontMetrics().horizontalAdvance(text);
            p.setPen(palette().color(QPalette::WindowText));
            p.drawText(QRect(x, 0, w, height()), Qt::AlignVCenter | Qt::AlignLeft, text);
            x += w + 18;
        }
    }

private:
    QList<QPair<PermissionState, QString>> m_entries;
};

} // namespace

PermissionsPage::PermissionsPage(ConfigDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document) {
    m_model = new PermissionMatrixModel(document, this);
    auto* layout = new QVBoxLayout(this);
    // Header with the two filters at its right, as on the other pages; then the column switch and
    // the block actions; then the legend on a line of its own so it is never cut.
    auto* top = new QHBoxLayout;
    top->addWidget(makePageHeader(tr("Permissions"),
                                  tr("Who may call which route with which method: plan grants, plus consumer "
                                     "grants, minus consumer denies."),
                                  this),
                   1);
    m_rowFilter = new QLineEdit(this);
    m_rowFilter->setObjectName(QStringLiteral("rowFilter"));
    m_rowFilter->setPlaceholderText(tr("Filter routes (API, route, path)"));
    m_rowFilter->setClearButtonEnabled(true);
    m_rowFilter->setMinimumWidth(220);
    m_columnFilter = new QLineEdit(this);
    m_columnFilter->setObjectName(QStringLiteral("columnFilter"));
    m_columnFilter->setPlaceholderText(tr("Filter columns (name, plan)"));
    m_columnFilter->setClearButtonEnabled(true);
    m_columnFilter->setMinimumWidth(200);
    top->addWidget(m_rowFilter, 0, Qt::AlignBottom);
    top->addWidget(m_columnFilter, 0, Qt::AlignBottom);
    layout->addLayout(top);

    auto* controls = new QHBoxLayout;
    controls->setSpacing(6);
    m_plans = new QPushButton(tr("Plans"), this);
    m_consumers = new QPushButton(tr("Consumers"), this);
    auto* group = new QButtonGroup(this);
    for (QPushButton* b : {m_plans, m_consumers}) {
        b->setCheckable(true);
        b->setMinimumWidth(96);
        group->addButton(b);
    }
    m_plans->setObjectName(QStringLiteral("showPlans"));
    m_consumers->setObjectName(QStringLiteral("showConsumers"));
    m_consumers->setChecked(true);
    controls->addWidget(new QLabel(tr("Columns:"), this));
    // A segmented switch: the two buttons touch.
    auto* segment = new QHBoxLayout;
    segment->setSpacing(0);
    segment->addWidget(m_plans);
    segment->addWidget(m_consumers);
    controls->addLayout(segment);
    controls->addSpacing(28);
    controls->addWidget(new QLabel(tr("Selected cells:"), this));
    m_grant = new QPushButton(tr("Grant"), this);
    m_deny = new QPushButton(tr("Deny"), this);
    m_clear = new QPushButton(tr("Clear"), this);
    m_grant->setObjectName(QStringLiteral("grantSelection"));
    m_deny->setObjectName(QStringLiteral("denySelection"));
    m_clear->setObjectName(QStringLiteral("clearSelection"));
    for (QPushButton* b : {m_grant, m_deny, m_clear}) {
        controls->addWidget(b);
    }
    controls->addStretch(1);
    layout->addLayout(controls);
    layout->addSpacing(4);
    auto* legend = new Legend(this);
    layout->addWidget(legend);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setRecursiveFilteringEnabled(true); // a matching route keeps its API visible
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterRole(PermissionMatrixModel::FilterRole);
    m_proxy->setFilterKeyColumn(PermissionMatrixModel::RouteColumn);

    m_view = new QTreeView(this);
    m_view->setObjectName(QStringLiteral("permissionMatrix"));
    m_view->setModel(m_proxy);
    m_delegate = new PermissionChipDelegate(m_view);
    m_view->setItemDelegate(m_delegate);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setAllColumnsShowFocus(false);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->header()->setSectionsMovable(false);
    layout->addWidget(m_view, 1);

    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("permissionsNote"));
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(m_note);

    connect(group, &QButtonGroup::buttonClicked, this, [this, legend](QAbstractButton* b) {
        showSubjects(b == m_plans ? PermissionMatrixModel::Subjects::Plans
                                  : PermissionMatrixModel::Subjects::Consumers);
        legend->setSubjects(m_model->subjects());
    });
    legend->setSubjects(m_model->subjects());
    connect(m_rowFilter, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text);
        applyExpansion();
    });
    connect(m_columnFilter, &QLineEdit::textChanged, this, &PermissionsPage::applyColumnFilter);
    connect(m_delegate, &PermissionChipDelegate::chipClicked, this, &PermissionsPage::onChipClicked);
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &PermissionsPage::rememberState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &PermissionsPage::restoreState);
    connect(m_view, &QTreeView::collapsed, this, [this](const QModelIndex& i) {
        m_collapsed.insert(i.data(PermissionMatrixModel::RowKeyRole).toString());
    });
    connect(m_view, &QTreeView::expanded, this, [this](const QModelIndex& i) {
        m_collapsed.remove(i.data(PermissionMatrixModel::RowKeyRole).toString());
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &PermissionsPage::updateButtons);
    connect(m_document, &ConfigDocument::changed, this, &PermissionsPage::updateButtons);
    connect(m_view, &QWidget::customContextMenuRequested, this, &PermissionsPage::showMenu);
    connect(m_grant, &QPushButton::clicked, this,
            [this] { applyToSelection(PermissionMatrixModel::Action::Grant); });
    connect(m_deny, &QPushButton::clicked, this,
            [this] { applyToSelection(PermissionMatrixModel::Action::Deny); });
    connect(m_clear, &QPushButton::clicked, this,
            [this] { applyToSelection(PermissionMatrixModel::Action::Clear); });
    restoreState();
}

QAbstractButton* PermissionsPage::plansButton() const {
    return m_plans;
}

QAbstractButton* PermissionsPage::consumersButton() const {
    return m_consumers;
}

void PermissionsPage::showSubjects(PermissionMatrixModel::Subjects kind) {
    (kind == PermissionMatrixModel::Subjects::Plans ? m_plans : m_consumers)->setChecked(true);
    m_model->setSubjects(kind);
    updateButtons();
}

QModelIndex PermissionsPage::cell(int api, int route, const QString& subject) const {
    return m_proxy->mapFromSource(m_model->routeIndex(api, route, m_model->subjectColumn(subject)));
}

QRect PermissionsPage::chipRect(const QModelIndex& viewIndex, int chip) const {
    const QRect visual = m_view->visualRect(viewIndex);
    const auto chips = viewIndex.data(PermissionMatrixModel::ChipsRole).value<QList<MethodChip>>();
    const QList<QRect> rects = PermissionChipDelegate::chipRects(visual, m_view->font(), chips);
    return visual.isEmpty() || chip < 0 || chip >= rects.size() ? QRect() : rects[chip];
}

void PermissionsPage::onChipClicked(const QModelIndex& viewIndex, int chip) {
    m_model->toggle(m_proxy->mapToSource(viewIndex), chip);
}

bool PermissionsPage::applyToSelection(PermissionMatrixModel::Action action) {
    QModelIndexList cells;
    for (const QModelIndex& i : m_view->selectionModel()->selectedIndexes()) {
        cells.append(m_proxy->mapToSource(i));
    }
    return m_model->apply(cells, action);
}

void PermissionsPage::rememberState() {
    m_selected.clear();
    for (const QModelIndex& i : m_view->selectionModel()->selectedIndexes()) {
        const QModelIndex s = m_proxy->mapToSource(i);
        m_selected.append(
            {s.siblingAtColumn(0).data(PermissionMatrixModel::RowKeyRole).toString(),
             m_model->headerData(s.column(), Qt::Horizontal, PermissionMatrixModel::SubjectNameRole)
                 .toString()});
    }
}

void PermissionsPage::restoreState() {
    applyExpansion();
    applyColumnFilter();
    fitColumns();
    QItemSelection selection;
    for (int a = 0; a < m_model->rowCount(); ++a) {
        const QModelIndex api = m_model->index(a, 0);
        QList<QModelIndex> rows{api};
        for (int r = 0; r < m_model->rowCount(api); ++r) {
            rows.append(m_model->index(r, 0, api));
        }
        for (const QModelIndex& row : rows) {
            const QString key = row.data(PermissionMatrixModel::RowKeyRole).toString();
            for (const auto& [rowKey, subject] : std::as_const(m_selected)) {
                const int column = m_model->subjectColumn(subject);
                if (rowKey == key && column >= 0) {
                    const QModelIndex v = m_proxy->mapFromSource(row.siblingAtColumn(column));
                    selection.select(v, v);
                }
            }
        }
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    updateButtons();
}

void PermissionsPage::applyExpansion() {
    for (int a = 0; a < m_proxy->rowCount(); ++a) {
        const QModelIndex api = m_proxy->index(a, 0);
        m_view->setExpanded(api,
                            !m_collapsed.contains(api.data(PermissionMatrixModel::RowKeyRole).toString()));
    }
}

void PermissionsPage::applyColumnFilter() {
    const QString text = m_columnFilter->text().trimmed();
    for (int c = PermissionMatrixModel::FirstSubjectColumn; c < m_model->columnCount(); ++c) {
        // The header's two lines: the name, then the plan (consumers) or the number of consumers.
        const QString header = m_model->headerData(c, Qt::Horizontal).toString();
        m_view->setColumnHidden(c, !text.isEmpty() && !header.contains(text, Qt::CaseInsensitive));
    }
}

void PermissionsPage::fitColumns() {
    const int ch = m_view->fontMetrics().horizontalAdvance(QLatin1Char('x'));
    m_view->resizeColumnToContents(PermissionMatrixModel::RouteColumn);
    m_view->setColumnWidth(
        PermissionMatrixModel::RouteColumn,
        std::max(m_view->columnWidth(PermissionMatrixModel::RouteColumn) + 2 * ch, 16 * ch));
    m_view->resizeColumnToContents(PermissionMatrixModel::PathColumn);
    m_view->setColumnWidth(
        PermissionMatrixModel::PathColumn,
        std::clamp(m_view->columnWidth(PermissionMatrixModel::PathColumn) + 2 * ch, 14 * ch, 30 * ch));
    // Subject columns as wide as their widest cell or header, at least wide enough for two chips, so
    // the columns line up and a header is never cut.
    for (int c = PermissionMatrixModel::FirstSubjectColumn; c < m_model->columnCount(); ++c) {
        m_view->resizeColumnToContents(c);
        m_view->setColumnWidth(c, std::max(m_view->columnWidth(c) + ch, 18 * ch));
    }
}

void PermissionsPage::updateButtons() {
    const bool consumers = m_model->subjects() == PermissionMatrixModel::Subjects::Consumers;
    bool anyCell = false;
    for (const QModelIndex& i : m_view->selectionModel()->selectedIndexes()) {
        anyCell = anyCell || i.column() >= PermissionMatrixModel::FirstSubjectColumn;
    }
    const bool editable = m_document->isValid();
    m_deny->setVisible(consumers);
    m_clear->setText(consumers ? tr("Clear (inherit)") : tr("Remove grant"));
    m_grant->setToolTip(consumers ? tr("Grant the selected cells to their consumers (on top of the plan)")
                                  : tr("Grant the selected cells to their plans"));
    m_deny->setToolTip(tr("Deny the selected cells: a deny always wins over the plan's grants"));
    m_clear->setToolTip(consumers
                            ? tr("Remove the consumers' own grants and denies: back to what the plan grants")
                            : tr("Remove the plans' grants of the selected cells"));
    for (QPushButton* b : {m_grant, m_deny, m_clear}) {
        b->setEnabled(anyCell && editable);
    }
    const QString how =
        consumers
            ? tr("Click a method to change it: not allowed → granted → denied → back (inherited → denied → "
                 "inherited). Select cells by dragging, or with Shift and Ctrl, then Grant, Deny or Clear; "
                 "right-click for the same. Every change is one undo step.")
            : tr("Click a method to grant it to the plan or take it back. Select cells by dragging, or with "
                 "Shift and Ctrl, then Grant or Remove grant; right-click for the same. Every change is one "
                 "undo step.");
    m_note->setText(editable
                        ? how
                        : tr("The config has errors: fix them (Ctrl+Z undoes the last edit) before editing "
                             "permissions. The matrix shows the last valid config."));
}

void PermissionsPage::showMenu(const QPoint& pos) {
    const QModelIndex at = m_view->indexAt(pos);
    if (!at.isValid() || at.column() < PermissionMatrixModel::FirstSubjectColumn) {
        return;
    }
    if (!m_view->selectionModel()->isSelected(at)) {
        m_view->selectionModel()->select(at, QItemSelectionModel::ClearAndSelect);
        m_view->selectionModel()->setCurrentIndex(at, QItemSelectionModel::NoUpdate);
    }
    const bool consumers = m_model->subjects() == PermissionMatrixModel::Subjects::Consumers;
    QMenu menu(this);
    menu.addAction(tr("Grant"), this, [this] { applyToSelection(PermissionMatrixModel::Action::Grant); });
    if (consumers) {
        menu.addAction(tr("Deny"), this, [this] { applyToSelection(PermissionMatrixModel::Action::Deny); });
    }
    menu.addAction(consumers ? tr("Clear (inherit)") : tr("Remove grant"), this,
                   [this] { applyToSelection(PermissionMatrixModel::Action::Clear); });
    for (QAction* a : menu.actions()) {
        a->setEnabled(m_document->isValid());
    }
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace tollgate::ui
