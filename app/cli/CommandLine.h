// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CommandLine: the arguments of one `melodist` subcommand, checked against the
// options that subcommand declares, so a typo gets a clear message naming the option
// instead of being ignored. Used on the main thread of the CLI only.
//
//   CommandLine args(argc, argv, /*first=*/2, {{"out", true}, {"text", false}});
//   if (!args.error().empty()) return usageError(args.error());
//   std::string out = args.value("out", "melody.mid");

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace melodist::cli {

struct OptionSpec {
    std::string name;      // without the leading "--"
    bool takesValue = true;
};

class CommandLine {
public:
    CommandLine(int argc, char** argv, int first, const std::vector<OptionSpec>& specs);

    const std::string& error() const { return m_error; }
    const std::vector<std::string>& positional() const { return m_positional; }
    bool has(const std::string& name) const { return m_values.count(name) != 0; }
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    // Parses a number; on a malformed value sets error() and returns the fallback.
    double number(const std::string& name, double fallback);
    long integer(const std::string& name, long fallback);

private:
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_positional;
    std::string m_error;
};

}  // namespace melodist::cli
