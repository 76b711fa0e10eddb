#include "traffic/text_table.h"

namespace tollgate::ui {

TextTable::TextTable() {
    m_entries.emplace_back(); // id 0: the empty text
    m_entries.front().converted = true;
    m_entries.front().serial = UINT64_MAX; // unlike any cache's zeroed entry
}

TextId TextTable::acquire(std::string_view text) {
    if (text.empty()) {
        return 0;
    }
    if (auto it = m_index.find(text); it != m_index.end()) {
        ++m_entries[it->second].users;
        return it->second;
    }
    TextId id;
    if (!m_free.empty()) {
        id = m_free.back();
        m_free.pop_back();
    } else {
        id = TextId(m_entries.size());
        m_entries.emplace_back();
    }
    Entry& e = m_entries[id];
    e.bytes.assign(text);
    e.text.clear();
    e.converted = false;
    e.users = 1;
    e.serial = m_nextSerial++;
    m_index.emplace(std::string_view(e.bytes), id);
    return id;
}

TextId TextTable::acquire(std::string_view text, TextId hint) {
    if (hint != 0 && hint < m_entries.size()) {
        Entry& e = m_entries[hint];
        if (e.users > 0 && e.bytes == text) {
            ++e.users;
            return hint;
        }
    }
    return acquire(text);
}

void TextTable::retain(TextId id) {
    if (id != 0) {
        ++m_entries[id].users;
    }
}

void TextTable::release(TextId id) {
    if (id == 0) {
        return;
    }
    Entry& e = m_entries[id];
    if (--e.users == 0) {
        m_index.erase(std::string_view(e.bytes));
        e.bytes.clear();
        e.bytes.shrink_to_fit();
        e.text = QString();
        m_free.push_back(id);
    }
}

TextId TextTable::find(std::string_view text, bool* found) const {
    if (text.empty()) {
        if (found) {
            *found = true;
        }
        return 0;
    }
    auto it = m_index.find(text);
    if (found) {
        *found = it != m_index.end();
    }
    return it != m_index.end() ? it->second : 0;
}

const QString& TextTable::text(TextId id) const {
    const Entry& e = m_entries[id];
    if (!e.converted) {
        e.text = QString::fromUtf8(e.bytes.data(), qsizetype(e.bytes.size()));
        e.converted = true;
    }
    return e.text;
}

} // namespace tollgate::ui
