#include "traffic/byte_ring.h"

#include <algorithm>
#include <cstring>

namespace tollgate::ui {

uint64_t ByteRing::put(std::string_view text) {
    for (;;) {
        const size_t cap = m_bytes.size();
        uint64_t start = m_head;
        if (start % cap + text.size() > cap) {
            start += cap - start % cap; // skip the end: the text starts again at the front
        }
        if (start + text.size() - m_tail <= cap) {
            if (!text.empty()) {
                memcpy(m_bytes.data() + start % cap, text.data(), text.size());
            }
            m_head = start + text.size();
            return start;
        }
        grow(size_t(start + text.size() - m_tail));
    }
}

void ByteRing::grow(size_t needed) {
    size_t cap = m_bytes.size();
    while (cap < needed) {
        cap *= 2;
    }
    cap *= 2;
    // Doubling keeps every live text whole: one that did not cross the old end cannot cross the new.
    std::vector<char> bigger(cap);
    for (uint64_t p = m_tail; p < m_head;) {
        const size_t from = size_t(p % m_bytes.size());
        const size_t to = size_t(p % cap);
        const size_t run =
            size_t(std::min<uint64_t>({m_head - p, uint64_t(m_bytes.size() - from), uint64_t(cap - to)}));
        memcpy(bigger.data() + to, m_bytes.data() + from, run);
        p += run;
    }
    m_bytes.swap(bigger);
}

} // namespace tollgate::ui
