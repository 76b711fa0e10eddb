#pragma once
// Replaces a config file so that a crash at any moment leaves either the old or the new file, never a
// mix: the previous content goes to FILE.bak, the new one to a temporary file in the same folder, which
// is fsynced and renamed over FILE, then the folder is fsynced so the rename itself survives.
// Used by the admin API's PUT /config and the console's Save.
// Thread safety: one writer per file at a time.

#include <string>
#include <string_view>

namespace tollgate {

bool replaceFileAtomically(const std::string& path, std::string_view content, std::string& error);

} // namespace tollgate
