#pragma once
// The admin API's endpoints, one function each, all synchronous: they run on the admin thread and
// answer from the engine's any-thread methods. The traffic stream is not here: it keeps its
// connection open (traffic_hub.h).
// Thread safety: call from the admin thread (PUT /config relies on being the only writer of the file).

#include "admin/admin_message.h"

#include <cstdint>
#include <string>

namespace tollgate {
class Engine;
}

namespace tollgate::admin {

AdminResponse getStatus(const Engine& engine);
AdminResponse getMetrics(const Engine& engine);
// `nowUnix` is the default end of the range.
AdminResponse getUsage(const Engine& engine, const AdminRequest& request, int64_t nowUnix);
AdminResponse getTraffic(const Engine& engine, const AdminRequest& request);
// Header capture (capture_endpoints.cpp): the switch, and one record's captured heads.
AdminResponse getCapture(const Engine& engine);
AdminResponse putCapture(Engine& engine, const AdminRequest& request);
AdminResponse getTrafficHeaders(const Engine& engine, uint64_t seq);
AdminResponse getConfig(const Engine& engine);
AdminResponse putConfig(Engine& engine, const AdminRequest& request);
AdminResponse resetQuota(Engine& engine, const std::string& consumer);
AdminResponse topUpQuota(Engine& engine, const std::string& consumer, const AdminRequest& request);

// Most records GET /traffic answers at once (?limit=).
constexpr size_t kMaxTrafficLimit = 10'000;

} // namespace tollgate::admin
