#pragma once
// Which requests a consumer pays for: those the gateway forwarded (the upstream answered, or failed:
// reason "" or "upstream.*"), not those it refused itself.

#include <string_view>

namespace tollgate::report {

// True for a reason code the gateway answers with on its own (auth., deny., ip., route., lifecycle.,
// limit., http., client.): such requests are counted as refused, never billed.
bool isGatewayRefusal(std::string_view reason);

} // namespace tollgate::report
