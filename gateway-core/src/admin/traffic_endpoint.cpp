#include "admin/endpoints.h"

#include "recording/record_json.h"
#include "tollgate/engine.h"

#include <charconv>
#include <deque>

namespace tollgate::admin {

AdminResponse getTraffic(const Engine& engine, const AdminRequest& request) {
    size_t limit = 100;
    if (const std::string* text = request.param("limit")) {
        size_t v = 0;
        const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
        if (ec != std::errc() || end != text->data() + text->size() || v == 0 || v > kMaxTrafficLimit) {
            return errorResponse(400, "request.bad_parameter",
                                 "limit: expected an integer from 1 to " + std::to_string(kMaxTrafficLimit));
        }
        limit = v;
    }
    // The engine hands records out oldest first; keep the newest `limit` of the whole window.
    std::deque<RequestRecord> newest;
    std::vector<RequestRecord> batch;
    uint64_t cursor = 0;
    for (;;) {
        batch.clear();
        const size_t n = engine.recordsSince(cursor, batch, 4096);
        for (const RequestRecord& r : batch) {
            newest.push_back(r);
            if (newest.size() > limit) {
                newest.pop_front();
            }
        }
        if (n < 4096) {
            break;
        }
    }
    std::string body = "[";
    for (size_t i = 0; i < newest.size(); ++i) {
        if (i > 0) {
            body += ",\n";
        }
        recording::appendRecordJson(body, newest[i]);
    }
    body += "]";
    return jsonResponse(200, std::move(body));
}

} // namespace tollgate::admin
