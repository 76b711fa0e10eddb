#pragma once
// The state of a request in flight (context, output, body framing, upstream exchange, echo), kept
// apart from the client connection: a connection takes a slot from its worker's pool when a
// request starts and gives it back when it goes idle, so an idle keep-alive connection holds only
// its socket, its read wait and a few flags (bench/README.md, "Memory per idle connection").
// Slots are reused whole, strings with their capacity, so a warm request allocates nothing.
// Worker thread only.

#include "http/message.h"
#include "pipeline/request_context.h"
#include "server/body_framing.h"
#include "server/chunk_payload.h"

#include <openssl/evp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tollgate::upstream {
class UpstreamConnection;
struct TargetRuntime;
} // namespace tollgate::upstream

namespace tollgate::server {

struct ServiceRuntime;
struct Snapshot;

struct RequestSlot {
    RequestSlot() = default;
    RequestSlot(const RequestSlot&) = delete;
    RequestSlot& operator=(const RequestSlot&) = delete;
    ~RequestSlot() {
        if (sha) {
            EVP_MD_CTX_free(sha);
        }
    }

    // What a parsed head would have set, for a request refused before its head was parsed.
    void clearHead() {
        versionMinor = 1;
        expectContinue = false;
        headOnly = false;
        upgrade = false;
        requestBody.setNone();
    }

    // The configuration the request runs under (ctx.snapshot points into it).
    std::shared_ptr<const Snapshot> snapshot;
    pipeline::RequestContext ctx;
    // The text of the client connection's peer address, kept here rather than in the connection
    // (an idle connection keeps only the address bytes). Slots are reused LIFO, so the next request
    // is usually from the same peer (a load balancer, a local client) and reuses the text as is.
    std::string peerText;
    uint8_t peerTextOf[16] = {};
    bool peerTextV6 = false;
    bool peerTextValid = false;
    std::string out; // bytes to the client or the upstream, built then written
    size_t outSent = 0;
    int versionMinor = 1;
    bool expectContinue = false;
    bool continueSent = false;
    bool responseKeepAlive = false;
    bool responseHeadSent = false;
    bool headOnly = false; // HEAD request: no response body whatever the headers say
    bool upgrade = false;
    BodyFraming requestBody;
    BodyFraming responseBody;

    // Upstream exchange.
    upstream::UpstreamConnection* up = nullptr;
    upstream::TargetRuntime* target = nullptr;
    ServiceRuntime* service = nullptr;
    int attempts = 0;
    bool requestSent = false;
    bool bodyStarted = false;  // some request body bytes already left for the upstream
    bool targetActive = false; // counted in target->active
    uint64_t triedMask = 0;
    size_t hostValuePos = 0; // the Host value inside the upstream head, replaced on retry
    size_t hostValueLen = 0;
    uint64_t hash = 0;
    uint32_t requestValidated = 0;  // request body bytes at the client buffer's front, checked, not yet sent
    uint32_t responseValidated = 0; // response body bytes at the upstream buffer's front

    // Echo.
    EVP_MD_CTX* sha = nullptr;
    uint64_t echoBytes = 0;
    ChunkPayload chunkedPayload;

    RequestSlot* nextFree = nullptr; // free list link, owned by RequestSlotPool
};

// Per-worker free list of slots. Busy connections hold one each; at most `keep` idle ones are kept.
class RequestSlotPool {
public:
    explicit RequestSlotPool(size_t keep = 1024) : m_keep(keep) {}
    ~RequestSlotPool() {
        while (m_free) {
            RequestSlot* s = m_free;
            m_free = s->nextFree;
            delete s;
        }
    }
    RequestSlotPool(const RequestSlotPool&) = delete;
    RequestSlotPool& operator=(const RequestSlotPool&) = delete;

    // Slots handed out and not released (tests: an idle connection holds none).
    size_t inUse() const { return m_inUse; }

    // `worker` and `telemetry` are set once per slot: they never change for the pool's worker.
    RequestSlot* acquire(int worker, WorkerTelemetry* telemetry) {
        ++m_inUse;
        RequestSlot* s = m_free;
        if (s) {
            m_free = s->nextFree;
            --m_freeCount;
            return s;
        }
        s = new RequestSlot();
        s->ctx.worker = worker;
        s->ctx.telemetry = telemetry;
        return s;
    }

    // Drops every pooled slot's configuration but `current`'s (after a reload).
    void dropSnapshots(const Snapshot* current) {
        for (RequestSlot* s = m_free; s; s = s->nextFree) {
            if (s->snapshot.get() != current) {
                s->snapshot.reset();
            }
        }
    }

    void release(RequestSlot* s) {
        --m_inUse;
        if (m_freeCount >= m_keep) {
            delete s;
            return;
        }
        s->nextFree = m_free;
        m_free = s;
        ++m_freeCount;
    }

private:
    RequestSlot* m_free = nullptr;
    size_t m_freeCount = 0;
    size_t m_inUse = 0;
    size_t m_keep;
};

} // namespace tollgate::server
