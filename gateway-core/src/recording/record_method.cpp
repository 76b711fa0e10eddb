#include "http/message.h"
#include "tollgate/traffic.h"

namespace tollgate {

std::string_view recordMethodName(uint8_t method) {
    return method < http::kMethodCount ? http::methodName(static_cast<http::Method>(method))
                                       : std::string_view();
}

} // namespace tollgate
