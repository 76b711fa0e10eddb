#pragma once
// The text fields of request records (consumer, route, path...) as small numbers. At 10,000 requests a
// second the console cannot afford a string per field per request: each distinct text is stored once,
// counted by the rows and buckets that use it, and dropped when the last one lets go, so the table
// holds no more than the texts still on screen. The QString a view needs is made on first display.
// UI thread only.

#include <QString>

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tollgate::ui {

using TextId = uint32_t; // 0 is the empty text, never counted

class TextTable {
public:
    TextTable();

    // One more user of `text`; the same id as long as anybody holds it.
    TextId acquire(std::string_view text);
    // The same, trying `hint` first (the id the same field had in the previous record): consecutive
    // records mostly repeat their names, and a comparison is cheaper than a hash lookup.
    TextId acquire(std::string_view text, TextId hint);
    // Another user of an id already held (a copied row).
    void retain(TextId id);
    void release(TextId id);
    // The id of `text` when somebody holds it, else nullopt-like 0 with `found` false.
    TextId find(std::string_view text, bool* found = nullptr) const;

    std::string_view bytes(TextId id) const { return m_entries[id].bytes; }
    const QString& text(TextId id) const;
    // Never the same for two texts over the table's life, though ids are reused: caches keyed by id
    // check it.
    uint64_t serial(TextId id) const { return m_entries[id].serial; }
    size_t size() const { return m_index.size(); } // distinct texts held
    size_t capacity() const { return m_entries.size(); }

private:
    struct Entry {
        std::string bytes;
        mutable QString text;
        mutable bool converted = false;
        uint32_t users = 0;
        uint64_t serial = 0;
    };
    std::deque<Entry> m_entries; // a deque: entries never move, so the index's views stay valid
    std::vector<TextId> m_free;
    std::unordered_map<std::string_view, TextId> m_index;
    uint64_t m_nextSerial = 1;
};

} // namespace tollgate::ui
