#pragma once
// A compiled list of CIDRs answering "which rule contains this address?" without allocating.
// Rules are kept as precomputed network/mask pairs and scanned in order: rule lists are short
// (a handful of ranges), where a scan of a few cache lines beats any tree.
// Thread safety: immutable once built; match() may run on any number of threads at once.

#include "tollgate/config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tollgate::stages {

class CidrSet {
public:
    CidrSet() = default;
    explicit CidrSet(const std::vector<Cidr>& cidrs);

    bool empty() const { return m_v4.empty() && m_v6.empty(); }
    size_t size() const { return m_texts.size(); }

    // Index (in the list given at construction) of the first rule containing the address, or -1.
    // `addr` holds network-order bytes, IPv4 in the first 4 when !v6. An IPv4-mapped IPv6 address
    // (::ffff:a.b.c.d, as a dual-stack listener reports IPv4 peers) matches IPv4 rules too.
    int match(const uint8_t* addr, bool v6) const;

    // The rule as written, for explanations.
    const std::string& text(int index) const { return m_texts[size_t(index)]; }
    // "a, b, c": every rule, for explanations.
    std::string joined() const;

private:
    struct V4Rule {
        uint32_t net;
        uint32_t mask;
        int index;
    };
    struct V6Rule {
        uint64_t netHi;
        uint64_t netLo;
        uint64_t maskHi;
        uint64_t maskLo;
        int index;
    };
    int matchV4(uint32_t a) const;

    std::vector<V4Rule> m_v4;
    std::vector<V6Rule> m_v6;
    std::vector<std::string> m_texts;
};

// Textual form of network-order address bytes ("203.0.113.7", "2001:db8::1"), for explanations.
std::string formatAddress(const uint8_t* addr, bool v6);

} // namespace tollgate::stages
