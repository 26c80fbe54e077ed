// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The General MIDI Level 1 instrument names: program 0..127 -> "Acoustic Grand Piano" ...
// "Gunshot", and the 16 families of 8 programs each ("Piano", "Strings", ...). What the
// studio's instrument pickers, export and the CLI show; a constant table, any thread.
//
//   std::string_view name = generalMidiProgramName(73);   // "Flute"
//   std::string_view family = generalMidiFamilyName(73);  // "Pipe"
//   std::optional<int> program = findGeneralMidiProgram("flute");  // 73 (case-insensitive)

#include <optional>
#include <string_view>

namespace melodist::engine {

inline constexpr int kGeneralMidiProgramCount = 128;

// The program's name; "" outside 0..127.
std::string_view generalMidiProgramName(int program);
// The family of programs 8*k .. 8*k+7; "" outside 0..127.
std::string_view generalMidiFamilyName(int program);
// The program whose name equals `name` ignoring case, or nullopt.
std::optional<int> findGeneralMidiProgram(std::string_view name);

}  // namespace melodist::engine
