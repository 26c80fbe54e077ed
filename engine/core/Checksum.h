// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Checksums of byte strings: CRC-32 (IEEE 802.3, zlib's crc32) to detect damaged files,
// and SHA-256 (FIPS 180-4) to name a source file in metadata. Free functions, any thread.
//
//   uint32_t crc = crc32(bytes);               // crc32("123456789") == 0xCBF43926
//   std::string id = sha256Hex(fileBytes);     // 64 lowercase hex digits

#include <cstdint>
#include <string>
#include <string_view>

namespace melodist::engine {

// `previous` continues a running checksum over several pieces.
uint32_t crc32(std::string_view bytes, uint32_t previous = 0);
std::string sha256Hex(std::string_view bytes);

}  // namespace melodist::engine
