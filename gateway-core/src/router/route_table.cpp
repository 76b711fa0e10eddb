#include "router/route_table.h"

#include "router/host_pattern.h"

#include <algorithm>
#include <array>

namespace tollgate::router {

namespace {

constexpr uint32_t kAllMethods = (1u << http::kMethodCount) - 1;

constexpr uint32_t methodBit(http::Method m) {
    return 1u << static_cast<unsigned>(m);
}

// Advances `pos` past the next non-empty '/'-separated segment of `path` and returns it in `seg`;
// false when only slashes (or nothing) remain. Empty segments are skipped, so "/a//b/" is a, b.
bool nextSegment(std::string_view path, size_t& pos, std::string_view& seg) {
    while (pos < path.size() && path[pos] == '/') {
        ++pos;
    }
    if (pos >= path.size()) {
        return false;
    }
    const size_t end = std::min(path.find('/', pos), path.size());
    seg = path.substr(pos, end - pos);
    pos = end;
    return true;
}

void appendSegments(std::string_view path, std::vector<std::string_view>& out) {
    size_t pos = 0;
    std::string_view seg;
    while (nextSegment(path, pos, seg)) {
        out.push_back(seg);
    }
}

bool isParam(std::string_view seg) {
    return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
}

// "GET, HEAD, POST" in enum order; Method::Other has no name and is left out.
std::string formatAllow(uint32_t mask) {
    std::string text;
    for (int i = 0; i < http::kMethodCount; ++i) {
        const auto m = static_cast<http::Method>(i);
        if ((mask & methodBit(m)) == 0 || m == http::Method::Other) {
            continue;
        }
        if (!text.empty()) {
            text += ", ";
        }
        text += http::methodName(m);
    }
    return text;
}

std::string normaliseBasePath(std::string_view base) {
    std::vector<std::string_view> segs;
    appendSegments(base, segs);
    std::string out;
    for (std::string_view s : segs) {
        out += '/';
        out += s;
    }
    return out;
}

} // namespace

struct RouteTable::Impl {
    // A route that ends at a node. Candidates are kept in rank order: exact hosts, then wildcard
    // hosts, then hostless; config order within a rank.
    struct Candidate {
        uint32_t route = 0;     // index into routes
        uint32_t hostBegin = 0; // [hostBegin, hostEnd) in hosts; empty = any host
        uint32_t hostEnd = 0;
        uint8_t rank = 0;
    };

    struct Node {
        std::vector<std::pair<std::string, uint32_t>> literals; // sorted by segment
        int32_t param = -1;                                     // the {param} child
        std::vector<Candidate> exact;                           // patterns ending here
        std::vector<Candidate> wildcard; // patterns ending here with "/*": zero or more segments
    };

    struct MatchState {
        std::string_view host; // without port
        uint32_t methodBit = 0;
        uint32_t allowMask = 0; // methods of candidates that matched path and host only
        const CompiledRoute* found = nullptr;
    };

    std::vector<CompiledRoute> routes;
    std::vector<Node> nodes{1}; // nodes[0] is the root
    std::vector<HostPattern> hosts;
    // Allow header values for every union of route method masks a 405 can produce, so match()
    // hands out a view instead of formatting: allowIndex[mask] indexes allowTexts.
    std::array<uint16_t, size_t{1} << http::kMethodCount> allowIndex{};
    std::vector<std::string> allowTexts{std::string()};

    uint32_t literalChild(uint32_t node, std::string_view seg) {
        auto less = [](const std::pair<std::string, uint32_t>& e, std::string_view s) {
            return std::string_view(e.first) < s;
        };
        auto& lits = nodes[node].literals;
        auto it = std::lower_bound(lits.begin(), lits.end(), seg, less);
        if (it != lits.end() && it->first == seg) {
            return it->second;
        }
        const size_t at = static_cast<size_t>(it - lits.begin());
        const auto child = static_cast<uint32_t>(nodes.size());
        nodes.emplace_back(); // may move nodes: index again below
        auto& again = nodes[node].literals;
        again.insert(again.begin() + static_cast<std::ptrdiff_t>(at), {std::string(seg), child});
        return child;
    }

