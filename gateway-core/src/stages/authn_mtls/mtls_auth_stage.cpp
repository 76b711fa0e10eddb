#include "stages/authn_mtls/mtls_auth_stage.h"

#include "http/head_grammar.h"
#include "stages/sha256_text.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

namespace tollgate::stages {

std::unique_ptr<MtlsAuthStage> MtlsAuthStage::create(const server::Snapshot& snap, std::string& error) {
    std::unique_ptr<MtlsAuthStage> stage(new MtlsAuthStage(snap));
    const auto& consumers = snap.config.consumers;
    for (size_t c = 0; c < consumers.size(); ++c) {
        for (const CredentialConfig& cred : consumers[c].credentials) {
            if (cred.type != CredentialConfig::Type::Mtls) {
                continue;
            }
            Entry e;
            e.consumer = static_cast<int32_t>(c);
            if (!parseSha256Text(cred.hash, e.sha256.data())) {
                error = "consumers." + consumers[c].name +
                        ": mtls credential: invalid fingerprint (\"sha256:\" followed by 64 hex digits)";
                return nullptr;
            }
            stage->m_entries.push_back(e);
        }
    }
    auto& entries = stage->m_entries;
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.sha256 < b.sha256; });
    for (size_t i = 1; i < entries.size(); ++i) {
        if (entries[i].sha256 == entries[i - 1].sha256 && entries[i].consumer != entries[i - 1].consumer) {
            error = "consumers: the same certificate fingerprint is used by consumer " +
                    consumers[size_t(entries[i - 1].consumer)].name + " and consumer " +
                    consumers[size_t(entries[i].consumer)].name + "; every fingerprint must be unique";
            return nullptr;
        }
    }
    return stage;
}

int MtlsAuthStage::lookup(const uint8_t* sha256) const {
    // Binary search on the first bytes is not constant time, but what it reveals (how a
    // fingerprint sorts) is public: fingerprints identify certificates, they are not secrets.
    // The final comparison is constant time all the same.
    std::array<uint8_t, 32> key;
    std::memcpy(key.data(), sha256, 32);
    const auto it =
        std::lower_bound(m_entries.begin(), m_entries.end(), key,
                         [](const Entry& e, const std::array<uint8_t, 32>& k) { return e.sha256 < k; });
    if (it == m_entries.end() || CRYPTO_memcmp(it->sha256.data(), sha256, 32) != 0) {
        return -1;
    }
    return it->consumer;
}

pipeline::Decision MtlsAuthStage::onRequest(pipeline::RequestContext& ctx) const {
    if (ctx.route == nullptr || ctx.route->apiIndex >= m_snap.apis.size()) {
        return pipeline::Decision::next();
    }
    const server::CompiledApi& api = m_snap.apis[ctx.route->apiIndex];
    if (api.config->isPublic || !api.authMtls) {
        return pipeline::Decision::next();
    }
    if (ctx.explainChain != nullptr) {
        if (ctx.consumer != nullptr && !api.authKey && !api.authJwt) { // an earlier stage said so otherwise
            ctx.explainStep("authenticated as " + ctx.consumer->config->name + " (assumed)");
        }
        return pipeline::Decision::next();
    }
    if (ctx.consumer != nullptr || ctx.clientCertSha256 == nullptr) {
        return pipeline::Decision::next();
    }
    const int index = lookup(ctx.clientCertSha256);
    if (index < 0) {
        return pipeline::Decision::answer(401, "auth.invalid");
    }
    ctx.consumer = &m_snap.consumers[static_cast<size_t>(index)];
    ctx.consumerIndex = index;
    if (ctx.consumer->suspended) {
        return pipeline::Decision::answer(403, "consumer.suspended");
    }
    return pipeline::Decision::next();
}

} // namespace tollgate::stages
