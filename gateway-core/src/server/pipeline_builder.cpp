#include "server/pipeline_builder.h"

#include "stages/observe/observe_stage.h"
#include "stages/route/route_stage.h"

#include <ctime>

namespace tollgate::server {

bool buildPipeline(Snapshot& snap, const CompileContext& context, std::string& error) {
    snap.pipeline.add(std::make_unique<stages::RouteStage>(snap.routes));
    snap.pipeline.add(std::make_unique<stages::ObserveStage>());
    return true;
}

std::string deprecationHeaders(const std::string& sunset) {
    std::string out = "Deprecation: true\r\n";
    std::tm tm{};
    if (sunset.size() == 10 &&
        std::sscanf(sunset.c_str(), "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
        tm.tm_year -= 1900;
        tm.tm_mon -= 1;
        const time_t t = timegm(&tm);
        std::tm norm{};
        gmtime_r(&t, &norm);
        char buf[64];
        std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &norm);
        out += "Sunset: ";
        out += buf;
        out += "\r\n";
    }
    return out;
}

} // namespace tollgate::server
