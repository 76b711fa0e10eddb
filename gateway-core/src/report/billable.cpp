#include "report/billable.h"

namespace tollgate::report {

bool isGatewayRefusal(std::string_view reason) {
    // A list of refusing prefixes rather than of billable ones: a new upstream failure code stays
    // billable by default, as the gateway did forward the request.
    // `consumer.` (403 consumer.suspended) and `api.` (404 api.draft, 410 api.retired) are answered by
    // the gateway too: a suspended customer is not billed for the calls it was refused.
    constexpr std::string_view kRefusals[] = {"auth.",  "deny.", "ip.",     "route.",    "lifecycle.",
                                              "limit.", "http.", "client.", "consumer.", "api."};
    for (const std::string_view prefix : kRefusals) {
        if (reason.starts_with(prefix)) {
            return true;
        }
    }
    return false;
}

} // namespace tollgate::report
