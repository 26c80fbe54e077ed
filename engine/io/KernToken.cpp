// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/io/KernToken.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace melodist::engine {
namespace {

constexpr size_t kMaxShownTokenChars = 40;
constexpr int kMaxDots = 8;
constexpr size_t kMaxDurationDigits = 6;

}  // namespace

// Tokens go into error messages; a binary or mangled file must still give a readable one.
std::string shownKernToken(std::string_view token) {
    std::string out;
    for (const char c : token.substr(0, kMaxShownTokenChars)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7f) {
            out += c;
        } else {
            static const char* const kHex = "0123456789abcdef";
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    if (token.size() > kMaxShownTokenChars) out += "...";
    return out;
}

std::optional<int> kernPitchClassOfLetter(char letter) {
    switch (std::tolower(static_cast<unsigned char>(letter))) {
        case 'c': return 0;
        case 'd': return 2;
        case 'e': return 4;
        case 'f': return 5;
        case 'g': return 7;
        case 'a': return 9;
        case 'b': return 11;
        default: return std::nullopt;
    }
}

// Returns the reason (without the location) when the token cannot be read.
Result<KernSubToken> parseKernSubToken(std::string_view token, std::optional<Rational> chordDuration) {
    KernSubToken out;
    char letter = 0;
    int letterCount = 0, alter = 0, dots = 0;
    bool letterRunOpen = true;
    size_t digitsBegin = std::string_view::npos, digitsEnd = 0;
    for (size_t i = 0; i < token.size(); ++i) {
        const char c = token[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            if (digitsBegin == std::string_view::npos) {
                digitsBegin = i;
                digitsEnd = i;
                while (digitsEnd < token.size() && std::isdigit(static_cast<unsigned char>(token[digitsEnd]))) ++digitsEnd;
            }
            continue;  // later digit runs belong to the first (3%2) or are editorial
        }
        if (kernPitchClassOfLetter(c)) {
            // As music21 does: the first run of pitch letters is the pitch (its first letter,
            // one octave per letter); stray letters after it are ignored. Erk's deut1328
            // has a token '4.B<backspace>8G' that the seeds read as a dotted B3.
            if (letterCount == 0 || (letterRunOpen && i > 0 && kernPitchClassOfLetter(token[i - 1]))) {
                if (letterCount == 0) letter = c;
                letterCount = std::min(letterCount + 1, 16);  // more is out of range anyway
            } else {
                letterRunOpen = false;
            }
            continue;
        }
        if (letterCount > 0) letterRunOpen = false;
        switch (c) {
            case 'r': out.rest = true; break;
            case 'q': case 'Q': case 'P': out.grace = true; break;
            case '#': alter = std::min(alter + 1, 16); break;
            case '-': alter = std::max(alter - 1, -16); break;
            case '.': dots = std::min(dots + 1, kMaxDots + 1); break;
            case '[': out.tieStart = true; break;
            case '_': out.tieMiddle = true; break;
            case ']': out.tieEnd = true; break;
            default: break;  // phrase, slur, beam, articulation, ornament, stem and editorial marks
        }
    }
    if (!out.rest && letterCount == 0)
        return makeError("kern token '" + shownKernToken(token) + "' has no pitch (a-g, A-G) and is not a rest (r)");

    if (digitsBegin == std::string_view::npos) {
        if (out.grace) {
            out.duration = 0;
        } else if (chordDuration) {
            out.duration = *chordDuration;
        } else {
            return makeError("cannot read the duration of kern token '" + shownKernToken(token) +
                             "': it has no duration number (4 = quarter, 8. = dotted eighth, 12 = triplet eighth); "
                             "add one or remove the token");
        }
    } else {
        const std::string_view digits = token.substr(digitsBegin, digitsEnd - digitsBegin);
        if (digits.size() > kMaxDurationDigits)
            return makeError("cannot read the duration of kern token '" + shownKernToken(token) + "': the number " +
                             shownKernToken(digits) + " is too large for a note value");
        if (dots > kMaxDots)
            return makeError("cannot read the duration of kern token '" + shownKernToken(token) + "': more than " +
                             std::to_string(kMaxDots) + " augmentation dots");
        int64_t reciprocal = 0;
        std::from_chars(digits.data(), digits.data() + digits.size(), reciprocal);
        Rational base;
        if (reciprocal == 0) {
            base = Rational(8) * Rational(int64_t{1} << (digits.size() - 1));  // 0 breve, 00 longa, 000 maxima
        } else {
            base = Rational(4, reciprocal);
            // Rational durations (Humdrum extension): 3%2 is 2/3 of a whole note.
            if (digitsEnd + 1 < token.size() && token[digitsEnd] == '%') {
                size_t end = digitsEnd + 1;
                while (end < token.size() && end - digitsEnd <= kMaxDurationDigits &&
                       std::isdigit(static_cast<unsigned char>(token[end])))
                    ++end;
                int64_t numerator = 0;
                std::from_chars(token.data() + digitsEnd + 1, token.data() + end, numerator);
                if (numerator > 0) base = Rational(4 * numerator, reciprocal);
            }
        }
        // Each dot adds half of the previous value: d dots multiply by (2^(d+1) - 1) / 2^d.
        out.duration = base * Rational((int64_t{2} << dots) - 1, int64_t{1} << dots);
    }
    if (out.rest) return out;

    // Lower case: c = C4 and each repeated letter is an octave up; upper case: C = C3, down.
    const bool lower = std::islower(static_cast<unsigned char>(letter)) != 0;
    const int octave = lower ? 4 + (letterCount - 1) : 3 - (letterCount - 1);
    const int pitch = 12 * (octave + 1) + *kernPitchClassOfLetter(letter) + alter;
    if (pitch < 0 || pitch > 127)
        return makeError("kern token '" + shownKernToken(token) + "' is MIDI pitch " + std::to_string(pitch) +
                         ", outside 0..127; check the number of repeated pitch letters");
    out.pitch = pitch;
    return out;
}

}  // namespace melodist::engine
