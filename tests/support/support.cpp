#include "support.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tollgate::test {

std::string sourcePath(const std::string& relative) {
    const char* root = std::getenv("TOLLGATE_SOURCE_DIR");
    return std::string(root ? root : ".") + "/" + relative;
}

bool writeFile(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    return bool(out);
}

} // namespace tollgate::test
