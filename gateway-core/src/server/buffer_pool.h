#pragma once
// Per-worker pool of fixed-size I/O buffers. A connection holds a buffer only while it has
// bytes to keep, so idle keep-alive connections cost no buffer memory. Worker thread only.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

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
        : m_blockSize(blockSize), m_keep(keep) {}
    ~BufferPool() {
        for (char* p : m_free) {
            delete[] p;
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
        } else {
            b.data = new char[m_blockSize];
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
        if (b.capacity == m_blockSize && m_free.size() < m_keep) {
            m_free.push_back(b.data);
        } else {
            delete[] b.data;
        }
        b.data = nullptr;
        b.capacity = b.begin = b.end = 0;
    }

private:
    uint32_t m_blockSize;
    size_t m_keep;
    size_t m_inUse = 0;
    std::vector<char*> m_free;
};

} // namespace tollgate::server
