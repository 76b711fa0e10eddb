// CPU per record of the recorder's own work, without the gateway around it: counting a record in its
// series (SeriesTable::add), formatting its access-log line, and (with a path) writing the lines to a
// file in batches, as the recorder does every 10 ms. Records cycle through SERIES distinct series
// (consumers x routes x statuses), filled the way a worker fills a ring slot over an older record.
// Not a test: `cmake --build build --target recorder_bench`, then
// `build/bench/recorder_bench [SERIES] [RECORDS] [LOG_PATH]` (defaults 1, 2000000, no log).
// Prints ns of thread CPU per record for each step; compare builds in the same minute.
#include "recording/record_json.h"
#include "recording/series_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace {

using tollgate::RequestRecord;

template <size_t N> void put(char (&dst)[N], const std::string& text) {
    const size_t n = std::min(text.size(), N - 1);
    std::memcpy(dst, text.data(), n);
    dst[n] = '\0'; // the rest keeps whatever an older record left
}

double threadCpuNs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e9 + double(t.tv_nsec);
}

std::vector<RequestRecord> makeRecords(size_t series) {
    std::vector<RequestRecord> out(series);
    for (size_t i = 0; i < series; ++i) {
        RequestRecord& r = out[i];
        std::memset(static_cast<void*>(&r), 'x', sizeof r); // stale bytes everywhere
        r.unixMicros = 1'700'000'040'000'000;
        r.totalMicros = 1400 + uint32_t(i % 97);
        r.upstreamMicros = 1300;
        r.bytesIn = 89;
        r.bytesOut = 206;
        r.status = i % 10 == 9 ? 429 : 200;
        r.method = 1;
        r.worker = 0;
        r.captureId = 0;
        put(r.reason, r.status == 429 ? "limit.rate" : "");
        put(r.consumer, "customer-" + std::to_string(i % 100));
        put(r.plan, "standard");
        put(r.api, "orders");
        put(r.apiVersion, "v1");
        put(r.route, "route-" + std::to_string(i / 100));
        put(r.path, "/orders/12345/items");
        put(r.clientIp, "203.0.113.7");
        put(r.target, "http://10.0.0.5:8080");
    }
    return out;
}

} // namespace

int main(int argc, char** argv) {
    const size_t series = argc > 1 ? std::max(1L, std::atol(argv[1])) : 1;
    const size_t records = argc > 2 ? std::max(1L, std::atol(argv[2])) : 2'000'000;
    const char* logPath = argc > 3 ? argv[3] : nullptr;
    const std::vector<RequestRecord> recs = makeRecords(series);

    { // counting only
        tollgate::recording::SeriesTable table;
        const double t0 = threadCpuNs();
        for (size_t i = 0; i < records; ++i) {
            table.add(recs[i % series]);
        }
        std::printf("series lookup + counting  %7.1f ns/record (%zu series)\n",
                    (threadCpuNs() - t0) / records, table.size());
    }
    const int fd = logPath ? ::open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    if (logPath && fd < 0) {
        std::perror(logPath);
        return 1;
    }
    { // counting, formatting, and writing in batches of 300 lines
        tollgate::recording::SeriesTable table;
        constexpr size_t kBatch = 300;
        const size_t room = kBatch * (tollgate::recording::maxRecordJson(1024) + 1);
        auto lines = std::make_unique<char[]>(room);
        double writeNs = 0;
        const double t0 = threadCpuNs();
        for (size_t i = 0; i < records;) {
            char* p = lines.get();
            for (size_t k = 0; k < kBatch && i < records; ++k, ++i) {
                const RequestRecord& r = recs[i % series];
                const std::string& identity = table.add(r);
                p = tollgate::recording::writeRecordJson(p, r, identity);
                *p++ = '\n';
            }
            if (fd >= 0) {
                const double w0 = threadCpuNs();
                if (::write(fd, lines.get(), size_t(p - lines.get())) < 0) {
                    std::perror("write");
                    return 1;
                }
                writeNs += threadCpuNs() - w0;
            }
        }
        const double total = threadCpuNs() - t0;
        std::printf("+ formatting the line     %7.1f ns/record\n", (total - writeNs) / records);
        if (fd >= 0) {
            std::printf("+ write(2) to %s %7.1f ns/record (all three: %.1f)\n", logPath, writeNs / records,
                        total / records);
            ::close(fd);
        }
    }
    return 0;
}
