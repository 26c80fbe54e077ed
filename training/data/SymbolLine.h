// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// forEachSymbol: walks one line of songs.txt (a song's symbols separated by spaces) without
// copying it. Header-only; any thread.
//
//   forEachSymbol("60 _ 62", [&](std::string_view symbol) { ++counts[std::string(symbol)]; });
#include <string_view>

namespace melodist::training {

// Calls `each` with every symbol of a space-separated song line (runs of spaces are skipped).
template <class Function>
void forEachSymbol(std::string_view line, Function&& each) {
    size_t start = 0;
    while (start < line.size()) {
        size_t end = line.find(' ', start);
        if (end == std::string_view::npos) end = line.size();
        if (end > start) each(line.substr(start, end - start));
        start = end + 1;
    }
}

}  // namespace melodist::training
