// Fuzz target for the path normaliser: a canonical path is a fixed point and has no dot-segments
// or empty segments left.
#include "http/path_normalizer.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace tollgate::http;

namespace {

void check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

bool endsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && std::string_view(s).substr(s.size() - suffix.size()) == suffix;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
    static std::string path;
    static std::string again;
    const std::string_view target(reinterpret_cast<const char*>(bytes), size);
    std::string_view query;
    const PathError e = normalizePath(target, path, query);
    if (e != PathError::None) {
        check(pathErrorReason(e)[0] == 'p');
        return 0;
    }
    check(!path.empty() && path[0] == '/' && path.size() <= 8 * 1024);
    check(path.find("//") == std::string::npos);
    check(path.find("/./") == std::string::npos && path.find("/../") == std::string::npos);
    check(!endsWith(path, "/.") && !endsWith(path, "/.."));
    check(path.find_first_of(";\\#?") == std::string::npos);
    check(query.empty() ||
          (query.data() > target.data() && query.data() + query.size() == target.data() + size));
    std::string_view query2;
    check(normalizePath(path, again, query2) == PathError::None);
    check(again == path && query2.empty());
    return 0;
}
