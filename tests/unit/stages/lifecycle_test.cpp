// LifecycleStage: draft 404 api.draft, retired 410 api.retired, deprecated passes with the exact
// Deprecation and Sunset header lines, published passes; explain lines.

#include "server/snapshot.h"
#include "stages/lifecycle/lifecycle_stage.h"

#include <QtTest>

#include <string>
#include <vector>

using namespace tollgate;
using tollgate::pipeline::Decision;
using tollgate::pipeline::RequestContext;
using tollgate::stages::LifecycleStage;

namespace {

// Plain literals, not a raw string: moc takes a "/*" inside a raw string for a comment.
const char* kConfig =
    "version: 1\n"
    "services:\n"
    "  - name: echo\n"
    "    targets: [ { url: \"builtin:echo\" } ]\n"
    "apis:\n"
    "  - { name: live, version: v1, base_path: /live, service: echo, public: true,\n"
    "      routes: [ { name: all, path: \"/*\" } ] }\n"
    "  - { name: old, version: v2, lifecycle: deprecated, sunset: 2027-06-30, base_path: /old, service: "
    "echo,\n"
    "      public: true, routes: [ { name: all, path: \"/*\" } ] }\n"
    "  - { name: aging, lifecycle: deprecated, base_path: /aging, service: echo, public: true,\n"
    "      routes: [ { name: all, path: \"/*\" } ] }\n"
    "  - { name: next, version: v3, lifecycle: draft, base_path: /next, service: echo, public: true,\n"
    "      routes: [ { name: all, path: \"/*\" } ] }\n"
    "  - { name: gone, version: v0, lifecycle: retired, sunset: 2024-01-31, base_path: /gone, service: "
    "echo,\n"
    "      public: true, routes: [ { name: all, path: \"/*\" } ] }\n";

struct Fixture {
    std::shared_ptr<const server::Snapshot> snap;
    std::unique_ptr<LifecycleStage> stage;

    Fixture() {
        const LoadResult r = loadConfigText(kConfig, "t.yaml");
        if (!r.ok()) {
            qFatal("%s", r.errors.empty() ? "?" : r.errors[0].format().c_str());
        }
        std::string err;
        snap = server::Snapshot::compile(*r.config, 1, err, {nullptr, false});
        if (!snap) {
            qFatal("%s", err.c_str());
        }
        stage = LifecycleStage::create(*snap, err);
        if (!stage) {
            qFatal("%s", err.c_str());
        }
    }

    struct Outcome {
        std::string decision; // "pass" or "404 api.draft"
        std::string headers;  // the response header lines added, concatenated
    };

    Outcome run(const std::string& path, std::vector<std::string>* chain = nullptr) const {
        RequestContext ctx;
        ctx.snapshot = snap.get();
        ctx.method = http::Method::Get;
        ctx.path = path;
        ctx.explainChain = chain;
        const router::RouteMatch m = snap->routes.match("", ctx.method, path);
        ctx.route = m.route;
        const Decision d = stage->onRequest(ctx);
        Outcome out;
        out.decision = d.respond ? std::to_string(d.status) + " " + d.reason : "pass";
        for (uint8_t i = 0; i < ctx.responseHeaderCount; ++i) {
            out.headers += ctx.responseHeaders[i];
        }
        return out;
    }
};

} // namespace

class LifecycleTest : public QObject {
    Q_OBJECT
private slots:
    void published_passesWithoutHeaders() {
        const Fixture f;
        QCOMPARE(std::string(f.stage->name()), std::string("lifecycle"));
        const auto o = f.run("/live/x");
        QCOMPARE(o.decision, std::string("pass"));
        QCOMPARE(o.headers, std::string());
    }

    void deprecated_passesWithDeprecationAndSunset() {
        const Fixture f;
        const auto o = f.run("/old/x");
        QCOMPARE(o.decision, std::string("pass"));
        QCOMPARE(o.headers, std::string("Deprecation: true\r\nSunset: Wed, 30 Jun 2027 00:00:00 GMT\r\n"));
    }

    void deprecatedWithoutSunset_addsDeprecationOnly() {
        const Fixture f;
        const auto o = f.run("/aging/x");
        QCOMPARE(o.decision, std::string("pass"));
        QCOMPARE(o.headers, std::string("Deprecation: true\r\n"));
    }

    void draft_is404ApiDraft() {
        const Fixture f;
        const auto o = f.run("/next/x");
        QCOMPARE(o.decision, std::string("404 api.draft"));
        QCOMPARE(o.headers, std::string());
    }

    void retired_is410ApiRetired() {
        const Fixture f;
        const auto o = f.run("/gone/x");
        QCOMPARE(o.decision, std::string("410 api.retired"));
        QCOMPARE(o.headers, std::string());
    }

    void noRoute_isNotThisStagesBusiness() {
        const Fixture f;
        QCOMPARE(f.run("/nowhere").decision, std::string("pass"));
    }

    void explain_namesTheApiAndItsState() {
        const Fixture f;
        std::vector<std::string> chain;
        f.run("/live/x", &chain);
        f.run("/old/x", &chain);
        f.run("/next/x", &chain);
        f.run("/gone/x", &chain);
        f.run("/aging/x", &chain);
        const std::vector<std::string> expected = {
            "lifecycle: live v1 is published",
            "lifecycle: old v2 is deprecated, sunset 2027-06-30 (answers carry Deprecation and Sunset "
            "headers)",
            "lifecycle: api.draft: next v3 is a draft, not exposed yet",
            "lifecycle: api.retired: gone v0 is retired, sunset 2024-01-31",
            "lifecycle: aging is deprecated (answers carry a Deprecation header)",
        };
        QCOMPARE(chain, expected);
    }
};

QTEST_APPLESS_MAIN(LifecycleTest)
#include "lifecycle_test.moc"
