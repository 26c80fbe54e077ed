// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/cli/CommandLine.h"

#include <algorithm>
#include <cstdlib>

namespace melodist::cli {
namespace {

// Levenshtein distance, to suggest the option the user probably meant.
size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

CommandLine::CommandLine(int argc, char** argv, int first, const std::vector<OptionSpec>& specs) {
    for (int i = first; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--") {
            for (++i; i < argc; ++i) m_positional.emplace_back(argv[i]);
            break;
        }
        if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
            m_positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
        if (spec == specs.end()) {
            m_error = "unknown option --" + name;
            size_t best = 3;
            for (const OptionSpec& s : specs)
                if (const size_t d = editDistance(name, s.name); d < best) {
                    best = d;
                    m_error = "unknown option --" + name + " (did you mean --" + s.name + "?)";
                }
            return;
        }
        if (!spec->takesValue) {
            if (inlineValue) {
                m_error = "option --" + name + " takes no value";
                return;
            }
            m_values[name] = std::string(1, '1');  // not = "1": GCC 12 -Wrestrict false positive (PR 105651)
        } else if (inlineValue) {
            m_values[name] = *inlineValue;
        } else if (i + 1 < argc) {
            m_values[name] = argv[++i];
        } else {
            m_error = "option --" + name + " needs a value";
            return;
        }
    }
}

std::string CommandLine::value(const std::string& name, const std::string& fallback) const {
    const auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

double CommandLine::number(const std::string& name, double fallback) {
    const auto it = m_values.find(name);
    if (it == m_values.end()) return fallback;
    char* end = nullptr;
    const double parsed = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0') {
        if (m_error.empty()) m_error = "--" + name + " expects a number, got '" + it->second + "'";
        return fallback;
    }
    return parsed;
}

long CommandLine::integer(const std::string& name, long fallback) {
    const auto it = m_values.find(name);
    if (it == m_values.end()) return fallback;
    char* end = nullptr;
    const long parsed = std::strtol(it->second.c_str(), &end, 10);
    if (end == it->second.c_str() || *end != '\0') {
        if (m_error.empty()) m_error = "--" + name + " expects a whole number, got '" + it->second + "'";
        return fallback;
    }
    return parsed;
}

}  // namespace melodist::cli
