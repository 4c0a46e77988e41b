// CRC-32 (IEEE, zlib's) of a byte range, by PCLMULQDQ folding where the CPU has it (crc32.cc).
#pragma once
#include <cstddef>
#include <cstdint>

namespace fomlab {
/** true when crc32_ieee runs the carry-less-multiplication path (x86 with PCLMULQDQ and SSE4.1) */
bool crc32_fast_available();
/** CRC-32 of n bytes (the standard one: initial and final inversion) */
uint32_t crc32_ieee(const uint8_t* p, size_t n);
}  // namespace fomlab
