// SPDX-License-Identifier: GPL-3.0-or-later
// The "notes and chords" token encoding; the syntax and rules are in ChordEncoding.h.
#include "engine/music/ChordEncoding.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>
#include <set>

namespace melodist::engine {
namespace {

// Bounds that keep decoded times far from overflowing Rational's 64 bits.
constexpr int64_t kMaxStepQuarters = 10000;
constexpr int64_t kMaxStepDenominator = 65536;
constexpr int64_t kMaxCommonDenominator = int64_t(1) << 24;

struct QuantisedNote {
    Rational onset;
    Rational end;
    int pitch = 0;
};

Rational quantise(Rational time, Rational grid) {
    return Rational((time / grid + Rational(1, 2)).floor()) * grid;
}

// Appends tokens while keeping the encoder's output a fixed point of decode -> encode:
// silence is collected and written as rests of at most maxStep only before the next
// sounding token, so a step cut by maxStep and the gap after it make one run of rests.
class TokenSink {
public:
    explicit TokenSink(Rational maxStep) : m_maxStep(maxStep) {}

    void rest(Rational length) { m_pendingRest += length; }
    void sound(std::vector<int> pitches, Rational length) {
        flushRests();
        Rational kept = length;
        if (!m_maxStep.isZero() && kept > m_maxStep) kept = m_maxStep;
        m_tokens.push_back(formatChordToken({std::move(pitches), kept}));
        m_pendingRest += length - kept;
    }
    std::vector<std::string> take() { return std::move(m_tokens); }  // trailing silence is dropped

private:
    void flushRests() {
        while (m_pendingRest > Rational(0)) {
            Rational length = m_pendingRest;
            if (!m_maxStep.isZero() && length > m_maxStep) length = m_maxStep;
            m_tokens.push_back(formatChordToken({{}, length}));
            m_pendingRest -= length;
        }
    }

