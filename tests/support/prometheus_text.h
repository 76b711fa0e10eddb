#pragma once
// A strict little reader of the Prometheus text exposition format (0.0.4) for tests: every line is a
// `# HELP` / `# TYPE` comment or `name{label="value",...} number` (labels optional), label values
// unescaped (\\, \", \n). Anything else is an error naming the line, so a test catches a malformed
// exposition instead of skipping it. Thread safety: plain functions.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::test {

struct PromSample {
    std::string name;
    std::map<std::string, std::string> labels;
    std::string valueText; // as written
    double value = 0;
    std::string label(const std::string& name) const;
};

// Parses the whole text; false with `error` ("line 12: ...") on the first bad line. With
// `requireLabels`, a sample without `{...}` is an error too.
bool parsePrometheusText(std::string_view text, std::vector<PromSample>& out, std::string& error,
                         bool requireLabels = false);

// The samples named `name`, in order.
std::vector<PromSample> samplesNamed(const std::vector<PromSample>& all, std::string_view name);

} // namespace tollgate::test
