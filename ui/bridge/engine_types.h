#pragma once
// The engine's plain values, declared to Qt so they can cross threads in queued signals.

#include "tollgate/engine.h"
#include "tollgate/explain.h"
#include "tollgate/report.h"
#include "tollgate/traffic.h"
#include "tollgate/usage.h"
#include "tollgate/usage_history.h"

#include <QMetaType>
#include <QString>

#include <memory>
#include <vector>

namespace tollgate::ui {
// A poll's new request records, shared by every page that reads them (never copied across threads).
using RecordBatch = std::shared_ptr<const std::vector<RequestRecord>>;

// A month's billing report as the Reports page shows it, with where it came from.
struct BillingReportResult {
    BillingPeriod period;
    bool ok = false;
    bool storeMissing = false; // nothing recorded yet: the store file does not exist
    bool running = false;      // read beside a running gateway (else: figures up to its last stop)
    QString storePath;
    std::shared_ptr<const Config> config; // what the consumers were priced with
    QString error;
    std::vector<BillingRow> rows; // one per consumer of the config, in config order
};

} // namespace tollgate::ui

Q_DECLARE_METATYPE(tollgate::EngineStatus)
Q_DECLARE_METATYPE(tollgate::ExplainResult)
Q_DECLARE_METATYPE(tollgate::RouteMatchResult)
Q_DECLARE_METATYPE(tollgate::ui::RecordBatch)
Q_DECLARE_METATYPE(tollgate::UsageHistory)
Q_DECLARE_METATYPE(std::vector<tollgate::ConsumerUsage>)
Q_DECLARE_METATYPE(tollgate::ui::BillingReportResult)
Q_DECLARE_METATYPE(std::vector<tollgate::CapturedExchange>)
