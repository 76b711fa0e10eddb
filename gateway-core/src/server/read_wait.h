#pragma once
// A wait for readability that costs no system call. Worker thread only.
//
// Asio's socket.async_wait(wait_read) takes the reactor's non-speculative path, which re-arms the
// descriptor with EPOLL_CTL_MOD on every call: one epoll_ctl per wait, two per proxied request.
// Asio registers every socket once, edge-triggered, for EPOLLIN, so a wait needs no epoll_ctl at
// all: this operation queues itself in the reactor the way a speculative read does. Its perform
// step reports "done and exhausted", so
//   - armed after an edge arrived that nobody consumed, it completes at once (posted), and
//   - otherwise it completes on the next edge (new bytes, EOF, error),
// and each completion marks the descriptor exhausted again. Arm it after a read returned EAGAIN:
// any later byte, FIN or error raises a new edge. (A short read is not enough: bytes and a FIN
// that arrive together raise one edge, and the read stops before the FIN. nginx learns of the
// FIN from EPOLLRDHUP, which Asio neither registers nor reports.)
//
// Relies on Asio's epoll reactor internals (checked against Asio 1.22.1): reactor_op, start_op
// and the socket implementation's reactor data. Closing the socket completes an armed wait with
// operation_aborted, as for any Asio operation; the owner must outlive an armed wait.

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include <asio/detail/reactive_socket_service.hpp>
#include <asio/detail/reactor.hpp>
#include <asio/detail/reactor_op.hpp>

namespace tollgate::server {

namespace read_wait_detail {

// The protected member Asio keeps the socket's descriptor and reactor registration in.
template <typename Socket> struct SocketAccess : Socket {
    using Implementation = asio::detail::reactive_socket_service<asio::ip::tcp>::implementation_type;
    static Implementation& implementation(Socket& s) {
        return (s.*(&SocketAccess::impl_)).get_implementation();
    }
};

template <typename Socket>
void arm(asio::detail::reactor& reactor, Socket& socket, asio::detail::reactor_op* op) {
    auto& impl = SocketAccess<Socket>::implementation(socket);
    reactor.start_op(asio::detail::reactor::read_op, impl.socket_, impl.reactor_data_, op, false, true);
}

} // namespace read_wait_detail

class ReadWait : private asio::detail::reactor_op {
public:
    using Callback = void (*)(void* owner, const asio::error_code& ec);

    ReadWait(Callback callback, void* owner)
        : reactor_op(asio::error_code(), &ReadWait::doPerform, &ReadWait::doComplete), m_callback(callback),
          m_owner(owner) {}
    ReadWait(const ReadWait&) = delete;
    ReadWait& operator=(const ReadWait&) = delete;

    bool armed() const { return m_armed; }

    // Precondition: not armed. The callback runs from the event loop, never from inside arm().
    template <typename Socket> void arm(asio::detail::reactor& reactor, Socket& socket) {
        ec_ = asio::error_code();
        m_armed = true;
        read_wait_detail::arm(reactor, socket, this);
    }

private:
    static status doPerform(reactor_op*) { return done_and_exhausted; }

    static void doComplete(void* owner, asio::detail::scheduler_operation* base, const asio::error_code&,
                           std::size_t) {
        auto* self = static_cast<ReadWait*>(static_cast<reactor_op*>(base));
        self->m_armed = false;
        if (!owner) {
            return; // the io_context is being destroyed: nothing to call
        }
        const asio::error_code ec = self->ec_;
        self->m_callback(self->m_owner, ec); // may re-arm or delete the owner
    }

    Callback m_callback;
    void* m_owner;
    bool m_armed = false;
};

// The same wait as a base class of its owner, which saves ReadWait's callback, owner pointer and
// flag (24 B, with padding) in objects that exist by the ten thousand: an idle client connection
// always has its wait armed. The owner befriends this class, implements
// `void onReadWaitComplete(const asio::error_code&)` and keeps its own "armed" flag.
template <typename Owner> class OwnedReadWait : private asio::detail::reactor_op {
protected:
    OwnedReadWait() : reactor_op(asio::error_code(), &OwnedReadWait::doPerform, &OwnedReadWait::doComplete) {}
    OwnedReadWait(const OwnedReadWait&) = delete;
    OwnedReadWait& operator=(const OwnedReadWait&) = delete;
    ~OwnedReadWait() = default;

    // Precondition: not armed. The owner's callback runs from the event loop, never from here.
    template <typename Socket> void armReadWait(asio::detail::reactor& reactor, Socket& socket) {
        ec_ = asio::error_code();
        read_wait_detail::arm(reactor, socket, this);
    }

private:
    static status doPerform(reactor_op*) { return done_and_exhausted; }

    static void doComplete(void* owner, asio::detail::scheduler_operation* base, const asio::error_code&,
                           std::size_t) {
        if (!owner) {
            return; // the io_context is being destroyed: nothing to call
        }
        auto* self = static_cast<OwnedReadWait*>(static_cast<reactor_op*>(base));
        const asio::error_code ec = self->ec_;
        static_cast<Owner*>(self)->onReadWaitComplete(ec); // may re-arm or delete the owner
    }
};

} // namespace tollgate::server
