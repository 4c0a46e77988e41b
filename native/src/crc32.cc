// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320: zlib's, gzip's, Parquet's PageHeader.crc) by carry-less
// multiplication: the 64-byte folding and Barrett reduction of Gopal et al., "Fast CRC Computation for Generic
// Polynomials Using PCLMULQDQ Instruction" (Intel white paper 323102, 2009), with the bit-reflected constants of its
// appendix as Chromium's zlib uses them (crc32_simd.c). ≈ 4× zlib's table CRC on this machine; the bytes outside
// whole 16-byte blocks go through the byte-wise table. src/data/crc32.ts checks it against zlib.crc32.
#include "crc32.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define FOMLAB_CRC_PCLMUL 1
#endif

namespace fomlab {
namespace {

struct Table {
  uint32_t t[256];
  Table() {
    for (uint32_t n = 0; n < 256; n++) {
      uint32_t c = n;
      for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
  }
};
const Table TABLE;

// crc: the running register (already inverted)
uint32_t bytewise(const uint8_t* p, size_t n, uint32_t crc) {
  for (size_t i = 0; i < n; i++) crc = TABLE.t[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

#ifdef FOMLAB_CRC_PCLMUL
// n ≥ 64, a multiple of 16; crc: the running register (already inverted); returns the register
__attribute__((target("pclmul,sse4.1"))) uint32_t folded(const uint8_t* buf, size_t n, uint32_t crc) {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124);
  const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  __m128i x1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf));
  __m128i x2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 16));
  __m128i x3 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 32));
  __m128i x4 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 48));
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(static_cast<int>(crc)));
  buf += 64;
  n -= 64;
  // four 128-bit lanes folded 512 bits forward per step
  while (n >= 64) {
    const __m128i x5 = _mm_clmulepi64_si128(x1, k1k2, 0x00), x6 = _mm_clmulepi64_si128(x2, k1k2, 0x00);
    const __m128i x7 = _mm_clmulepi64_si128(x3, k1k2, 0x00), x8 = _mm_clmulepi64_si128(x4, k1k2, 0x00);
    x1 = _mm_clmulepi64_si128(x1, k1k2, 0x11);
    x2 = _mm_clmulepi64_si128(x2, k1k2, 0x11);
    x3 = _mm_clmulepi64_si128(x3, k1k2, 0x11);
    x4 = _mm_clmulepi64_si128(x4, k1k2, 0x11);
    x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf)));
    x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 16)));
    x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 32)));
    x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf + 48)));
    buf += 64;
    n -= 64;
  }
  // the four lanes into one (fold by 128 bits)
  const __m128i lanes[3] = {x2, x3, x4};
  for (const __m128i& next : lanes) {
    const __m128i lo = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), next), lo);
  }
  while (n >= 16) {
    const __m128i lo = _mm_clmulepi64_si128(x1, k3k4, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, k3k4, 0x11), _mm_loadu_si128(reinterpret_cast<const __m128i*>(buf))), lo);
    buf += 16;
    n -= 16;
  }
  // 128 → 64 bits
  const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
  x2 = _mm_clmulepi64_si128(x1, k3k4, 0x10);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
  x2 = _mm_srli_si128(x1, 4);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5k0, 0x00), x2);
  // Barrett reduction to 32 bits
  x2 = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), poly, 0x10);
  x2 = _mm_clmulepi64_si128(_mm_and_si128(x2, mask32), poly, 0x00);
  x1 = _mm_xor_si128(x1, x2);
  return static_cast<uint32_t>(_mm_extract_epi32(x1, 1));
}

bool detect() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return (c & bit_PCLMUL) && (c & bit_SSE4_1);
}
const bool HAS_PCLMUL = detect();
#endif

}  // namespace

bool crc32_fast_available() {
#ifdef FOMLAB_CRC_PCLMUL
  return HAS_PCLMUL;
#else
  return false;
#endif
}

uint32_t crc32_ieee(const uint8_t* p, size_t n) {
  uint32_t crc = 0xffffffffu;
#ifdef FOMLAB_CRC_PCLMUL
  if (HAS_PCLMUL && n >= 64) {
    const size_t whole = n & ~static_cast<size_t>(15);
    crc = folded(p, whole, crc);
    p += whole;
    n -= whole;
  }
#endif
  return bytewise(p, n, crc) ^ 0xffffffffu;
}

}  // namespace fomlab
