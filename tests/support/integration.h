#pragma once
// Everything an integration test needs: the gateway process, the test upstream, the raw client,
// config YAML, and small helpers for Qt Test assertions.

#include "gateway_yaml.h"
#include "raw_client.h"
#include "support.h"
#include "test_upstream.h"
#include "tollgated_process.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <string>

namespace tollgate::test {

// The response body parsed as a JSON object (empty if it is not one).
QJsonObject jsonBody(const HttpResponse& response);

// The "reason" field of a JSON error body ("" if none).
std::string jsonReason(const HttpResponse& response);

// "status, headers and start of body" for failure messages.
std::string describe(const std::optional<HttpResponse>& response, const RawClient* client = nullptr);

// Line (1-based) of the first line of `text` containing `needle`, 0 if none.
int lineOf(const std::string& text, const std::string& needle);

// The API key a test gives consumer `consumer`: "<consumer>-secret-key".
std::string keyOf(const std::string& consumer);

// What consumers[].credentials[].hash holds for `key`: "sha256:<64 hex>".
std::string keyHash(const std::string& key);

// A refusal by the gateway: `status`, with `reason` in X-Tollgate-Reason and in the JSON body.
void expectRefused(const std::optional<HttpResponse>& response, int status, const std::string& reason);

// A numeric header of a response (RateLimit-Remaining, Retry-After), -1 when absent.
int64_t headerNumber(const HttpResponse& response, std::string_view name);

// The start of a config in front of `upstream`: version; gateway on 127.0.0.1:0 with 2 workers and
// `gatewayExtra` (lines indented by 2); service "backend"; and `apis:` opened with the head of API
// "orders" v1 at /orders/v1 on backend. The caller goes on with that API's other keys (indented by 4).
std::string ordersGatewayYaml(const TestUpstream& upstream, const std::string& gatewayExtra = {});

} // namespace tollgate::test

// Starts the gateway or fails the test with its output.
#define TG_START(process, yaml, ...)                                                                         \
    QVERIFY2((process).start((yaml)__VA_OPT__(, ) __VA_ARGS__), (process).diagnostics().c_str())

// Verifies an optional response exists and has the status; prints what came instead. Evaluates
// `response` once.
#define TG_EXPECT_STATUS(response, code, client)                                                             \
    do {                                                                                                     \
        const auto& tgResponse_ = (response);                                                                \
        QVERIFY2(tgResponse_ && tgResponse_->status == (code),                                               \
                 ("expected " + std::to_string(code) + ", got " +                                            \
                  tollgate::test::describe(tgResponse_, (client)))                                           \
                     .c_str());                                                                              \
    } while (false)
