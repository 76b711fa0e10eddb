#include "resources_init.h"

#include <QtGlobal>

// Q_INIT_RESOURCE declares a function, so it must be expanded outside any namespace.
static void initTollgateResources() {
    Q_INIT_RESOURCE(tollgate);
}

namespace tollgate::ui {

void initUiResources() {
    static const bool done = (initTollgateResources(), true);
    (void)done;
}

} // namespace tollgate::ui
