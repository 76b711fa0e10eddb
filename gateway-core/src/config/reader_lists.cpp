// MapView's list getters: lists of scalars, of CIDRs, and iteration over lists of mappings.
#include "config/reader.h"

namespace tollgate::config {

bool MapView::forEach(std::string_view key,
                      const std::function<void(const YAML::Node&, const std::string&)>& fn) const {
    const YAML::Node* list = find(key);
    if (!list) {
        return true;
    }
    if (!list->IsSequence()) {
        m_reader.error(*list, keyPath(key), "expected a list, got " + typeName(*list));
        return false;
    }
    const std::string base = keyPath(key);
    size_t index = 0;
    for (const YAML::Node& element : *list) {
        if (!m_reader.spend()) {
            return false;
        }
        fn(element, indexPath(base, index++));
    }
    return true;
}

bool MapView::getStringList(std::string_view key, std::vector<std::string>& out) const {
    bool ok = true;
    std::vector<std::string> values;
    const bool isList = forEach(key, [&](const YAML::Node& element, const std::string& path) {
        if (!element.IsScalar() || element.Scalar().empty()) {
            m_reader.error(element, path, "expected a non-empty string, got " + typeName(element));
            ok = false;
            return;
        }
        m_reader.recordMark(path, Reader::markOf(element));
        values.push_back(element.Scalar());
    });
    if (!isList || !ok) {
        return false;
    }
    out = std::move(values);
    return true;
}

bool MapView::getCidrList(std::string_view key, std::vector<Cidr>& out) const {
    bool ok = true;
    std::vector<Cidr> values;
    forEach(key, [&](const YAML::Node& element, const std::string& path) {
        const auto cidr = element.IsScalar() ? parseCidr(element.Scalar()) : std::nullopt;
        if (!cidr) {
            m_reader.error(
                element, path,
                "invalid CIDR " + typeName(element) +
                    " (an IPv4 or IPv6 address, optionally /prefix, like 10.0.0.0/8 or 2001:db8::/32)");
            ok = false;
            return;
        }
        values.push_back(*cidr);
    });
    if (ok) {
        out = std::move(values);
    }
    return ok;
}

} // namespace tollgate::config
