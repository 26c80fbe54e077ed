// SPDX-License-Identifier: GPL-3.0-or-later
// `melodist`: the command-line tool. No Qt: it links the engine and training only.
#include "app/cli/Commands.h"

#include <cstdio>
#include <cstring>
#include <string>

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

int main(int argc, char** argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        printHelp();
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-V") == 0)
        return findCommand("version")->run(argc, argv);
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
    return command->run(argc, argv);
}
