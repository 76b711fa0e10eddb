#include "report/billable.h"

namespace tollgate::report {

bool isGatewayRefusal(std::string_view reason) {
    // A list of refusing prefixes rather than of billable ones: a new upstream failure code stays
    // billable by default, as the gateway did forward the request.
    constexpr std::string_view kRefusals[] = {"auth.",      "deny.",  "ip.",   "route.",
                                              "lifecycle.", "limit.", "http.", "client."};
    for (const std::string_view prefix : kRefusals) {
        if (reason.starts_with(prefix)) {
            return true;
        }
    }
    return false;
}

} // namespace tollgate::report
