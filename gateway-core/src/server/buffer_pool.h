#pragma once
// Per-worker pool of fixed-size I/O buffers. A connection holds a buffer only while it has
// bytes to keep, so idle keep-alive connections cost no buffer memory. Blocks a burst left in the
// pool give their pages back to the system once unused for a period (trim). Worker thread only.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include <sys/mman.h>

namespace tollgate::server {

class Buffer {
public:
    char* data = nullptr;
    uint32_t capacity = 0;
    uint32_t begin = 0; // first unconsumed byte
    uint32_t end = 0;   // one past the last received byte

    bool allocated() const { return data != nullptr; }
    uint32_t size() const { return end - begin; }
    bool empty() const { return begin == end; }
    char* readPtr() const { return data + begin; }
    char* writePtr() const { return data + end; }
    uint32_t space() const { return capacity - end; }
    void consume(uint32_t n) {
        begin += n;
        if (begin == end) {
            begin = end = 0;
        }
    }
    // Moves unconsumed bytes to the front.
    void compact() {
        if (begin > 0) {
            std::memmove(data, data + begin, end - begin);
            end -= begin;
            begin = 0;
        }
    }
};

class BufferPool {
public:
    explicit BufferPool(uint32_t blockSize = 16 * 1024, size_t keep = 1024)
        : m_blockSize(blockSize), m_blockBytes((size_t(blockSize) + kPage - 1) / kPage * kPage),
          m_keep(keep) {}
    ~BufferPool() {
        for (char* p : m_free) {
            std::free(p);
        }
    }
    BufferPool(const BufferPool&) = delete;
    BufferPool& operator=(const BufferPool&) = delete;

    uint32_t blockSize() const { return m_blockSize; }
    // Buffers handed out and not released (tests: an idle connection holds none).
    size_t inUse() const { return m_inUse; }

    void acquire(Buffer& b) {
        if (b.data) {
            return;
        }
        if (!m_free.empty()) {
            b.data = m_free.back();
            m_free.pop_back();
            const size_t n = m_free.size(); // the index the block had
            m_lowWater = n < m_lowWater ? n : m_lowWater;
            m_cold = n < m_cold ? n : m_cold;
        } else {
            b.data = allocateBlock();
        }
        ++m_inUse;
        b.capacity = m_blockSize;
        b.begin = b.end = 0;
    }

    // Grows a buffer beyond the block size (large heads); the contents are kept, compacted.
    void grow(Buffer& b, uint32_t capacity) {
        char* p = new char[capacity];
        const uint32_t n = b.size();
        std::memcpy(p, b.data + b.begin, n);
        release(b);
        ++m_inUse;
        b.data = p;
        b.capacity = capacity;
        b.begin = 0;
        b.end = n;
    }

    void release(Buffer& b) {
        if (!b.data) {
            return;
        }
        --m_inUse;
        if (b.capacity != m_blockSize) {
            delete[] b.data; // grown by grow()
        } else if (m_free.size() < m_keep) {
            m_free.push_back(b.data);
        } else {
            std::free(b.data);
        }
        b.data = nullptr;
        b.capacity = b.begin = b.end = 0;
    }

    // Call once per period, off the request path. Blocks that stayed in the pool through the whole
    // period give their pages back (MADV_DONTNEED: zero-filled again on first touch), so a burst of
    // requests in flight does not stay resident after it; a steady load keeps its working set,
    // which sits at the top of the LIFO free list. One madvise per block going cold, none otherwise.
    void trim() {
        const size_t unused = m_lowWater < m_free.size() ? m_lowWater : m_free.size();
        for (size_t i = m_cold; i < unused; ++i) {
            ::madvise(m_free[i], m_blockBytes, MADV_DONTNEED);
        }
        m_cold = unused > m_cold ? unused : m_cold;
        m_lowWater = m_free.size();
    }
    // Pooled blocks whose pages were given back (tests).
    size_t cold() const { return m_cold; }
    size_t pooled() const { return m_free.size(); }

private:
    static constexpr size_t kPage = 4096;

    // Page-aligned and a whole number of pages, so trim() can drop a block's pages without
    // touching malloc's bookkeeping or a neighbour's bytes.
    char* allocateBlock() const {
        void* p = std::aligned_alloc(kPage, m_blockBytes);
        if (!p) {
            throw std::bad_alloc();
        }
        return static_cast<char*>(p);
    }

    uint32_t m_blockSize;
    size_t m_blockBytes; // m_blockSize rounded up to whole pages
    size_t m_keep;
    // m_free[0, m_cold) have no pages; m_free[0, m_lowWater) were not taken since the last trim().
    size_t m_cold = 0;
    size_t m_lowWater = 0;
    size_t m_inUse = 0;
    std::vector<char*> m_free;
};

} // namespace tollgate::server
