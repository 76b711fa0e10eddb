#pragma once
// A month's billing report as a table: one row per consumer (tollgate/report.h's BillingRow), with
// raw numbers under SortRole so sorting is numeric, and the quota use as a fraction for the bar.
// UI thread only.

#include "tollgate/report.h"

#include <QAbstractTableModel>

#include <map>
#include <string>
#include <vector>

namespace tollgate::ui {

// Sums over a set of rows; prices are summed per currency (a total across currencies means nothing).
struct BillingTotals {
    int consumers = 0;
    uint64_t requests = 0;
    uint64_t refused = 0;
    uint64_t overage = 0;
    std::map<std::string, double> price; // currency -> sum ("" for plans without a currency)
};

BillingTotals billingTotals(const std::vector<BillingRow>& rows);

class BillingTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Consumer, Plan, Requests, Refused, QuotaUse, Overage, Price, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers as numbers, names as text
        QuotaFractionRole,           // QuotaUse: requests / quota (may exceed 1); invalid without a quota
    };

    explicit BillingTableModel(QObject* parent = nullptr);
    void setRows(std::vector<BillingRow> rows);
    const std::vector<BillingRow>& rows() const { return m_rows; }
    // The rows of one plan (every row for an empty name), in config order: what an export writes.
    std::vector<BillingRow> rowsOfPlan(const QString& plan) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<BillingRow> m_rows;
};

// "1,234.50 USD"; money is shown with two decimals as the CSV writes it.
QString formatPrice(double price, const std::string& currency);
// "12.00 EUR + 49.00 USD" (currencies in name order, currency-less zeros left out); "0.00" for none.
QString formatPriceTotals(const std::map<std::string, double>& byCurrency);

} // namespace tollgate::ui
