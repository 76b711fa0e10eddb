// IpFilterStage and CidrSet: gateway ip_rules deny and allow, IPv4 and IPv6 boundaries, explain lines.

#include "server/snapshot.h"
#include "stages/ip_filter/cidr_set.h"
#include "stages/ip_filter/ip_filter_stage.h"

#include <QtTest>

#include <arpa/inet.h>

#include <cstring>
#include <string>
#include <vector>

using namespace tollgate;
using tollgate::pipeline::Decision;
using tollgate::pipeline::RequestContext;
using tollgate::stages::CidrSet;
using tollgate::stages::IpFilterStage;

namespace {

std::vector<Cidr> cidrs(const std::vector<std::string>& texts) {
    std::vector<Cidr> out;
    for (const std::string& t : texts) {
        const std::optional<Cidr> c = parseCidr(t);
        if (!c) {
            qFatal("bad cidr %s", t.c_str());
        }
        out.push_back(*c);
    }
    return out;
}

void setAddress(RequestContext& ctx, const std::string& ip) {
    std::memset(ctx.clientAddr, 0, sizeof ctx.clientAddr);
    ctx.clientV6 = ip.find(':') != std::string::npos;
    if (inet_pton(ctx.clientV6 ? AF_INET6 : AF_INET, ip.c_str(), ctx.clientAddr) != 1) {
        qFatal("bad address %s", ip.c_str());
    }
    ctx.clientIp = ip;
}

// Index of the matching rule, or -1.
int matchIn(const CidrSet& set, const std::string& ip) {
    RequestContext ctx;
    setAddress(ctx, ip);
    return set.match(ctx.clientAddr, ctx.clientV6);
}

std::shared_ptr<const server::Snapshot> snapshot(const std::string& ipRules) {
    const std::string yaml = "version: 1\n" + ipRules;
    const LoadResult r = loadConfigText(yaml, "t.yaml");
    if (!r.ok()) {
        qWarning("%s", r.errors.empty() ? "?" : r.errors[0].format().c_str());
        return nullptr;
    }
    std::string err;
    return server::Snapshot::compile(*r.config, 1, err, {nullptr, false});
}

// "pass" or "403 ip.denied".
std::string decide(const IpFilterStage& stage, const std::string& ip,
                   std::vector<std::string>* chain = nullptr) {
    RequestContext ctx;
    setAddress(ctx, ip);
    ctx.explainChain = chain;
    const Decision d = stage.onRequest(ctx);
    return d.respond ? std::to_string(d.status) + " " + d.reason : "pass";
}

std::unique_ptr<IpFilterStage> stageFor(const std::shared_ptr<const server::Snapshot>& snap) {
    std::string err;
    auto stage = IpFilterStage::create(*snap, err);
    if (!stage) {
        qFatal("create failed: %s", err.c_str());
    }
    return stage;
}

} // namespace

class IpFilterTest : public QObject {
    Q_OBJECT
private slots:
    void cidrSet_v4Boundaries() {
        const CidrSet set(cidrs({"203.0.113.0/24", "10.1.2.3/32", "192.168.0.0/16"}));
        QCOMPARE(matchIn(set, "203.0.113.0"), 0);
        QCOMPARE(matchIn(set, "203.0.113.255"), 0);
        QCOMPARE(matchIn(set, "203.0.112.255"), -1);
        QCOMPARE(matchIn(set, "203.0.114.0"), -1);
        QCOMPARE(matchIn(set, "10.1.2.3"), 1);
        QCOMPARE(matchIn(set, "10.1.2.2"), -1);
        QCOMPARE(matchIn(set, "10.1.2.4"), -1);
        QCOMPARE(matchIn(set, "192.168.255.255"), 2);
        QCOMPARE(matchIn(set, "192.169.0.0"), -1);
        QCOMPARE(matchIn(set, "::1"), -1); // an IPv6 address never matches IPv4 rules
    }

    void cidrSet_zeroPrefixMatchesEveryAddressOfItsFamily() {
        const CidrSet v4(cidrs({"0.0.0.0/0"}));
        QCOMPARE(matchIn(v4, "0.0.0.0"), 0);
        QCOMPARE(matchIn(v4, "255.255.255.255"), 0);
        QCOMPARE(matchIn(v4, "2001:db8::1"), -1);
        const CidrSet v6(cidrs({"::/0"}));
        QCOMPARE(matchIn(v6, "::"), 0);
        QCOMPARE(matchIn(v6, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), 0);
        QCOMPARE(matchIn(v6, "127.0.0.1"), -1);
    }

