#include "models/billing_table_model.h"

#include <QLocale>
#include <QStringList>

namespace tollgate::ui {

namespace {

QString number(uint64_t n) {
    return QLocale().toString(static_cast<qulonglong>(n));
}

} // namespace

BillingTotals billingTotals(const std::vector<BillingRow>& rows) {
    BillingTotals t;
    for (const BillingRow& r : rows) {
        ++t.consumers;
        t.requests += r.requests;
        t.refused += r.refused;
        t.overage += r.overage;
        t.price[r.currency] += r.price;
    }
    return t;
}

QString formatPrice(double price, const std::string& currency) {
    const QString amount = QLocale().toString(price, 'f', 2);
    return currency.empty() ? amount : amount + QLatin1Char(' ') + QString::fromStdString(currency);
}

QString formatPriceTotals(const std::map<std::string, double>& byCurrency) {
    QStringList parts;
    for (const auto& [currency, sum] : byCurrency) {
        // Plans without a price have no currency: their zero adds nothing worth a "+ 0.00".
        if (!currency.empty() || sum != 0) {
            parts << formatPrice(sum, currency);
        }
    }
    return parts.isEmpty() ? formatPrice(0, {}) : parts.join(QStringLiteral(" + "));
}

BillingTableModel::BillingTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void BillingTableModel::setRows(std::vector<BillingRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

std::vector<BillingRow> BillingTableModel::rowsOfPlan(const QString& plan) const {
    if (plan.isEmpty()) {
        return m_rows;
    }
    std::vector<BillingRow> out;
    const std::string name = plan.toStdString();
    for (const BillingRow& r : m_rows) {
        if (r.plan == name) {
            out.push_back(r);
        }
    }
    return out;
}

int BillingTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int BillingTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BillingTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) {
        return {};
    }
    const BillingRow& r = m_rows[static_cast<size_t>(index.row())];
    const int column = index.column();
    if (role == Qt::TextAlignmentRole) {
        const bool numeric = column != Consumer && column != Plan;
        return QVariant::fromValue<Qt::Alignment>((numeric ? Qt::AlignRight : Qt::AlignLeft) |
                                                  Qt::AlignVCenter);
    }
    if (role == QuotaFractionRole) {
        if (column != QuotaUse || !r.quota || *r.quota == 0) {
            return {};
        }
        return static_cast<double>(r.requests) / static_cast<double>(*r.quota);
    }
    if (role == SortRole) {
        switch (column) {
        case Consumer:
            return QString::fromStdString(r.consumer);
        case Plan:
            return QString::fromStdString(r.plan);
        case Requests:
            return static_cast<qulonglong>(r.requests);
        case Refused:
            return static_cast<qulonglong>(r.refused);
        case QuotaUse:
            // Consumers without a quota sort below every consumer with one.
            return r.quota && *r.quota > 0 ? static_cast<double>(r.requests) / static_cast<double>(*r.quota)
                                           : -1.0;
        case Overage:
            return static_cast<qulonglong>(r.overage);
        case Price:
            return r.price;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole && column == QuotaUse) {
        if (!r.quota) {
            return tr("The plan %1 has no quota").arg(QString::fromStdString(r.plan));
        }
        return tr("%1 billable requests of a quota of %2 this month")
            .arg(number(r.requests), number(*r.quota));
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (column) {
    case Consumer:
        return QString::fromStdString(r.consumer);
    case Plan:
        return QString::fromStdString(r.plan);
    case Requests:
        return number(r.requests);
    case Refused:
        return number(r.refused);
    case QuotaUse:
        return r.quota ? tr("%1 of %2").arg(number(r.requests), number(*r.quota)) : tr("no quota");
    case Overage:
        return number(r.overage);
    case Price:
        return formatPrice(r.price, r.currency);
    default:
        return {};
    }
}

QVariant BillingTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) {
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        // Over right-aligned numbers, as their cells are; the quota bar starts at the left.
        const bool numeric = section != Consumer && section != Plan && section != QuotaUse;
        return static_cast<int>((numeric ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Requests:
            return tr("Billable requests: forwarded to the upstream, whatever it answered");
        case Refused:
            return tr("Requests the gateway refused itself (authentication, limits, denials…); not billed");
        case Overage:
            return tr("Billable requests beyond the quota, per quota period (allow_and_bill plans only)");
        case Price:
            return tr("The plan's monthly price plus every started thousand of overage");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (section) {
    case Consumer:
        return tr("Consumer");
    case Plan:
        return tr("Plan");
    case Requests:
        return tr("Requests");
    case Refused:
        return tr("Refused");
    case QuotaUse:
        return tr("Quota use");
    case Overage:
        return tr("Overage");
    case Price:
        return tr("Price");
    default:
        return {};
    }
}

} // namespace tollgate::ui
