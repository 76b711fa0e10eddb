#pragma once
// Client-certificate authentication (config.md: credentials of type mtls). The HTTPS listener
// asks for a certificate (gateway.tls.client_auth: request) and keeps the SHA-256 of the leaf's
// DER for the connection's life; this stage looks the fingerprint up among the consumers' mtls
// credentials. On an API whose auth lists mtls: a certificate nobody registered is 401
// auth.invalid, a suspended consumer 403 consumer.suspended; no certificate, the stage passes
// and a later stage (authz) answers auth.missing, as for keys and tokens. A consumer already
// identified by an earlier stage is kept. Thread safety: immutable after create(); onRequest runs
// on any number of workers at once, allocates nothing and compares in constant time.

#include "pipeline/stage.h"
#include "server/snapshot.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tollgate::stages {

class MtlsAuthStage final : public pipeline::Stage {
public:
    // Indexes every consumer's mtls credentials. nullptr with `error` set when a fingerprint is
    // malformed or two consumers share one (the message names both).
    static std::unique_ptr<MtlsAuthStage> create(const server::Snapshot& snap, std::string& error);

    const char* name() const override { return "authn_mtls"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

    // Index of the consumer registered with this certificate fingerprint, or -1.
    int lookup(const uint8_t* sha256) const;
    size_t fingerprintCount() const { return m_entries.size(); }

private:
    explicit MtlsAuthStage(const server::Snapshot& snap) : m_snap(snap) {}

    struct Entry {
        std::array<uint8_t, 32> sha256{};
        int32_t consumer = -1;
    };

    const server::Snapshot& m_snap; // owns the pipeline that owns this stage
    std::vector<Entry> m_entries;   // sorted by fingerprint
};

} // namespace tollgate::stages
