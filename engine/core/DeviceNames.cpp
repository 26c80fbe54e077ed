// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/core/DeviceNames.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace melodist::engine {
namespace {

std::string_view trim(std::string_view text) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!text.empty() && space(text.front())) text.remove_prefix(1);
    while (!text.empty() && space(text.back())) text.remove_suffix(1);
    return text;
}

// The value after the separator of the first line starting with `key`.
std::string valueOf(std::string_view text, std::string_view key, char separator) {
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        if (line.substr(0, key.size()) == key) {
            const size_t at = line.find(separator, key.size());
            if (at != std::string_view::npos && trim(line.substr(key.size(), at - key.size())).empty())
                return std::string(trim(line.substr(at + 1)));
        }
        start = end + 1;
    }
    return {};
}

std::string readSmallFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

std::string parseCpuModelName(std::string_view cpuinfo) { return valueOf(cpuinfo, "model name", ':'); }

std::string parseNvidiaGpuModel(std::string_view information) { return valueOf(information, "Model", ':'); }

std::string cpuModelName() { return parseCpuModelName(readSmallFile("/proc/cpuinfo")); }

std::vector<std::string> nvidiaGpuNames() {
    std::vector<std::filesystem::path> folders;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/driver/nvidia/gpus", error))
        folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    std::vector<std::string> names;
    for (const auto& folder : folders)
        if (std::string name = parseNvidiaGpuModel(readSmallFile(folder / "information")); !name.empty())
            names.push_back(std::move(name));
    return names;
}

}  // namespace melodist::engine
