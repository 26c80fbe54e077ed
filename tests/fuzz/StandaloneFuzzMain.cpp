// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a libFuzzer target (LLVMFuzzerTestOneInput) without libFuzzer: over every file
// given on the command line (directories recursively), then over deterministic
// mutations of each (truncations, byte flips), so an ordinary g++ build replays the
// fuzz corpus and catches crashes as a ctest. With clang, -DMELODIST_FUZZ=ON builds
// the real libFuzzer binaries instead.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

void runOne(const std::string& bytes) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

void runWithMutations(const std::string& bytes, std::mt19937& random) {
    runOne(bytes);
    for (size_t cut = 0; cut < bytes.size(); cut += std::max<size_t>(1, bytes.size() / 16)) runOne(bytes.substr(0, cut));
    for (int round = 0; round < 1000 && !bytes.empty(); ++round) {
        std::string mutated = bytes;
        const int flips = 1 + static_cast<int>(random() % 8);
        for (int i = 0; i < flips; ++i) mutated[random() % mutated.size()] = static_cast<char>(random() % 256);
        runOne(mutated);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::mt19937 random(12345);
    size_t files = 0;
    for (int i = 1; i < argc; ++i) {
        std::vector<std::filesystem::path> paths;
        if (std::filesystem::is_directory(argv[i])) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i]))
                if (entry.is_regular_file()) paths.push_back(entry.path());
        } else {
            paths.emplace_back(argv[i]);
        }
        for (const auto& path : paths) {
            std::ifstream in(path, std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            runWithMutations(bytes, random);
            ++files;
        }
    }
    std::printf("replayed %zu inputs with mutations, no crash\n", files);
    return files > 0 ? 0 : 1;
}
