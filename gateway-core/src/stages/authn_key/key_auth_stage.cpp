#include "stages/authn_key/key_auth_stage.h"

#include "http/head_grammar.h"
#include "stages/sha256_text.h"

#include "http/request_parser.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>

namespace tollgate::stages {

namespace {

constexpr std::string_view kParam = "apikey";
constexpr size_t kMaxQueryKeyBytes = 512; // a query key longer than this is refused, not hashed

size_t slotIndex(const uint8_t* digest, size_t mask) {
    uint64_t h;
    std::memcpy(&h, digest, sizeof h); // SHA-256 output is uniform: its first bytes are a fine hash
    return static_cast<size_t>(h) & mask;
}

// The `apikey` parameters of a raw query string: count and the (still encoded) value of the first.
int findQueryKey(std::string_view query, std::string_view& value) {
    int found = 0;
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const size_t eq = pair.find('=');
        if (pair.substr(0, eq) == kParam) {
            if (found++ == 0) {
                value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
            }
        }
    }
    return found;
}

// Percent-decodes a query value ('+' is a space) into `out`; false when malformed or too long.
bool decodeQueryValue(std::string_view in, char* out, size_t cap, size_t& len) {
    len = 0;
    for (size_t i = 0; i < in.size(); ++i) {
        if (len == cap) {
            return false;
        }
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) {
                return false;
            }
            const int hi = http::detail::hexValue(in[i + 1]);
            const int lo = http::detail::hexValue(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return false;
            }
            c = static_cast<char>(hi << 4 | lo);
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        out[len++] = c;
    }
    return true;
}

} // namespace

std::unique_ptr<KeyAuthStage> KeyAuthStage::create(const server::Snapshot& snap, std::string& error) {
    std::unique_ptr<KeyAuthStage> stage(new KeyAuthStage(snap));
    struct Entry {
        uint8_t digest[32];
        int consumer;
        std::string id;
    };
    std::vector<Entry> entries;
    const auto& consumers = snap.config.consumers;
    for (size_t c = 0; c < consumers.size(); ++c) {
        for (const CredentialConfig& cred : consumers[c].credentials) {
            if (cred.type != CredentialConfig::Type::Key) {
                continue;
            }
            Entry e{};
            e.consumer = static_cast<int>(c);
            e.id = cred.id;
            if (!parseSha256Text(cred.hash, e.digest)) {
                error = "consumers." + consumers[c].name + ": key credential " + cred.id +
                        ": invalid hash (\"sha256:\" followed by 64 hex digits)";
                return nullptr;
            }
            entries.push_back(std::move(e));
        }
    }
    size_t capacity = 16;
    while (capacity < entries.size() * 2) {
        capacity *= 2;
    }
    stage->m_slots.assign(capacity, Slot{});
    stage->m_mask = capacity - 1;
    for (const Entry& e : entries) {
        size_t i = slotIndex(e.digest, stage->m_mask);
        for (; stage->m_slots[i].consumer >= 0; i = (i + 1) & stage->m_mask) {
            if (std::memcmp(stage->m_slots[i].digest.data(), e.digest, 32) == 0) {
                const int other = stage->m_slots[i].consumer;
                error = "consumers: the same API key hash is used by consumer " + consumers[other].name +
                        " and consumer " + consumers[e.consumer].name + " (credential " + e.id +
                        "); every key must be unique";
                return nullptr;
            }
        }
        std::memcpy(stage->m_slots[i].digest.data(), e.digest, 32);
        stage->m_slots[i].consumer = e.consumer;
        ++stage->m_count;
    }
    return stage;
}

int KeyAuthStage::lookup(const uint8_t (&digest)[32]) const {
    for (size_t i = slotIndex(digest, m_mask);; i = (i + 1) & m_mask) {
        const Slot& s = m_slots[i];
        if (s.consumer < 0) {
            return -1; // the table is at most half full, so an empty slot always ends the probe
        }
        // Constant time: how long this takes does not depend on how many bytes match.
        if (CRYPTO_memcmp(s.digest.data(), digest, 32) == 0) {
            return s.consumer;
        }
    }
}

