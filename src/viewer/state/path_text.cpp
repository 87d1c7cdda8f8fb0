#include "viewer/state/path_text.h"

#include <cstdlib>
#include <filesystem>

namespace nt::viewer {

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string display_path(const std::string& path) {
    std::error_code ec;
    const auto relative = std::filesystem::proximate(path, ec).string();
    if (!ec && !relative.empty() && relative.rfind("..", 0) != 0) return relative;
    const char* home = std::getenv("HOME");
    const std::string h = home ? home : "";
    if (h.size() > 1 && path.rfind(h + "/", 0) == 0) return "~" + path.substr(h.size());
    return path;
}

std::string expand_home(const std::string& path) {
    const char* home = std::getenv("HOME");
    if (home && *home && path.rfind("~/", 0) == 0) return home + path.substr(1);
    return path;
}

std::string absolute_path(const std::string& typed) {
    std::error_code ec;
    const std::string expanded = expand_home(typed);
    const std::filesystem::path absolute = std::filesystem::absolute(expanded, ec);
    return ec ? expanded : absolute.lexically_normal().string();
}

std::string size_text(int width, int height) { return std::to_string(width) + " \xC3\x97 " + std::to_string(height); }

std::string tail_that_fits(const std::string& text, float max_width,
                           const std::function<float(const std::string&)>& measure) {
    if (measure(text) <= max_width) return text;
    const std::string ellipsis = "\xE2\x80\xA6";
    std::size_t start = 0;
    while (start < text.size() && measure(ellipsis + text.substr(start)) > max_width) {
        ++start;
        // Never start inside a UTF-8 sequence.
        while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
    }
    return ellipsis + text.substr(start);
}

namespace {

// `text` cut at its end to fit `max_width` with an ellipsis; empty when not even that fits.
std::string cut_to_fit(const std::string& prefix, const std::string& text, float max_width,
                       const std::function<float(const std::string&)>& measure) {
    const std::string ellipsis = "\xE2\x80\xA6";
    std::string cut = text;
    while (!cut.empty() && measure(prefix + cut + ellipsis) > max_width) {
        cut.pop_back();
        // Never end inside a UTF-8 sequence (× and · are two bytes).
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
        if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0xC0) cut.pop_back();
    }
    return cut;
}

constexpr std::size_t kMinCaptionStart = 8;  // bytes of the file name worth keeping the title for

}  // namespace

std::string fit_caption(const std::string& title, const std::string& caption, float max_width,
                        const std::function<float(const std::string&)>& measure) {
    const std::string head = title + "  \xC2\xB7  ";
    const std::string full = caption.empty() ? title : head + caption;
    if (measure(full) <= max_width || caption.empty()) return full;
    const std::string ellipsis = "\xE2\x80\xA6";
    // The title stays while enough of the file name fits beside it: which panel is which matters.
    if (const std::string cut = cut_to_fit(head, caption, max_width, measure); cut.size() >= kMinCaptionStart)
        return head + cut + ellipsis;
    if (measure(caption) <= max_width) return caption;
    return cut_to_fit("", caption, max_width, measure) + ellipsis;
}

}  // namespace nt::viewer