    uint32_t paramChild(uint32_t node) {
        if (nodes[node].param < 0) {
            const auto child = static_cast<int32_t>(nodes.size());
            nodes.emplace_back();
            nodes[node].param = child;
        }
        return static_cast<uint32_t>(nodes[node].param);
    }

    void buildAllowTable() {
        std::vector<uint32_t> masks; // closure under union of the masks of method-restricted routes
        std::array<bool, size_t{1} << http::kMethodCount> seen{};
        seen[0] = true;
        for (const CompiledRoute& r : routes) {
            if (r.anyMethod || seen[r.methodMask]) {
                continue;
            }
            const size_t known = masks.size();
            for (size_t i = 0; i < known; ++i) {
                const uint32_t u = masks[i] | r.methodMask;
                if (!seen[u]) {
                    seen[u] = true;
                    masks.push_back(u);
                }
            }
            seen[r.methodMask] = true;
            masks.push_back(r.methodMask);
        }
        for (uint32_t m : masks) {
            allowIndex[m] = static_cast<uint16_t>(allowTexts.size());
            allowTexts.push_back(formatAllow(m));
        }
    }

    const CompiledRoute* check(const std::vector<Candidate>& cands, MatchState& st) const {
        for (const Candidate& c : cands) {
            bool hostOk = c.hostBegin == c.hostEnd;
            for (uint32_t h = c.hostBegin; h < c.hostEnd && !hostOk; ++h) {
                hostOk = hostMatches(hosts[h], st.host);
            }
            if (!hostOk) {
                continue;
            }
            const CompiledRoute& r = routes[c.route];
            if (r.anyMethod || (r.methodMask & st.methodBit) != 0) {
                return &r;
            }
            st.allowMask |= r.methodMask;
        }
        return nullptr;
    }

