// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Project: what the studio edits and saves as a `.melodist` file -- the roll's notes
// (each marked as the user's seed or as generated), tempo, meter, key, instrument,
// soundfont, loop region, and the generation settings last used. Plain value type; any
// thread. The file is JSON (format documented in docs/ARCHITECTURE.md):
//
//   { "format": "melodist-project", "version": 1, "title": "...",
//     "tempo_bpm": 96, "meter": [3, 4], "key": "D major" | null, "program": 0,
//     "soundfont": "" , "loop": null | {"start": "4", "end": "12"},
//     "notes": [ {"pitch": 62, "onset": "0", "duration": "1/2", "velocity": 80,
//                 "generated": false, "tied": ["1/4", "1/4"] (only when written tied)}, ... ],
//     "generation": { "model": "default", "complexity": 0.5, "expert": false,
//                     "temperature": 0.8, "top_k": 0, "top_p": 1, "length_bars": 8,
//                     "length_steps": 0, "candidates": 4, "use_key": false,
//                     "range": null | {"lowest": 55, "highest": 81}, "rng_seed": 0 } }
//
// Times are exact rationals written as strings ("3/2"; a whole number may be a JSON
// integer), so save -> load gives back the same notes; notes are written sorted, so the
// same project always gives the same bytes. "format" must be "melodist-project"; a
// "version" above 1 is refused (update Melodist). Unknown keys are ignored (a newer
// Melodist's additions open in an older one); a missing key takes its default; a wrong
// type or value is an error naming the file, the key and the note index ("song.melodist:
// notes[3].pitch: 130 is not a whole number from 0 to 127; ..."), saying what to do.
//
//   Result<Project> project = readProjectFile("song.melodist");
//   if (!project) { report(project.error()); return; }
//   project->tempoBpm = 100;
//   Result<void> saved = writeProjectFile(*project, "song.melodist");  // atomic
//   Result<void> midi = writeMidiFile(projectToScore(*project), "song.mid");

#include "engine/core/Result.h"
#include "engine/generation/MelodyConstraints.h"
#include "engine/music/Score.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace melodist::engine {

inline constexpr const char* kProjectExtension = ".melodist";

struct ProjectNote {
    Note note;
    bool generated = false;  // false: the user's (drawn, played, imported): the seed
    friend bool operator==(const ProjectNote& a, const ProjectNote& b) {
        return a.note == b.note && a.generated == b.generated;
    }
};

// The generation panel's settings, saved with the project so a reopened song generates
// the same way. Expert values and the simple ones (style/complexity) are both kept; the
// panel derives the expert values from complexity unless the user set them directly.
struct GenerationSettings {
    std::string model = "default";   // a bundled model's name or a .melodist-model path
    double complexity = 0.5;         // 0..1: moves temperature and note density together
    bool expert = false;             // true: temperature/topK/topP as set, not from complexity
    float temperature = 0.8f;
    int topK = 0;
    float topP = 1.0f;
    int lengthBars = 8;              // how much to add, in bars of the project's meter ...
    int lengthSteps = 0;             // ... or in steps of the model's grid when > 0
    int candidates = 4;
    bool useKey = false;             // restrict to the project's key's scale
    std::optional<PitchRange> range; // restrict to a pitch range
    uint64_t rngSeed = 0;            // 0: a new seed each time
    friend bool operator==(const GenerationSettings& a, const GenerationSettings& b) {
        const auto sameRange = [](const std::optional<PitchRange>& x, const std::optional<PitchRange>& y) {
            return x.has_value() == y.has_value() && (!x || (x->lowest == y->lowest && x->highest == y->highest));
        };
        return a.model == b.model && a.complexity == b.complexity && a.expert == b.expert && a.temperature == b.temperature &&
               a.topK == b.topK && a.topP == b.topP && a.lengthBars == b.lengthBars && a.lengthSteps == b.lengthSteps &&
               a.candidates == b.candidates && a.useKey == b.useKey && sameRange(a.range, b.range) && a.rngSeed == b.rngSeed;
    }
};

struct LoopRegion {
    Rational start;  // quarter notes
    Rational end;    // > start
    friend bool operator==(const LoopRegion& a, const LoopRegion& b) { return a.start == b.start && a.end == b.end; }
};

struct Project {
    std::string title;
    std::vector<ProjectNote> notes;  // sorted by onset, then pitch (sortNotes)
    double tempoBpm = 120.0;         // 20..400
    int meterNumerator = 4;          // 1..32
    int meterDenominator = 4;        // 1, 2, 4, 8, 16, 32
    std::optional<ScaleKey> key;     // the key's scale is shaded in the roll; nullopt: none chosen
    int program = 0;                 // General MIDI program 0..127 (0 = Acoustic Grand Piano)
    std::string soundfont;           // "" : the default soundfont
    std::optional<LoopRegion> loop;
    GenerationSettings generation;

    void sortNotes();
    Rational endTime() const;                      // end of the last note; 0 when empty
    Rational barLength() const;                    // quarter notes per bar of the meter
};

// The project as a one-part Score (tempo, meter, key, program; every note, seed and
// generated): what export, audition and MIDI/MusicXML writing take.
Score projectToScore(const Project& project, const std::string& partName = "Melody");
// Import: the notes of `score`'s first part with notes become seed notes (generated =
// false), its first tempo (to 1/1000 BPM), meter and declared key become the project's. Other parts are
// dropped (`droppedParts` counts them when given).
Project projectFromScore(const Score& score, int* droppedParts = nullptr);

std::string projectToJson(const Project& project);  // the same project, the same bytes
Result<Project> parseProjectJson(std::string_view json, const std::string& sourceName);
Result<Project> readProjectFile(const std::string& path);
Result<void> writeProjectFile(const Project& project, const std::string& path);  // atomic

}  // namespace melodist::engine
