// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/CorpusFiles.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace melodist::training {
namespace {

namespace fs = std::filesystem;

std::string lowerExtension(const std::string& fileName) {
    const size_t dot = fileName.rfind('.');
    if (dot == std::string::npos) return {};
    std::string extension = fileName.substr(dot);
    for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return extension;
}

void fillFromStat(CorpusFile& file, const struct ::stat& info) {
    file.sizeBytes = static_cast<uint64_t>(info.st_size);
    file.mtimeNs = static_cast<int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
}

}  // namespace

bool isMusicFileName(const std::string& fileName) {
    static const char* const kExtensions[] = {".krn", ".mid", ".midi", ".musicxml", ".xml", ".mxl"};
    const std::string extension = lowerExtension(fileName);
    return std::any_of(std::begin(kExtensions), std::end(kExtensions),
                       [&](const char* known) { return extension == known; });
}

engine::Result<std::vector<CorpusFile>> listCorpusFiles(const std::vector<std::string>& inputs) {
    std::vector<CorpusFile> files;
    for (const std::string& input : inputs) {
        std::error_code error;
        const fs::file_status status = fs::status(input, error);
        if (error || !fs::exists(status))
            return engine::makeError("input " + input + " does not exist: give a music file or a folder of them");
        if (!fs::is_directory(status)) {
            files.push_back(CorpusFile{.path = input});
            continue;
        }
        fs::recursive_directory_iterator it(input, fs::directory_options::skip_permission_denied, error);
        if (error) return engine::makeError("cannot list folder " + input + ": " + error.message());
        for (const fs::recursive_directory_iterator end; it != end; it.increment(error)) {
            if (error) return engine::makeError("cannot list folder " + input + ": " + error.message());
            const std::string name = it->path().filename().string();
            if (name.empty() || name[0] == '.') {  // hidden files and folders (.git, editor backups)
                if (it->is_directory(error)) it.disable_recursion_pending();
                continue;
            }
            // is_regular_file uses the type readdir gave: no stat here.
            if (isMusicFileName(name) && it->is_regular_file(error))
                files.push_back(CorpusFile{.path = it->path().string()});
        }
    }
    std::sort(files.begin(), files.end(), [](const CorpusFile& a, const CorpusFile& b) { return a.path < b.path; });
    // The same file reached twice (a folder and a file inside it) is read once.
    files.erase(std::unique(files.begin(), files.end(),
                            [](const CorpusFile& a, const CorpusFile& b) { return a.path == b.path; }),
                files.end());
    return files;
}

engine::Result<void> statCorpusFile(CorpusFile& file) {
    struct ::stat info {};
    if (::stat(file.path.c_str(), &info) != 0)
        return engine::makeError("cannot read " + file.path + ": " + std::strerror(errno));
    fillFromStat(file, info);
    return {};
}

engine::Result<std::string> readCorpusFile(CorpusFile& file) {
    const int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return engine::makeError("cannot open " + file.path + ": " + std::strerror(errno));
    struct ::stat info {};
    if (::fstat(fd, &info) != 0) {
        const std::string message = "cannot read " + file.path + ": " + std::strerror(errno);
        ::close(fd);
        return engine::makeError(message);
    }
    fillFromStat(file, info);
    // Exactly the size fstat gave: what is read then matches the size the manifest records,
    // even if the file grows meanwhile (it will be newer next time and read again).
    std::string bytes(static_cast<size_t>(info.st_size), '\0');
    size_t used = 0;
    while (used < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + used, bytes.size() - used);
        if (n == 0) break;  // it shrank
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string message = "cannot read " + file.path + ": " + std::strerror(errno);
            ::close(fd);
            return engine::makeError(message);
        }
        used += static_cast<size_t>(n);
    }
    ::close(fd);
    bytes.resize(used);
    return bytes;
}

engine::Result<std::vector<CorpusFile>> findCorpusFiles(const std::vector<std::string>& inputs) {
    auto files = listCorpusFiles(inputs);
    if (!files) return files;
    for (CorpusFile& file : *files)
        if (auto stated = statCorpusFile(file); !stated) return engine::makeError(stated.error());
    return files;
}

}  // namespace melodist::training
