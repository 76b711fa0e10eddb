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
