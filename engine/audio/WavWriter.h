// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// WAV (RIFF, 16-bit PCM) encoding of float audio. Free functions: any thread except the
// audio callback (they allocate); the caller owns the bytes. Samples are scaled by 32767,
// rounded to nearest and clipped to [-32768, 32767]; no dither, so the same floats always
// give the same bytes.
//
//   std::vector<float> stereo = ...;                      // L R L R ...
//   Result<void> saved = writeWavFile("out.wav", stereo, /*channels=*/2, /*sampleRate=*/44100);

#include "engine/core/Result.h"

#include <string>
#include <vector>

namespace melodist::engine {

// The whole file: a 44-byte header (RIFF, "fmt " PCM, "data") and the samples.
std::string encodeWav16(const std::vector<float>& interleaved, int channels, int sampleRate);

// Encodes and writes atomically (engine/core/FileIO.h). Errors name the file.
Result<void> writeWavFile(const std::string& path, const std::vector<float>& interleaved, int channels,
                          int sampleRate);

}  // namespace melodist::engine
