#include "limits/counter_table.h"

namespace tollgate::limits {

ConsumerCounters* CounterTable::slot(const std::string& consumer) {
    std::lock_guard lock(m_mutex);
    auto it = m_index.find(consumer);
    if (it != m_index.end()) {
        return it->second;
    }
    ConsumerCounters* s = &m_slots.emplace_back();
    m_names.push_back(consumer);
    m_index.emplace(consumer, s);
    return s;
}

ConsumerCounters* CounterTable::find(const std::string& consumer) const {
    std::lock_guard lock(m_mutex);
    auto it = m_index.find(consumer);
    return it == m_index.end() ? nullptr : it->second;
}

void CounterTable::forEach(const std::function<void(const std::string&, ConsumerCounters&)>& fn) const {
    // Under the lock: fn is quick (it reads atomics), and copying 100,000 pointers every flush would cost
    // more memory than holding slot() back for a moment.
    std::lock_guard lock(m_mutex);
    for (size_t i = 0; i < m_names.size(); ++i) {
        fn(m_names[i], const_cast<ConsumerCounters&>(m_slots[i]));
    }
}

size_t CounterTable::size() const {
    std::lock_guard lock(m_mutex);
    return m_slots.size();
}

} // namespace tollgate::limits
