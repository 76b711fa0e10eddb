#include "stages/ip_filter/cidr_set.h"

#include <arpa/inet.h>

namespace tollgate::stages {
namespace {

uint32_t load32(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

uint64_t load64(const uint8_t* p) {
    return uint64_t(load32(p)) << 32 | load32(p + 4);
}

// Mask of the first `bits` bits of a 64-bit word (bits clamped to 0..64).
uint64_t mask64(int bits) {
    if (bits <= 0) {
        return 0;
    }
    if (bits >= 64) {
        return ~uint64_t(0);
    }
    return ~uint64_t(0) << (64 - bits);
}

bool isV4Mapped(const uint8_t* a) {
    for (int i = 0; i < 10; ++i) {
        if (a[i] != 0) {
            return false;
        }
    }
    return a[10] == 0xff && a[11] == 0xff;
}

} // namespace

CidrSet::CidrSet(const std::vector<Cidr>& cidrs) {
    for (size_t i = 0; i < cidrs.size(); ++i) {
        const Cidr& c = cidrs[i];
        const int index = static_cast<int>(i);
        m_texts.push_back(c.text);
        if (c.v6) {
            V6Rule r;
            r.maskHi = mask64(c.prefix);
            r.maskLo = mask64(c.prefix - 64);
            r.netHi = load64(c.addr) & r.maskHi;
            r.netLo = load64(c.addr + 8) & r.maskLo;
            r.index = index;
            m_v6.push_back(r);
        } else {
            V4Rule r;
            r.mask = static_cast<uint32_t>(mask64(c.prefix) >> 32);
            r.net = load32(c.addr) & r.mask;
            r.index = index;
            m_v4.push_back(r);
        }
    }
}

int CidrSet::matchV4(uint32_t a) const {
    for (const V4Rule& r : m_v4) {
        if ((a & r.mask) == r.net) {
            return r.index;
        }
    }
    return -1;
}

int CidrSet::match(const uint8_t* addr, bool v6) const {
    if (!v6) {
        return matchV4(load32(addr));
    }
    const uint64_t hi = load64(addr);
    const uint64_t lo = load64(addr + 8);
    int best = -1;
    for (const V6Rule& r : m_v6) {
        if ((hi & r.maskHi) == r.netHi && (lo & r.maskLo) == r.netLo) {
            best = r.index;
            break;
        }
    }
    if (!m_v4.empty() && isV4Mapped(addr)) {
        const int v4 = matchV4(load32(addr + 12));
        if (v4 >= 0 && (best < 0 || v4 < best)) {
            best = v4;
        }
    }
    return best;
}

std::string CidrSet::joined() const {
    std::string out;
    for (const std::string& t : m_texts) {
        if (!out.empty()) {
            out += ", ";
        }
        out += t;
    }
    return out;
}

std::string formatAddress(const uint8_t* addr, bool v6) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(v6 ? AF_INET6 : AF_INET, addr, buf, sizeof buf) == nullptr) {
        return "?";
    }
    return buf;
}

} // namespace tollgate::stages