    void cidrSet_v6Boundaries() {
        const CidrSet set(cidrs({"2001:db8::/32", "::1", "2001:db9:0:0:8000::/65", "fe80::/10"}));
        QCOMPARE(matchIn(set, "2001:db8::"), 0);
        QCOMPARE(matchIn(set, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), 0);
        QCOMPARE(matchIn(set, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"), -1);
        QCOMPARE(matchIn(set, "::1"), 1); // written without a prefix: /128
        QCOMPARE(matchIn(set, "::2"), -1);
        QCOMPARE(matchIn(set, "::"), -1);
        // /65: the first bit of the low half counts
        QCOMPARE(matchIn(set, "2001:db9::8000:0:0:0"), 2);
        QCOMPARE(matchIn(set, "2001:db9::ffff:ffff:ffff:ffff"), 2);
        QCOMPARE(matchIn(set, "2001:db9::7fff:ffff:ffff:ffff"), -1);
        // /10 inside the first 16 bits
        QCOMPARE(matchIn(set, "febf::1"), 3);
        QCOMPARE(matchIn(set, "fec0::1"), -1);
        QCOMPARE(matchIn(set, "10.0.0.1"), -1);
    }

    void cidrSet_v4MappedAddressMatchesV4Rules() {
        const CidrSet set(cidrs({"203.0.113.0/24"}));
        QCOMPARE(matchIn(set, "::ffff:203.0.113.9"), 0);
        QCOMPARE(matchIn(set, "::ffff:203.0.114.9"), -1);
        QCOMPARE(matchIn(set, "::203.0.113.9"), -1); // not mapped
        QCOMPARE(set.joined(), std::string("203.0.113.0/24"));
    }

    void noRules_passesEverything() {
        const auto snap = snapshot("");
        QVERIFY(snap);
        const auto stage = stageFor(snap);
        QCOMPARE(std::string(stage->name()), std::string("ip_filter"));
        QCOMPARE(decide(*stage, "203.0.113.7"), std::string("pass"));
        QCOMPARE(decide(*stage, "::1"), std::string("pass"));
    }

    void denyMatch_is403IpDenied() {
        const auto snap = snapshot("ip_rules:\n  deny: [\"203.0.113.0/24\", \"2001:db8::/32\"]\n");
        QVERIFY(snap);
        const auto stage = stageFor(snap);
        QCOMPARE(decide(*stage, "203.0.113.7"), std::string("403 ip.denied"));
        QCOMPARE(decide(*stage, "203.0.113.255"), std::string("403 ip.denied"));
        QCOMPARE(decide(*stage, "203.0.114.0"), std::string("pass"));
        QCOMPARE(decide(*stage, "2001:db8::42"), std::string("403 ip.denied"));
        QCOMPARE(decide(*stage, "2001:db9::42"), std::string("pass"));
        QCOMPARE(decide(*stage, "127.0.0.1"), std::string("pass"));
    }

    void allowList_refusesAddressesOutsideIt() {
        const auto snap = snapshot("ip_rules:\n  allow: [\"10.0.0.0/8\", \"::1\"]\n");
        QVERIFY(snap);
        const auto stage = stageFor(snap);
        QCOMPARE(decide(*stage, "10.255.255.255"), std::string("pass"));
        QCOMPARE(decide(*stage, "11.0.0.0"), std::string("403 ip.denied"));
        QCOMPARE(decide(*stage, "::1"), std::string("pass"));
        QCOMPARE(decide(*stage, "::2"), std::string("403 ip.denied"));
    }

    void denyWinsOverAllow() {
        const auto snap = snapshot("ip_rules:\n  allow: [\"10.0.0.0/8\"]\n  deny: [\"10.0.0.13/32\"]\n");
        QVERIFY(snap);
        const auto stage = stageFor(snap);
        QCOMPARE(decide(*stage, "10.0.0.12"), std::string("pass"));
        QCOMPARE(decide(*stage, "10.0.0.13"), std::string("403 ip.denied"));
    }

    void explain_saysWhichRuleDecided() {
        const auto snap = snapshot("ip_rules:\n  allow: [\"10.0.0.0/8\"]\n  deny: [\"10.9.0.0/16\"]\n");
        QVERIFY(snap);
        const auto stage = stageFor(snap);
        std::vector<std::string> chain;
        QCOMPARE(decide(*stage, "10.9.1.1", &chain), std::string("403 ip.denied"));
        QCOMPARE(decide(*stage, "11.0.0.1", &chain), std::string("403 ip.denied"));
        QCOMPARE(decide(*stage, "10.1.1.1", &chain), std::string("pass"));
        const std::vector<std::string> expected = {
            "ip_rules: ip.denied: 10.9.1.1 is inside deny 10.9.0.0/16",
            "ip_rules: ip.denied: 11.0.0.1 is outside allow (10.0.0.0/8)",
            "ip_rules: 10.1.1.1 allowed by allow 10.0.0.0/8",
        };
        QCOMPARE(chain, expected);

        const auto open = stageFor(snapshot(""));
        const auto denyOnly = stageFor(snapshot("ip_rules:\n  deny: [\"203.0.113.0/24\"]\n"));
        chain.clear();
        QCOMPARE(decide(*open, "127.0.0.1", &chain), std::string("pass"));
        QCOMPARE(decide(*denyOnly, "127.0.0.1", &chain), std::string("pass"));
        const std::vector<std::string> expected2 = {
            "ip_rules: 127.0.0.1 allowed (no ip_rules)",
            "ip_rules: 127.0.0.1 allowed (no rule matches)",
        };
        QCOMPARE(chain, expected2);
    }
};

QTEST_APPLESS_MAIN(IpFilterTest)
#include "ip_filter_test.moc"
