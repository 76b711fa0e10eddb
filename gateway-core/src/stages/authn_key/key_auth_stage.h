#pragma once
// API-key authentication (config.md "How a request is decided": 401 auth.invalid with
// WWW-Authenticate, 403 consumer.suspended). The key arrives in the `apikey` header, or in the
// `apikey` query parameter when the API sets key_in_query (refused with 401 auth.key_in_query
// otherwise, since query strings end up in logs). Only SHA-256 digests are kept and compared,
// with CRYPTO_memcmp. No key: the stage passes and a later stage (authz) answers auth.missing.
// Thread safety: immutable after create(); onRequest runs on any number of workers at once and
// allocates nothing.

#include "pipeline/stage.h"
#include "server/snapshot.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tollgate::stages {

class KeyAuthStage final : public pipeline::Stage {
public:
    // Builds the digest table from every consumer's key credentials. nullptr with `error` set when
    // a hash is malformed or two credentials share a hash (the message names both consumers).
    static std::unique_ptr<KeyAuthStage> create(const server::Snapshot& snap, std::string& error);

    const char* name() const override { return "authn_key"; }
    pipeline::Decision onRequest(pipeline::RequestContext& ctx) const override;

    // Index of the consumer whose key hashes to `digest`, or -1. Constant-time digest comparison.
    int lookup(const uint8_t (&digest)[32]) const;
    // Number of key credentials indexed.
    size_t keyCount() const { return m_count; }

private:
    explicit KeyAuthStage(const server::Snapshot& snap) : m_snap(snap) {}

    struct Slot {
        std::array<uint8_t, 32> digest{};
        int32_t consumer = -1; // -1: empty slot
    };

    pipeline::Decision authenticate(pipeline::RequestContext& ctx, std::string_view key) const;
    pipeline::Decision refuse(pipeline::RequestContext& ctx, const char* reason) const;

    const server::Snapshot& m_snap; // owns the pipeline that owns this stage
    std::vector<Slot> m_slots;      // open addressing, linear probing, power-of-two size, half empty
    size_t m_mask = 0;
    size_t m_count = 0;
    std::string m_challenge = "WWW-Authenticate: ApiKey realm=\"tollgate\"\r\n";
};

} // namespace tollgate::stages