    // Depth-first in specificity order; recursion depth is bounded by the trie's depth, not by the
    // request path, because a node without a matching child only tries its wildcard list.
    bool search(uint32_t nodeIndex, std::string_view path, size_t pos, MatchState& st) const {
        const Node& node = nodes[nodeIndex];
        std::string_view seg;
        if (!nextSegment(path, pos, seg)) {
            st.found = check(node.exact, st);
            if (st.found == nullptr) {
                st.found = check(node.wildcard, st);
            }
            return st.found != nullptr;
        }
        if (!node.literals.empty()) {
            auto less = [](const std::pair<std::string, uint32_t>& e, std::string_view s) {
                return std::string_view(e.first) < s;
            };
            auto it = std::lower_bound(node.literals.begin(), node.literals.end(), seg, less);
            if (it != node.literals.end() && it->first == seg && search(it->second, path, pos, st)) {
                return true;
            }
        }
        if (node.param >= 0 && search(static_cast<uint32_t>(node.param), path, pos, st)) {
            return true;
        }
        st.found = check(node.wildcard, st);
        return st.found != nullptr;
    }
};

RouteTable::RouteTable() : m_impl(std::make_unique<Impl>()) {}
RouteTable::~RouteTable() = default;
RouteTable::RouteTable(RouteTable&&) noexcept = default;
RouteTable& RouteTable::operator=(RouteTable&&) noexcept = default;

RouteTable RouteTable::build(const Config& cfg) {
    RouteTable table;
    Impl& im = *table.m_impl;

    size_t routeCount = 0;
    for (const ApiConfig& api : cfg.apis) {
        routeCount += api.routes.size();
    }
    im.routes.reserve(routeCount);

    std::vector<std::string_view> segs;
    for (size_t a = 0; a < cfg.apis.size(); ++a) {
        const ApiConfig& api = cfg.apis[a];
        const std::string base = normaliseBasePath(api.basePath);
        int32_t service = -1;
        for (size_t s = 0; s < cfg.services.size(); ++s) {
            if (!api.service.empty() && cfg.services[s].name == api.service) {
                service = static_cast<int32_t>(s);
                break;
            }
        }

        for (size_t r = 0; r < api.routes.size(); ++r) {
            const RouteConfig& rc = api.routes[r];
            CompiledRoute cr;
            cr.apiIndex = static_cast<uint32_t>(a);
            cr.routeIndex = static_cast<uint32_t>(r);
            cr.serviceIndex = service;
            cr.basePath = base;
            cr.anyMethod = rc.methods.empty();
            cr.methodMask = cr.anyMethod ? kAllMethods : 0;
            for (const std::string& m : rc.methods) {
                const http::Method id = http::methodFromToken(m);
                cr.methodMask |= methodBit(id);
                if (id == http::Method::Get) {
                    cr.methodMask |= methodBit(http::Method::Head);
                }
            }
            cr.allow = formatAllow(cr.methodMask);
            cr.pattern = base + (rc.path.empty() || rc.path.front() != '/' ? "/" : "") + rc.path;
            if (cr.pattern.size() > 1 && cr.pattern.back() == '/') {
                cr.pattern.pop_back();
            }

            Impl::Candidate cand;
            cand.route = static_cast<uint32_t>(im.routes.size());
            cand.hostBegin = static_cast<uint32_t>(im.hosts.size());
            const std::vector<std::string>& hostList = rc.hosts.empty() ? api.hosts : rc.hosts;
            bool anyWildcardHost = false;
            for (const std::string& h : hostList) {
                im.hosts.push_back(makeHostPattern(h));
                anyWildcardHost = anyWildcardHost || im.hosts.back().wildcard;
            }
            cand.hostEnd = static_cast<uint32_t>(im.hosts.size());
            cand.rank = hostList.empty() ? 2 : (anyWildcardHost ? 1 : 0);

            segs.clear();
            appendSegments(base, segs);
            appendSegments(rc.path, segs);
            const bool wildcard = !segs.empty() && segs.back() == "*";
            if (wildcard) {
                segs.pop_back();
            }
            uint32_t node = 0;
            for (std::string_view seg : segs) {
                node = isParam(seg) ? im.paramChild(node) : im.literalChild(node, seg);
            }
            (wildcard ? im.nodes[node].wildcard : im.nodes[node].exact).push_back(cand);
            im.routes.push_back(std::move(cr));
        }
    }

    auto byRank = [](const Impl::Candidate& x, const Impl::Candidate& y) { return x.rank < y.rank; };
    for (Impl::Node& n : im.nodes) {
        std::stable_sort(n.exact.begin(), n.exact.end(), byRank);
        std::stable_sort(n.wildcard.begin(), n.wildcard.end(), byRank);
    }
    im.buildAllowTable();
    return table;
}

RouteMatch RouteTable::match(std::string_view host, http::Method method, std::string_view path) const {
    RouteMatch result;
    if (!m_impl) { // moved from
        return result;
    }
    const size_t query = path.find('?');
    if (query != std::string_view::npos) {
        path = path.substr(0, query);
    }
    Impl::MatchState st;
    st.host = hostWithoutPort(host);
    st.methodBit = methodBit(method);
    if (m_impl->search(0, path, 0, st)) {
        result.kind = RouteMatch::Kind::Found;
        result.route = st.found;
    } else if (st.allowMask != 0) {
        result.kind = RouteMatch::Kind::MethodNotAllowed;
        result.allow = m_impl->allowTexts[m_impl->allowIndex[st.allowMask]];
    }
    return result;
}

const std::vector<CompiledRoute>& RouteTable::routes() const {
    static const std::vector<CompiledRoute> kNone;
    return m_impl ? m_impl->routes : kNone;
}

} // namespace tollgate::router
