// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the kern reader: one sub-token of a **kern data token ("8.cc#", "[4e-",
// "r") read into pitch, duration and tie marks. Free functions, any thread.

#include "engine/core/Result.h"
#include "engine/music/Rational.h"

#include <optional>
#include <string>
#include <string_view>

namespace melodist::engine {

// One sub-token of a data token (a chord has several, separated by spaces).
struct KernSubToken {
    bool rest = false;
    bool grace = false;
    int pitch = 60;
    Rational duration;
    bool tieStart = false, tieMiddle = false, tieEnd = false;
};

// `chordDuration`: the duration of the chord's first sub-token, for sub-tokens without one.
// The error (no location; the caller adds file and line) says what is wrong and what to do.
Result<KernSubToken> parseKernSubToken(std::string_view token, std::optional<Rational> chordDuration);
// C D E F G A B (either case) -> 0 2 4 5 7 9 11.
std::optional<int> kernPitchClassOfLetter(char letter);
// A token for an error message: printable ASCII, at most 40 characters.
std::string shownKernToken(std::string_view token);

}  // namespace melodist::engine
