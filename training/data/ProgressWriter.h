// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// ProgressWriter: writes the `--progress jsonl` stream of a long-running command
// (preprocess, train): one JSON object per line, flushed at once, so the studio --
// which runs the command as a child process and reads its stdout -- sees every event
// as it happens. Each object has "event" (a name) and "time_s" (seconds since the
// writer was made). Thread-safe; owned by the command that runs.
//
//   ProgressWriter progress(stdout);
//   progress.write("epoch", {{"epoch", 3}, {"loss_valid", 1.21}});

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace melodist::training {

class ProgressWriter {
public:
    explicit ProgressWriter(std::FILE* out);

    // Writes {"event": name, "time_s": t, ...fields} as one line. `fields` must be a JSON object.
    void write(const std::string& name, const nlohmann::json& fields = nlohmann::json::object());

private:
    std::FILE* m_out;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_start;
};

}  // namespace melodist::training
