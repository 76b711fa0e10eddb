#pragma once
// Direct SQL on a store file, beside the code under test (a separate connection, as another process
// would have): to inspect rows or to corrupt and lock the file on purpose.

#include <string>

namespace tollgate::test {

// Runs one statement; returns the first column of the first row as text ("" when none or on error).
std::string rawQuery(const std::string& path, const char* sql);

} // namespace tollgate::test
