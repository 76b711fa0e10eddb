#pragma once
#include "pipeline/stage.h"

namespace tollgate::stages {

// Always last: turns the finished request into one RequestRecord and the worker's counters.
class ObserveStage final : public pipeline::Stage {
public:
    const char* name() const override { return "observe"; }
    void onLog(pipeline::RequestContext& ctx) const override;
};

} // namespace tollgate::stages
