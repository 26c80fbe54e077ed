// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The subcommands of the `melodist` CLI. Each lives in its own <Name>Command.cpp and
// is listed once in Commands.cpp; `melodist --help` prints the list. Exit codes:
// 0 success, 1 the work failed (message on stderr), 2 bad usage.
//
// Two executables share this table. `melodist` links no LibTorch, so commands such as
// `preprocess` or `midi-ports` start in milliseconds (LibTorch's own start-up is
// 0.4 s). Commands that need LibTorch have run == nullptr there, and `melodist`
// replaces itself (execv) with its sibling `melodist-ml`, which has them all.

#include <string>
#include <vector>

namespace melodist::cli {

struct Command {
    const char* name;
    const char* summary;  // one line for `melodist --help`
    const char* usage;    // full help for `melodist help NAME` / `melodist NAME --help`
    int (*run)(int argc, char** argv);  // argv[1] is the command name; nullptr: in melodist-ml
};

const std::vector<Command>& commands();
int usageError(const char* command, const std::string& message);  // prints, returns 2
// Replaces the process with melodist-ml running the same argv (main's); returns 1 with a
// message only when that fails. For commands that find out they need LibTorch (generate
// with a GRU model, --device cuda, ...).
int runInMelodistMl(char** argv);

// Commands without LibTorch
int runPreprocess(int argc, char** argv);
int runMidiPorts(int argc, char** argv);
int runRecord(int argc, char** argv);  // MIDI builds only
int runRender(int argc, char** argv);  // audio builds only
int runPlay(int argc, char** argv);    // audio builds only
int runImportKeras(int argc, char** argv);
int runEvaluateModel(int argc, char** argv);  // hands other architectures / CUDA to melodist-ml
int runPredict(int argc, char** argv);
int runGenerate(int argc, char** argv);
int runRegenerate(int argc, char** argv);
int runModels(int argc, char** argv);     // ModelsCommand.cpp
int runModelInfo(int argc, char** argv);  // ModelsCommand.cpp
// Commands with LibTorch (melodist-ml only)
int runVersion(int argc, char** argv);
int runSamplePhrases(int argc, char** argv);  // VaeCommands.cpp
int runInterpolate(int argc, char** argv);    // VaeCommands.cpp
int runTrain(int argc, char** argv);

}  // namespace melodist::cli
