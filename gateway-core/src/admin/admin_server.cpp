#include "admin/admin_server.h"

#include "admin/admin_connection.h"
#include "admin/admin_context.h"
#include "admin/admin_message.h"

#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>

#include <thread>

namespace tollgate::admin {

struct AdminServer::State {
    State(Engine& engine, AdminToken token, AdminServerOptions options)
        : context(engine, token, std::move(options), io), acceptor(io) {}

    void accept() {
        acceptor.async_accept([this](const asio::error_code& ec, asio::ip::tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
                return;
            }
            if (!ec) {
                admit(std::move(socket));
            }
            accept();
        });
    }

    void admit(asio::ip::tcp::socket socket) {
        if (context.connections.size() >= context.options.maxConnections) {
            // Best effort, without waiting: the client learns why instead of seeing a bare reset.
            const std::string answer =
                serializeResponse(errorResponse(503, "admin.busy", "too many admin connections"), false);
            asio::error_code ignored;
            socket.non_blocking(true, ignored);
            socket.write_some(asio::buffer(answer), ignored);
            socket.close(ignored);
            return;
        }
        auto connection = std::make_shared<AdminConnection>(std::move(socket), context);
        context.connections.emplace(connection.get(), connection);
        connection->start();
    }

    void closeAll() {
        asio::error_code ignored;
        acceptor.close(ignored);
        context.hub.stop();
        auto connections = context.connections; // close() edits the registry
        for (auto& [raw, connection] : connections) {
            connection->close();
        }
        io.stop();
    }

    asio::io_context io{1};
    AdminContext context;
    asio::ip::tcp::acceptor acceptor;
    std::thread thread;
    uint16_t port = 0;
    std::string host;
};

AdminServer::AdminServer(Engine& engine, AdminToken token, AdminServerOptions options)
    : m_state(std::make_unique<State>(engine, token, std::move(options))) {}

AdminServer::~AdminServer() {
    stop();
}

bool AdminServer::start(std::string& error) {
    State& s = *m_state;
    const ListenAddress& listen = s.context.options.listen;
    asio::error_code ec;
    const auto address = asio::ip::make_address(listen.host == "localhost" ? "127.0.0.1" : listen.host, ec);
    if (ec) {
        error = "gateway.admin.listen: bad address " + listen.text;
        return false;
    }
    const asio::ip::tcp::endpoint endpoint(address, listen.port);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        s.acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        error = "gateway.admin.listen: cannot listen on " + listen.text + ": " + ec.message();
        s.acceptor.close(ec);
        return false;
    }
    const auto bound = s.acceptor.local_endpoint();
    s.port = bound.port();
    s.host = bound.address().to_string();
    s.accept();
    s.thread = std::thread([&s] { s.io.run(); });
    return true;
}

void AdminServer::stop() {
    State& s = *m_state;
    if (!s.thread.joinable()) {
        return;
    }
    asio::post(s.io, [&s] { s.closeAll(); });
    s.thread.join();
}

uint16_t AdminServer::port() const {
    return m_state->port;
}

std::string AdminServer::url() const {
    const std::string& host = m_state->host;
    return "http://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
           std::to_string(m_state->port);
}

} // namespace tollgate::admin
