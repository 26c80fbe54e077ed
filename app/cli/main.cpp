// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist` and `melodist-ml`: the command-line tool. No Qt. `melodist` has no
// LibTorch and hands the commands that need it to `melodist-ml` (see Commands.h).
#include "app/cli/Commands.h"
#ifdef MELODIST_CLI_TORCH
#include "engine/nn/TorchBackend.h"
#endif

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <string>

#include <unistd.h>

namespace {

void printHelp() {
    std::printf("usage: melodist COMMAND [OPTIONS]\n       melodist --version | --help\n\ncommands:\n");
    for (const auto& command : melodist::cli::commands())
        std::printf("  %-14s %s\n", command.name, command.summary);
    std::printf("  %-14s %s\n", "help", "show the help of a command: melodist help COMMAND");
    std::printf("\nThe studio is melodist-studio.\n");
}

const melodist::cli::Command* findCommand(const char* name) {
    for (const auto& command : melodist::cli::commands())
        if (std::strcmp(command.name, name) == 0) return &command;
    return nullptr;
}

}  // namespace

// Replaces this process with melodist-ml, beside this executable (build tree) or in
// ../libexec/melodist (installed), passing the arguments on unchanged.
int melodist::cli::runInMelodistMl(char** argv) {
    char self[PATH_MAX];
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir = ".";
    if (length > 0) {
        self[length] = '\0';
        dir = std::string(self);
        dir = dir.substr(0, dir.rfind('/'));
    }
    for (const std::string& candidate : {dir + "/melodist-ml", dir + "/../libexec/melodist/melodist-ml"}) {
        if (::access(candidate.c_str(), X_OK) != 0) continue;
        ::execv(candidate.c_str(), argv);
        std::fprintf(stderr, "melodist: cannot run %s: %s\n", candidate.c_str(), std::strerror(errno));
        return 1;
    }
    std::fprintf(stderr, "melodist: '%s' needs melodist-ml (the LibTorch part of Melodist), "
                 "which is not installed beside %s\n", argv[1], dir.c_str());
    return 1;
}

namespace {

int runCommand(const melodist::cli::Command& command, int argc, char** argv) {
    return command.run != nullptr ? command.run(argc, argv) : melodist::cli::runInMelodistMl(argv);
}

}  // namespace

int main(int argc, char** argv) {
#ifdef MELODIST_CLI_TORCH
    melodist::engine::nn::registerTorchBackend();  // MelodyModel runs GRU, attention, Transformer, VAE models
#endif
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        printHelp();
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-V") == 0)
        return runCommand(*findCommand("version"), argc, argv);
    if (std::strcmp(argv[1], "help") == 0) {
        if (argc < 3) {
            printHelp();
            return 0;
        }
        const auto* command = findCommand(argv[2]);
        if (command == nullptr) {
            std::fprintf(stderr, "melodist: no command '%s'. Run 'melodist --help' for the list.\n", argv[2]);
            return 2;
        }
        std::printf("%s", command->usage);
        return 0;
    }
    const auto* command = findCommand(argv[1]);
    if (command == nullptr) {
        std::fprintf(stderr, "melodist: no command '%s'. Run 'melodist --help' for the list.\n", argv[1]);
        return 2;
    }
    for (int i = 2; i < argc; ++i)
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("%s", command->usage);
            return 0;
        }
    return runCommand(*command, argc, argv);
}
