#include "http/message.h"

namespace tollgate::http {

std::string_view methodName(Method m) {
    switch (m) {
    case Method::Get:
        return "GET";
    case Method::Head:
        return "HEAD";
    case Method::Post:
        return "POST";
    case Method::Put:
        return "PUT";
    case Method::Delete:
        return "DELETE";
    case Method::Connect:
        return "CONNECT";
    case Method::Options:
        return "OPTIONS";
    case Method::Trace:
        return "TRACE";
    case Method::Patch:
        return "PATCH";
    case Method::Other:
        break;
    }
    return "";
}

Method methodFromToken(std::string_view t) {
    switch (t.size()) {
    case 3:
        if (t == "GET") {
            return Method::Get;
        }
        if (t == "PUT") {
            return Method::Put;
        }
        break;
    case 4:
        if (t == "POST") {
            return Method::Post;
        }
        if (t == "HEAD") {
            return Method::Head;
        }
        break;
    case 5:
        if (t == "PATCH") {
            return Method::Patch;
        }
        if (t == "TRACE") {
            return Method::Trace;
        }
        break;
    case 6:
        if (t == "DELETE") {
            return Method::Delete;
        }
        break;
    case 7:
        if (t == "OPTIONS") {
            return Method::Options;
        }
        if (t == "CONNECT") {
            return Method::Connect;
        }
        break;
    default:
        break;
    }
    return Method::Other;
}

bool isIdempotent(Method m) {
    switch (m) {
    case Method::Get:
    case Method::Head:
    case Method::Put:
    case Method::Delete:
    case Method::Options:
    case Method::Trace:
        return true;
    default:
        return false;
    }
}

} // namespace tollgate::http
