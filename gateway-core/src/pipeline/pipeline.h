#pragma once
#include "pipeline/stage.h"

#include <memory>
#include <vector>

namespace tollgate::pipeline {

// The ordered stages of one compiled configuration. Immutable once built.
class Pipeline {
public:
    void add(std::unique_ptr<Stage> stage) { m_stages.push_back(std::move(stage)); }
    // Runs onRequest until a stage answers.
    Decision run(RequestContext& ctx) const;
    // Runs every stage's onLog (the observe stage last).
    void log(RequestContext& ctx) const;
    size_t size() const { return m_stages.size(); }

private:
    std::vector<std::unique_ptr<Stage>> m_stages;
};

} // namespace tollgate::pipeline
