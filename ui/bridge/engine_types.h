#pragma once
// The engine's plain values, declared to Qt so they can cross threads in queued signals.

#include "tollgate/engine.h"
#include "tollgate/explain.h"

#include <QMetaType>

Q_DECLARE_METATYPE(tollgate::EngineStatus)
Q_DECLARE_METATYPE(tollgate::ExplainResult)
Q_DECLARE_METATYPE(tollgate::RouteMatchResult)
