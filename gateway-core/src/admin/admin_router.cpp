#include "admin/admin_router.h"

#include "http/head_grammar.h"

#include <array>
#include <charconv>

namespace tollgate::admin {
namespace {

struct Fixed {
    std::string_view path;
    std::string_view method;
    Endpoint endpoint;
};

constexpr std::array<Fixed, 9> kFixed{{
    {"/status", "GET", Endpoint::Status},
    {"/metrics", "GET", Endpoint::Metrics},
    {"/usage", "GET", Endpoint::Usage},
    {"/traffic", "GET", Endpoint::Traffic},
    {"/traffic/stream", "GET", Endpoint::TrafficStream},
    {"/config", "GET", Endpoint::GetConfig},
    {"/config", "PUT", Endpoint::PutConfig},
    {"/traffic/capture", "GET", Endpoint::GetCapture},
    {"/traffic/capture", "PUT", Endpoint::PutCapture},
}};

} // namespace

bool percentDecode(std::string_view in, std::string& out, bool plusIsSpace) {
    out.clear();
    for (size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) {
                return false;
            }
            const int hi = http::detail::hexValue(in[i + 1]);
            const int lo = http::detail::hexValue(in[i + 2]);
            if (hi < 0 || lo < 0) {
                return false;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else if (c == '+' && plusIsSpace) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return true;
}

RouteMatch matchRoute(std::string_view method, std::string_view path) {
    RouteMatch m;
    for (const Fixed& f : kFixed) {
        if (f.path != path) {
            continue;
        }
        if (f.method == method) {
            m.kind = RouteMatch::Kind::Found;
            m.endpoint = f.endpoint;
            return m;
        }
        m.kind = RouteMatch::Kind::WrongMethod;
        m.allow += std::string(m.allow.empty() ? "" : ", ") + std::string(f.method);
    }
    if (m.kind == RouteMatch::Kind::WrongMethod) {
        return m;
    }
    // /traffic/{seq}: one record's captured headers
    constexpr std::string_view kTraffic = "/traffic/";
    if (path.substr(0, kTraffic.size()) == kTraffic) {
        const std::string_view digits = path.substr(kTraffic.size());
        uint64_t seq = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
        if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || seq == 0) {
            return m;
        }
        m.seq = seq;
        if (method != "GET") {
            m.kind = RouteMatch::Kind::WrongMethod;
            m.allow = "GET";
            return m;
        }
        m.kind = RouteMatch::Kind::Found;
        m.endpoint = Endpoint::TrafficHeaders;
        return m;
    }
    // /consumers/{name}/quota/reset and /consumers/{name}/quota/topup
    constexpr std::string_view kPrefix = "/consumers/";
    if (path.substr(0, kPrefix.size()) != kPrefix) {
        return m;
    }
    const std::string_view rest = path.substr(kPrefix.size());
    const size_t slash = rest.find('/');
    if (slash == 0 || slash == std::string_view::npos) {
        return m;
    }
    const std::string_view action = rest.substr(slash);
    Endpoint endpoint;
    if (action == "/quota/reset") {
        endpoint = Endpoint::QuotaReset;
    } else if (action == "/quota/topup") {
        endpoint = Endpoint::QuotaTopUp;
    } else {
        return m;
    }
    if (!percentDecode(rest.substr(0, slash), m.consumer, false) || m.consumer.empty()) {
        m.consumer.clear();
        return m;
    }
    if (method != "POST") {
        m.kind = RouteMatch::Kind::WrongMethod;
        m.allow = "POST";
        return m;
    }
    m.kind = RouteMatch::Kind::Found;
    m.endpoint = endpoint;
    return m;
}

} // namespace tollgate::admin