    Rational m_maxStep;
    Rational m_pendingRest;
    std::vector<std::string> m_tokens;
};

std::vector<std::string> encodeNotes(const std::vector<const Note*>& notes, const ChordEncodingOptions& options) {
    const Rational grid = options.grid > Rational(0) ? options.grid : ChordEncodingOptions{}.grid;
    Rational maxStep;
    if (options.maxStep > Rational(0)) maxStep = std::max(grid, Rational((options.maxStep / grid).floor()) * grid);

    std::vector<QuantisedNote> quantised;
    quantised.reserve(notes.size());
    for (const Note* note : notes) {
        if (note->pitch < 0 || note->pitch > 127 || note->onset < Rational(0) || note->duration <= Rational(0)) continue;
        const Rational onset = quantise(note->onset, grid);
        quantised.push_back({onset, std::max(onset + grid, quantise(note->end(), grid)), note->pitch});
    }
    std::sort(quantised.begin(), quantised.end(), [](const QuantisedNote& a, const QuantisedNote& b) {
        return a.onset < b.onset || (a.onset == b.onset && a.pitch < b.pitch);
    });

    TokenSink sink(maxStep);
    Rational cursor;      // where the next token starts
    Rational soundEnd;    // when every note begun so far has ended
    for (size_t i = 0; i < quantised.size();) {
        const Rational onset = quantised[i].onset;
        std::vector<int> pitches;
        for (; i < quantised.size() && quantised[i].onset == onset; ++i) {
            if (pitches.empty() || pitches.back() != quantised[i].pitch) pitches.push_back(quantised[i].pitch);
            soundEnd = std::max(soundEnd, quantised[i].end);
        }
        if (onset > cursor) sink.rest(onset - cursor);
        const Rational stepEnd = i < quantised.size() ? std::min(quantised[i].onset, soundEnd) : soundEnd;
        sink.sound(std::move(pitches), stepEnd - onset);
        cursor = stepEnd;
    }
    return sink.take();
}

bool parseWhole(std::string_view text, int64_t& value) {
    if (text.empty() || text.size() > 15) return false;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && value >= 0 && text[0] != '+';
}

}  // namespace

std::string formatChordToken(const ChordToken& token) {
    std::string text;
    if (token.isRest()) text = "R";
    for (size_t i = 0; i < token.pitches.size(); ++i) {
        if (i) text += '+';
        text += std::to_string(token.pitches[i]);
    }
    return text + ":" + token.step.toString();
}

Result<ChordToken> parseChordToken(std::string_view text) {
    const auto fail = [text](const std::string& why) {
        return makeError("chord token '" + std::string(text) + "': " + why +
                         "; expected <pitch>[+<pitch>...]:<step> or R:<step>, e.g. 60+64+67:1/2");
    };
    const size_t colon = text.find(':');
    if (colon == std::string_view::npos) return fail("no ':' before the step");
    ChordToken token;
    const std::string_view step = text.substr(colon + 1);
    const size_t slash = step.find('/');
    int64_t numerator = 0, denominator = 1;
    if (!parseWhole(step.substr(0, slash), numerator) ||
        (slash != std::string_view::npos && !parseWhole(step.substr(slash + 1), denominator)))
        return fail("the step is not a whole number or n/d");
    if (numerator == 0 || denominator == 0) return fail("the step must be greater than 0");
    token.step = Rational(numerator, denominator);
    if (token.step > Rational(kMaxStepQuarters) || token.step.den() > kMaxStepDenominator)
        return fail("the step is longer than " + std::to_string(kMaxStepQuarters) +
                    " quarter notes or finer than 1/" + std::to_string(kMaxStepDenominator));

    const std::string_view sound = text.substr(0, colon);
    if (sound == "R") return token;
    for (size_t start = 0;;) {
        const size_t plus = sound.find('+', start);
        int64_t pitch = 0;
        if (!parseWhole(sound.substr(start, plus - start), pitch) || pitch > 127)
            return fail("'" + std::string(sound.substr(start, plus - start)) + "' is not a MIDI pitch 0..127");
        if (!token.pitches.empty() && pitch <= token.pitches.back()) return fail("the pitches must ascend without repeats");
        token.pitches.push_back(static_cast<int>(pitch));
        if (plus == std::string_view::npos) break;
        start = plus + 1;
    }
    return token;
}

std::vector<std::string> encodeChords(const Score& score, const ChordEncodingOptions& options) {
    std::vector<const Note*> notes;
    for (const Part& part : score.parts)
        for (const Note& note : part.notes) notes.push_back(&note);
    return encodeNotes(notes, options);
}

std::vector<std::string> encodeChords(const Part& part, const ChordEncodingOptions& options) {
    std::vector<const Note*> notes;
    notes.reserve(part.notes.size());
    for (const Note& note : part.notes) notes.push_back(&note);
    return encodeNotes(notes, options);
}

Result<Part> decodeChords(const std::vector<std::string>& tokens, int velocity) {
    Part part;
    Rational time;
    int64_t commonDenominator = 1;
    for (size_t i = 0; i < tokens.size(); ++i) {
        Result<ChordToken> token = parseChordToken(tokens[i]);
        if (!token) return makeError("token " + std::to_string(i) + ": " + token.error());
        commonDenominator = std::lcm(commonDenominator, token->step.den());
        if (commonDenominator > kMaxCommonDenominator)
            return makeError("token " + std::to_string(i) + ": the step " + token->step.toString() +
                             " shares no common grid finer than 1/" + std::to_string(kMaxCommonDenominator) +
                             " with the steps before it; encode with one grid");
        for (const int pitch : token->pitches)
            part.notes.push_back(Note{.pitch = pitch, .onset = time, .duration = token->step, .velocity = velocity, .tiedParts = {}});
        time += token->step;
    }
    return part;
}

Result<std::vector<std::string>> transposeChordTokens(std::span<const std::string> tokens, int semitones) {
    std::vector<std::string> out;
    out.reserve(tokens.size());
    for (const std::string& text : tokens) {
        Result<ChordToken> token = parseChordToken(text);
        if (!token || semitones == 0) {
            out.push_back(text);
            continue;
        }
        for (int& pitch : token->pitches) {
            pitch += semitones;
            if (pitch < 0 || pitch > 127)
                return makeError("chord token '" + text + "' moved by " + std::to_string(semitones) +
                                 " semitones leaves MIDI 0..127");
        }
        out.push_back(formatChordToken(*token));
    }
    return out;
}

OnsetPolyphony onsetPolyphony(const Score& score) {
    std::map<Rational, std::set<int>> pitchesAt;
    for (const Part& part : score.parts)
        for (const Note& note : part.notes) pitchesAt[note.onset].insert(note.pitch);
    OnsetPolyphony out;
    out.onsets = static_cast<int64_t>(pitchesAt.size());
    for (const auto& entry : pitchesAt) out.polyphonicOnsets += entry.second.size() >= 2 ? 1 : 0;
    return out;
}

OnsetPolyphony onsetPolyphony(std::span<const std::string> tokens) {
    OnsetPolyphony out;
    for (const std::string& text : tokens) {
        const Result<ChordToken> token = parseChordToken(text);
        if (!token || token->isRest()) continue;
        ++out.onsets;
        out.polyphonicOnsets += token->isChord() ? 1 : 0;
    }
    return out;
}

}  // namespace melodist::engine
