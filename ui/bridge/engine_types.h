#pragma once
// The engine's plain values, declared to Qt so they can cross threads in queued signals.

#include "tollgate/engine.h"
#include "tollgate/explain.h"
#include "tollgate/usage.h"
#include "tollgate/usage_history.h"
#include "traffic/traffic_row.h"

#include <QMetaType>

#include <vector>

Q_DECLARE_METATYPE(tollgate::EngineStatus)
Q_DECLARE_METATYPE(tollgate::ExplainResult)
Q_DECLARE_METATYPE(tollgate::RouteMatchResult)
Q_DECLARE_METATYPE(std::vector<tollgate::ui::TrafficRow>)
Q_DECLARE_METATYPE(tollgate::UsageHistory)
Q_DECLARE_METATYPE(std::vector<tollgate::ConsumerUsage>)
