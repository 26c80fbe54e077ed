// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/AudioInfo.h"

#include <fluidsynth.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <climits>
#include <unistd.h>

namespace melodist::engine {

std::string fluidSynthVersion() { return fluid_version_str(); }

std::vector<std::string> findInstalledSoundfonts() {
    namespace fs = std::filesystem;
    std::vector<fs::path> directories;
    if (const char* extra = std::getenv("MELODIST_SOUNDFONT_PATH")) {
        std::stringstream stream(extra);
        for (std::string part; std::getline(stream, part, ':');)
            if (!part.empty()) directories.emplace_back(part);
    }
    if (const char* home = std::getenv("HOME")) directories.emplace_back(fs::path(home) / ".local/share/sounds/sf2");
    directories.emplace_back("/usr/share/sounds/sf2");

    // Known General MIDI fonts first, best sounding first; then anything else, by name.
    static const char* const kPreferred[] = {"FluidR3_GM.sf2", "default-GM.sf2", "TimGM6mb.sf2"};
    std::vector<std::string> found;
    auto add = [&found](const fs::path& path) {
        std::error_code error;
        const std::string canonical = fs::weakly_canonical(path, error).string();
        if (std::find(found.begin(), found.end(), canonical) == found.end()) found.push_back(canonical);
    };
    for (const char* name : kPreferred)
        for (const fs::path& directory : directories) {
            std::error_code error;
            if (fs::is_regular_file(directory / name, error)) add(directory / name);
        }
    for (const fs::path& directory : directories) {
        std::error_code error;
        std::vector<fs::path> others;
        for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error))
            if (it->path().extension() == ".sf2" || it->path().extension() == ".sf3") others.push_back(it->path());
        std::sort(others.begin(), others.end());
        for (const fs::path& path : others) add(path);
    }
    return found;
}

std::string builtInSoundfontPath() {
    if (const char* override = std::getenv("MELODIST_SOUNDFONT"); override && *override) return override;
    char self[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0) return {};
    self[length] = '\0';
    namespace fs = std::filesystem;
    const fs::path candidate = fs::path(self).parent_path() / "../share/melodist/soundfonts/melodist-soft.sf2";
    std::error_code error;
    if (!fs::is_regular_file(candidate, error)) return {};
    const fs::path normal = fs::weakly_canonical(candidate, error);
    return error ? candidate.lexically_normal().string() : normal.string();
}

std::string defaultSoundfontPath() {
    if (const char* override = std::getenv("MELODIST_SOUNDFONT"); override && *override) return override;
    const std::vector<std::string> installed = findInstalledSoundfonts();
    return installed.empty() ? builtInSoundfontPath() : installed.front();
}

}  // namespace melodist::engine
