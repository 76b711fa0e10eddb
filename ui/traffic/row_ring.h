#pragma once
// A first-in first-out sequence in one buffer: std::deque allocates a block every few rows of the
// Traffic table's size, which at 10,000 rows a second is most of what appending costs. The buffer is
// raw memory with a power-of-two size (an index is a mask, not a division). Reserving the most rows
// ever held up front costs no memory until rows arrive: the pages are mapped as they are first
// written. So the ring never grows while traffic flows, where copying 100,000 rows at once would
// stall the window. UI thread only (no locking).

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>

namespace tollgate::ui {

template <typename T> class RowRing {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                  "rows are copied as bytes and never destroyed");

public:
    RowRing() = default;
    RowRing(const RowRing&) = delete;
    RowRing& operator=(const RowRing&) = delete;

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    size_t capacity() const { return m_mask + 1; }
    T& operator[](size_t i) { return m_items.get()[(m_first + i) & m_mask]; }
    const T& operator[](size_t i) const { return m_items.get()[(m_first + i) & m_mask]; }
    T& front() { return (*this)[0]; }
    const T& front() const { return (*this)[0]; }
    T& back() { return (*this)[m_size - 1]; }
    const T& back() const { return (*this)[m_size - 1]; }

    // Room for at least `rows` without growing.
    void reserve(size_t rows) {
        if (rows > capacity() || !m_items) {
            resize(std::bit_ceil(std::max<size_t>(rows, 64)));
        }
    }
    void push_back(const T& item) {
        if (!m_items || m_size == capacity()) {
            resize(m_items ? capacity() * 2 : 64);
        }
        ::new (static_cast<void*>(&m_items.get()[(m_first + m_size) & m_mask])) T(item);
        ++m_size;
    }
    void pop_front(size_t n = 1) {
        m_first = m_size > n ? (m_first + n) & m_mask : 0;
        m_size = m_size > n ? m_size - n : 0;
    }
    void clear() { pop_front(m_size); }

private:
    struct Free {
        void operator()(T* p) const {
            ::operator delete(static_cast<void*>(p), std::align_val_t(alignof(T)));
        }
    };

    void resize(size_t count) {
        void* raw = ::operator new(count * sizeof(T), std::align_val_t(alignof(T)));
        std::unique_ptr<T, Free> bigger{static_cast<T*>(raw)};
        for (size_t i = 0; i < m_size; ++i) {
            std::memcpy(static_cast<void*>(bigger.get() + i), &(*this)[i], sizeof(T));
        }
        m_items = std::move(bigger);
        m_mask = count - 1;
        m_first = 0;
    }

    std::unique_ptr<T, Free> m_items;
    size_t m_mask = 0; // capacity - 1
    size_t m_first = 0;
    size_t m_size = 0;
};

} // namespace tollgate::ui
