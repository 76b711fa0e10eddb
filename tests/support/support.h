#pragma once
// Shared helpers for Tollgate's Qt tests.

#include <QString>
#include <string>

namespace tollgate::test {

// Absolute path of a file in the source tree (TOLLGATE_SOURCE_DIR, set by ctest).
std::string sourcePath(const std::string& relative);

// Writes text to a file, creating folders; returns false on failure.
bool writeFile(const std::string& path, const std::string& text);

} // namespace tollgate::test