namespace {

// SHA256() in OpenSSL 3 fetches the algorithm and allocates a context on every call (a lock and a
// malloc per request); a fetched digest and one context per worker thread cost neither.
bool sha256(std::string_view data, uint8_t* out) {
    static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                                   &EVP_MD_CTX_free);
    unsigned int len = 0;
    return md && ctx && EVP_DigestInit_ex2(ctx.get(), md, nullptr) &&
           EVP_DigestUpdate(ctx.get(), data.data(), data.size()) &&
           EVP_DigestFinal_ex(ctx.get(), out, &len) && len == 32;
}

} // namespace

pipeline::Decision KeyAuthStage::refuse(pipeline::RequestContext& ctx, const char* reason) const {
    ctx.addResponseHeader(m_challenge);
    return pipeline::Decision::answer(401, reason);
}

pipeline::Decision KeyAuthStage::authenticate(pipeline::RequestContext& ctx, std::string_view key) const {
    uint8_t digest[32];
    const int index = key.empty() || !sha256(key, digest) ? -1 : lookup(digest);
    if (index < 0) {
        return refuse(ctx, "auth.invalid");
    }
    ctx.consumer = &m_snap.consumers[static_cast<size_t>(index)];
    ctx.consumerIndex = index;
    if (ctx.consumer->suspended) {
        return pipeline::Decision::answer(403, "consumer.suspended");
    }
    return pipeline::Decision::next();
}

pipeline::Decision KeyAuthStage::onRequest(pipeline::RequestContext& ctx) const {
    // Whatever the API, an apikey header never reaches the upstream.
    std::string_view headerKey;
    int headerCount = 0;
    if (ctx.head != nullptr) {
        for (size_t i = 0; i < ctx.head->headerCount; ++i) {
            if (http::equalsIgnoreCase(ctx.head->headers[i].name, kParam)) {
                headerKey = ctx.head->headers[i].value;
                ++headerCount;
            }
        }
    }
    if (headerCount > 0) {
        ctx.strip |= pipeline::RequestContext::StripApiKeyHeader;
    }
    if (ctx.route == nullptr || ctx.route->apiIndex >= m_snap.apis.size()) {
        return pipeline::Decision::next();
    }
    const server::CompiledApi& api = m_snap.apis[ctx.route->apiIndex];
    if (api.config->isPublic || !api.authKey) {
        return pipeline::Decision::next();
    }
    if (ctx.explainChain != nullptr) {
        if (ctx.consumer != nullptr) {
            ctx.explainStep("authenticated as " + ctx.consumer->config->name + " (assumed)");
        }
        return pipeline::Decision::next();
    }
    std::string_view queryKey;
    const int queryCount = findQueryKey(ctx.query, queryKey);
    if (queryCount > 0) {
        if (!api.config->keyInQuery) {
            return refuse(ctx, "auth.key_in_query");
        }
        ctx.strip |= pipeline::RequestContext::StripApiKeyQuery;
    }
    if (ctx.consumer != nullptr) {
        return pipeline::Decision::next();
    }
    if (headerCount > 1 || queryCount > 1) {
        return refuse(ctx, "auth.invalid"); // ambiguous: which key is meant?
    }
    if (headerCount == 1) {
        return authenticate(ctx, headerKey);
    }
    if (queryCount == 1) {
        char buf[kMaxQueryKeyBytes];
        size_t len = 0;
        if (!decodeQueryValue(queryKey, buf, sizeof buf, len)) {
            return refuse(ctx, "auth.invalid");
        }
        return authenticate(ctx, std::string_view(buf, len));
    }
    return pipeline::Decision::next();
}

} // namespace tollgate::stages
