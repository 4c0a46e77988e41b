// Branch-free float exp/tanh/sigmoid/log that GCC vectorises inside plain loops (std::tanhf etc. are scalar libm
// calls that block vectorisation). Measured on the EPYC VM, 8 k floats in L1, AVX2: this tanh 0.31 ns/value, glibc
// libmvec (_ZGVdN8v_tanhf via -ffast-math -fopenmp-simd) 0.57 ns, scalar tanhf 8.5 ns; so no -ffast-math build.
// Worst relative error vs double precision: exp 8e-8, tanh 3e-7, sigmoid 1.5e-7 (checked in kernels-native.test.ts).
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace fomlab {

#define FOMLAB_INLINE inline __attribute__((always_inline))

// Cephes expf: e^x = 2^n · e^r, |r| ≤ ln2/2, degree-6 polynomial for e^r.
FOMLAB_INLINE float fast_exp(float x) {
  const float hi = 88.7228390520683f, lo = -87.3365447504f;
  float xc = x > hi ? hi : (x < lo ? lo : x);
  float fx = std::floor(xc * 1.44269504088896341f + 0.5f);
  float r = xc - fx * 0.693359375f + fx * 2.12194440e-4f;
  float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r2 + r + 1.0f;
  int32_t n = static_cast<int32_t>(fx);
  // 2^n split in two factors so n = 128 (x near 88.7) does not overflow the exponent field
  int32_t n1 = n >> 1, n2 = n - n1;
  int32_t b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  float s1, s2;
  std::memcpy(&s1, &b1, 4);
  std::memcpy(&s2, &b2, 4);
  float y = p * s1 * s2;
  return x < lo ? 0.0f : (x > hi ? INFINITY : y);
}

// Rational 13/6 minimax tanh (the form Eigen uses); saturates to ±1 beyond |x| ≈ 7.9.
FOMLAB_INLINE float fast_tanh(float x) {
  const float clamp = 7.90531110763549805f;
  float xc = x > clamp ? clamp : (x < -clamp ? -clamp : x);
  float x2 = xc * xc;
  float p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  p = p * xc;
  float q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  float t = p / q;
  return std::fabs(x) < 0.0004f ? x : t;
}

FOMLAB_INLINE float fast_sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

FOMLAB_INLINE float softplus(float x) { return x > 20.0f ? x : std::log1p(fast_exp(x)); }

}  // namespace fomlab

namespace fomlab {
// Cephes logf for x > 0 (normal numbers): x = m·2^e, m in [√½, √2), degree-9 polynomial.
FOMLAB_INLINE float fast_log(float x) {
  int32_t bits;
  std::memcpy(&bits, &x, 4);
  int32_t e = ((bits >> 23) & 0xff) - 126;
  int32_t mb = (bits & 0x807fffff) | 0x3f000000;
  float m;
  std::memcpy(&m, &mb, 4);
  bool small = m < 0.707106781186547524f;
  float fe = static_cast<float>(small ? e - 1 : e);
  float t = small ? m + m - 1.0f : m - 1.0f;
  float z = t * t;
  float y = 7.0376836292e-2f;
  y = y * t - 1.1514610310e-1f;
  y = y * t + 1.1676998740e-1f;
  y = y * t - 1.2420140846e-1f;
  y = y * t + 1.4249322787e-1f;
  y = y * t - 1.6668057665e-1f;
  y = y * t + 2.0000714765e-1f;
  y = y * t - 2.4999993993e-1f;
  y = y * t + 3.3333331174e-1f;
  y = y * t * z;
  y += -2.12194440e-4f * fe;
  y += -0.5f * z;
  return t + y + 0.693359375f * fe;
}
}  // namespace fomlab
