#pragma once
// What the admin server's connections share. Private to src/admin.
// Thread safety: the admin thread only.

#include "admin/admin_server.h"
#include "admin/traffic_hub.h"

#include <asio/io_context.hpp>

#include <memory>
#include <unordered_map>

namespace tollgate::admin {

class AdminConnection;

struct AdminContext {
    AdminContext(Engine& e, AdminToken t, AdminServerOptions o, asio::io_context& io)
        : engine(e), token(t), options(std::move(o)),
          hub(e, io, options.streamPollInterval, options.streamKeepAlive) {}

    Engine& engine;
    const AdminToken token;
    const AdminServerOptions options;
    TrafficHub hub;
    // Every open connection, so stop() can close them; a connection removes itself when it closes.
    std::unordered_map<AdminConnection*, std::shared_ptr<AdminConnection>> connections;
};

} // namespace tollgate::admin
