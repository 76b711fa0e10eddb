#pragma once
// A first-in first-out sequence in one growing buffer: std::deque allocates a block every few rows
// of the Traffic table's size, which at 10,000 rows a second is most of what appending costs. The
// buffer grows to the largest size held and is then reused. UI thread only (no locking).

#include <cstddef>
#include <vector>

namespace tollgate::ui {

template <typename T> class RowRing {
public:
    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    T& operator[](size_t i) { return m_items[(m_first + i) % m_items.size()]; }
    const T& operator[](size_t i) const { return m_items[(m_first + i) % m_items.size()]; }
    T& front() { return (*this)[0]; }
    const T& front() const { return (*this)[0]; }
    T& back() { return (*this)[m_size - 1]; }
    const T& back() const { return (*this)[m_size - 1]; }

    void push_back(const T& item) {
        if (m_size == m_items.size()) {
            grow();
        }
        m_items[(m_first + m_size) % m_items.size()] = item;
        ++m_size;
    }
    void pop_front(size_t n = 1) {
        m_first = m_size > n ? (m_first + n) % m_items.size() : 0;
        m_size = m_size > n ? m_size - n : 0;
    }
    void clear() { pop_front(m_size); }

private:
    void grow() {
        std::vector<T> bigger(m_items.empty() ? 64 : m_items.size() * 2);
        for (size_t i = 0; i < m_size; ++i) {
            bigger[i] = (*this)[i];
        }
        m_items.swap(bigger);
        m_first = 0;
    }

    std::vector<T> m_items;
    size_t m_first = 0;
    size_t m_size = 0;
};

} // namespace tollgate::ui
