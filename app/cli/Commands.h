// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The subcommands of the `melodist` CLI. Each lives in its own <Name>Command.cpp and
// is listed once in Commands.cpp; `melodist --help` prints the list. Exit codes:
// 0 success, 1 the work failed (message on stderr), 2 bad usage.

#include <string>
#include <vector>

namespace melodist::cli {

struct Command {
    const char* name;
    const char* summary;  // one line for `melodist --help`
    const char* usage;    // full help for `melodist help NAME` / `melodist NAME --help`
    int (*run)(int argc, char** argv);  // argv[0] is "melodist", argv[1] the command name
};

const std::vector<Command>& commands();
int usageError(const char* command, const std::string& message);  // prints, returns 2

int runVersion(int argc, char** argv);
int runMidiPorts(int argc, char** argv);

}  // namespace melodist::cli
