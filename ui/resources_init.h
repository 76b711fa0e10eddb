#pragma once
// The console's icons and demo workspace live in a resource file compiled into this static
// library; a static library's resources must be registered by hand before first use.

namespace tollgate::ui {

void initUiResources();

} // namespace tollgate::ui
