#include "document/config_diff.h"

#include "document/config_document.h"

#include <dtl/dtl.hpp>

namespace tollgate::ui {
namespace {

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        if (end == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

} // namespace

std::vector<DiffLine> configDiff(const std::string& before, const std::string& after, int context) {
    const std::vector<std::string> a = splitLines(ConfigDocument::normalized(before));
    const std::vector<std::string> b = splitLines(ConfigDocument::normalized(after));
    dtl::Diff<std::string> diff(a, b);
    diff.compose();

    std::vector<DiffLine> all;
    for (const auto& [text, info] : diff.getSes().getSequence()) {
        DiffLine line;
        line.text = QString::fromStdString(text);
        line.kind = info.type == dtl::SES_ADD      ? DiffLine::Kind::Added
                    : info.type == dtl::SES_DELETE ? DiffLine::Kind::Removed
                                                   : DiffLine::Kind::Same;
        all.push_back(std::move(line));
    }

    // Keep changed lines and `context` lines around them; runs of other lines become one gap.
    std::vector<bool> keep(all.size(), false);
    bool any = false;
    for (size_t i = 0; i < all.size(); ++i) {
        if (all[i].kind == DiffLine::Kind::Same) {
            continue;
        }
        any = true;
        const size_t from = i >= size_t(context) ? i - size_t(context) : 0;
        const size_t to = std::min(all.size(), i + size_t(context) + 1);
        for (size_t k = from; k < to; ++k) {
            keep[k] = true;
        }
    }
    std::vector<DiffLine> out;
    if (!any) {
        return out;
    }
    for (size_t i = 0; i < all.size(); ++i) {
        if (keep[i]) {
            out.push_back(std::move(all[i]));
        } else if (out.empty() || out.back().kind != DiffLine::Kind::Gap) {
            out.push_back({DiffLine::Kind::Gap, QStringLiteral("…")});
        }
    }
    return out;
}

QString diffSummary(const std::vector<DiffLine>& lines) {
    int added = 0;
    int removed = 0;
    for (const DiffLine& l : lines) {
        added += l.kind == DiffLine::Kind::Added;
        removed += l.kind == DiffLine::Kind::Removed;
    }
    return QStringLiteral("+%1 \u2212%2").arg(added).arg(removed);
}

} // namespace tollgate::ui
