#pragma once
// Buffers for the request records the engine thread hands to the pages. A poll at 10,000 requests a
// second fills about a megabyte; allocated fresh each time, that is a new mapping and hundreds of
// page faults per poll, which cost the engine thread more than copying the records does. A batch
// comes back here when the last page lets go of it (on the UI thread) and the next poll reuses it.

#include "bridge/engine_types.h"

#include <memory>
#include <mutex>
#include <vector>

namespace tollgate::ui {

class RecordBatchPool : public std::enable_shared_from_this<RecordBatchPool> {
public:
    // Made shared: a batch may outlive the worker that filled it (still queued for the UI thread).
    static std::shared_ptr<RecordBatchPool> create(size_t maxSpare = 4, size_t maxRecords = 16'384);

    // An empty buffer with room for `records`: a returned one when there is one. It goes back to the
    // pool when the last copy of the shared pointer is released, on whatever thread that is.
    std::shared_ptr<std::vector<RequestRecord>> take(size_t records);
    size_t spareCount() const;

private:
    RecordBatchPool(size_t maxSpare, size_t maxRecords) : m_maxSpare(maxSpare), m_maxRecords(maxRecords) {}
    void giveBack(std::vector<RequestRecord>* records);

    const size_t m_maxSpare;
    const size_t m_maxRecords; // a buffer grown past this (a rare backlog) is freed, not kept
    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<std::vector<RequestRecord>>> m_spare;
};

} // namespace tollgate::ui
