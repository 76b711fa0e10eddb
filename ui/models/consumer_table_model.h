#pragma once
// Consumers as a table. Credentials show their type and id only: a key's hash stays in the file.

#include "tollgate/config.h"

#include <QAbstractTableModel>

#include <vector>

namespace tollgate::ui {

class ConsumerTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Plan, Status, Credentials, Grants, Denies, IpAllow, ColumnCount };

    explicit ConsumerTableModel(QObject* parent = nullptr);
    void setConsumers(std::vector<ConsumerConfig> consumers);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ConsumerConfig> m_consumers;
};

// "key acme-1", "jwt https://auth.acme.example", "mtls": what identifies a credential, never its secret.
QString credentialText(const CredentialConfig& c);

} // namespace tollgate::ui
