#include "bridge/record_batch_pool.h"

namespace tollgate::ui {

std::shared_ptr<RecordBatchPool> RecordBatchPool::create(size_t maxSpare, size_t maxRecords) {
    return std::shared_ptr<RecordBatchPool>(new RecordBatchPool(maxSpare, maxRecords));
}

std::shared_ptr<std::vector<RequestRecord>> RecordBatchPool::take(size_t records) {
    std::unique_ptr<std::vector<RequestRecord>> buffer;
    {
        std::lock_guard lock(m_mutex);
        if (!m_spare.empty()) {
            buffer = std::move(m_spare.back());
            m_spare.pop_back();
        }
    }
    if (!buffer) {
        buffer = std::make_unique<std::vector<RequestRecord>>();
    }
    buffer->clear();
    buffer->reserve(records);
    std::weak_ptr<RecordBatchPool> pool = weak_from_this();
    return std::shared_ptr<std::vector<RequestRecord>>(buffer.release(),
                                                       [pool](std::vector<RequestRecord>* used) {
                                                           if (auto p = pool.lock()) {
                                                               p->giveBack(used);
                                                           } else {
                                                               delete used;
                                                           }
                                                       });
}

size_t RecordBatchPool::spareCount() const {
    std::lock_guard lock(m_mutex);
    return m_spare.size();
}

void RecordBatchPool::giveBack(std::vector<RequestRecord>* records) {
    std::unique_ptr<std::vector<RequestRecord>> owned(records);
    if (owned->capacity() > m_maxRecords) {
        return;
    }
    std::lock_guard lock(m_mutex);
    if (m_spare.size() < m_maxSpare) {
        m_spare.push_back(std::move(owned));
    }
}

} // namespace tollgate::ui
