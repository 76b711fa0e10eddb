// GET/PUT /traffic/capture and GET /traffic/{seq} (docs/admin-api.md): header capture for recent
// exchanges, as the console uses it. Values were redacted when captured; nothing here can undo that.
#include "admin/endpoints.h"

#include "tollgate/engine.h"

#include <nlohmann/json.hpp>

namespace tollgate::admin {
namespace {

nlohmann::ordered_json captureState(const Engine& engine) {
    return {{"on", engine.headerCapture()}};
}

nlohmann::ordered_json head(const std::string& line, const std::vector<HeaderLine>& headers, uint32_t bytes,
                            bool cut) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const HeaderLine& h : headers) {
        list.push_back({h.name, h.value});
    }
    return {{"line", line}, {"headers", list}, {"head_bytes", bytes}, {"cut", cut}};
}

} // namespace

AdminResponse getCapture(const Engine& engine) {
    return jsonResponse(200, captureState(engine).dump());
}

AdminResponse putCapture(Engine& engine, const AdminRequest& request) {
    const nlohmann::ordered_json body = nlohmann::ordered_json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return errorResponse(400, "request.bad_json", "expected a JSON object such as {\"on\": true}");
    }
    const auto it = body.find("on");
    if (it == body.end() || !it->is_boolean()) {
        return errorResponse(400, "request.bad_parameter", "on: expected true or false");
    }
    engine.setHeaderCapture(it->get<bool>());
    return jsonResponse(200, captureState(engine).dump());
}

AdminResponse getTrafficHeaders(const Engine& engine, uint64_t seq) {
    const auto x = engine.capturedExchange(seq);
    if (!x) {
        return errorResponse(404, "traffic.headers_not_kept",
                             "no headers kept for record " + std::to_string(seq) +
                                 " (capture off, or not among the last 1024 requests)");
    }
    nlohmann::ordered_json out = {
        {"seq", x->seq},
        {"request", head(x->requestLine, x->requestHeaders, x->requestHeadBytes, x->requestCut)},
        {"response", x->statusLine.empty()
                         ? nlohmann::ordered_json(nullptr)
                         : head(x->statusLine, x->responseHeaders, x->responseHeadBytes, x->responseCut)},
    };
    return jsonResponse(200, out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

} // namespace tollgate::admin
