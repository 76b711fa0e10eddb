#include "pages/model_page.h"

#include "pages/page_header.h"
#include "pages/roomy_delegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

namespace tollgate::ui {

ModelPage::ModelPage(const QString& title, const QString& text, QAbstractItemModel* model, QWidget* parent)
    : QWidget(parent) {
    m_layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(makePageHeader(title, text, this), 1);
    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    top->addWidget(m_filter, 0, Qt::AlignBottom);
    m_layout->addLayout(top);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(model);
    m_proxy->setRecursiveFilteringEnabled(true); // a matching route keeps its API visible
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view = new QTreeView(this);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new RoomyDelegate(m_view));
    m_view->setAlternatingRowColors(true);
    m_view->setUniformRowHeights(true);
    m_view->setSortingEnabled(false); // config order is meaningful (routes, plans)
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_layout->addWidget(m_view, 1);

    // Every edit rebuilds the models from the document: keep the selected row and the scroll position
    // across it, or the form under the table would jump away from what the user is editing.
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, &ModelPage::rememberSelection);
    connect(model, &QAbstractItemModel::modelReset, this, &ModelPage::fitColumns);
    connect(model, &QAbstractItemModel::modelReset, this, &ModelPage::restoreSelection);
    fitColumns();
}

void ModelPage::rememberSelection() {
    m_selectedRows.clear();
    for (QModelIndex i = m_proxy->mapToSource(m_view->currentIndex()); i.isValid(); i = i.parent()) {
        m_selectedRows.prepend(i.row());
    }
    m_scroll = m_view->verticalScrollBar()->value();
}

void ModelPage::restoreSelection() {
    QModelIndex i;
    const QAbstractItemModel* source = m_proxy->sourceModel();
    for (int row : std::as_const(m_selectedRows)) {
        const QModelIndex next = source->index(row, 0, i);
        if (!next.isValid()) {
            break;
        }
        i = next;
    }
    if (i.isValid()) {
        m_view->setCurrentIndex(m_proxy->mapFromSource(i));
    }
    m_view->verticalScrollBar()->setValue(m_scroll);
}

void ModelPage::setColumnWidths(const QList<int>& chars) {
    m_widths = chars;
    fitColumns();
}

void ModelPage::fitColumns() {
    m_view->expandAll();
    // Fit each column to its contents, at least its given width, at most a third of a 1280-pixel
    // window's page; the last one stretches. Long cells keep their full text in the tooltip.
    const int ch = m_view->fontMetrics().horizontalAdvance(QLatin1Char('x'));
    const int columns = m_view->model()->columnCount();
    for (int c = 0; c + 1 < columns; ++c) {
        m_view->resizeColumnToContents(c);
        const int wanted = m_view->columnWidth(c) + ch * 2;
        const int minimum = c < m_widths.size() ? m_widths[c] * ch : 0;
        m_view->setColumnWidth(c, std::clamp(wanted, minimum, std::max(minimum, 60 * ch)));
    }
}

} // namespace tollgate::ui
