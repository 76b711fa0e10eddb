#pragma once
// Responses the gateway makes itself: a small JSON body naming the reason code, the same code in
// X-Tollgate-Reason, so a client (and the console) can tell why a request was refused.

#include <string>
#include <string_view>

namespace tollgate::server {

std::string_view statusText(int status);

void appendLocalResponse(std::string& out, int status, std::string_view reason, std::string_view allow,
                         bool keepAlive, bool headOnly);

// Appends `s` JSON-escaped (without quotes).
void appendJsonEscaped(std::string& out, std::string_view s);

} // namespace tollgate::server
