// src/simulate/random.ts and kinematics.ts in C++ (for simulate.cc): constants, the xoshiro128** stream with its
// ziggurat normal, four-vector slots and the phase-space helpers — same names, same arithmetic, same draws.
// Math.max/min propagate NaN; jsMax/jsMin do the same here.
#pragma once
#include <cmath>
#include <cstdint>

#include "simulate.h"

namespace fomlab {
namespace sim {
namespace {  // internal: included by simulate.cc only (lets GCC inline as in one file)

constexpr double MUON_MASS = 0.1056583755;
constexpr double ELECTRON_MASS = 0.00051099895;
constexpr double TAU_MASS = 1.77693;
constexpr double ALPHA_EM = 1 / 137.035999;
constexpr double HBARC2_NB = 0.3893794e6;
constexpr double PI = 3.141592653589793;
constexpr double SQRT2 = 1.4142135623730951;
constexpr double LN2 = 0.6931471805599453;
constexpr double TWO_M32 = 2.3283064365386963e-10;
constexpr double ZIG_R = 3.442619855899;
const double NORMAL_MAX = ZIG_R + (33 * LN2) / ZIG_R;

// truth event slots (kinematics.ts)
constexpr int SLOT_INITIAL = 0, SLOT_MU_PLUS = 4, SLOT_MU_MINUS = 8, SLOT_INVISIBLE = 12, SLOT_LOST = 16, SLOT_SCRATCH = 20,
              SLOT_SCRATCH2 = 24, TRUTH_LENGTH = 28;
// reco layout (detector.ts)
constexpr int RECO_RECOIL_MASS2 = 8, RECO_PT_THRUST = 9, RECO_PT_REL = 10, RECO_PL_REL = 11, RECO_PT_DIMUON = 12, RECO_LENGTH = 13;

inline double jsMax(double a, double b) { return (a != a || b != b) ? NAN : (a > b ? a : b); }
inline double jsMin(double a, double b) { return (a != a || b != b) ? NAN : (a < b ? a : b); }

// random.ts: xoshiro128** and the ziggurat normal
struct Rng {
  uint32_t s0, s1, s2, s3;
  const SimZiggurat* zig;
  inline uint32_t next() {
    const uint32_t s1_ = s1;
    const uint32_t m = s1_ * 5u;
    const uint32_t result = ((m << 7) | (m >> 25)) * 9u;
    const uint32_t t = s1_ << 9;
    s2 ^= s0;
    s3 ^= s1_;
    s1 = s1_ ^ s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >> 21);
    return result;
  }
  inline double u01() { return (static_cast<double>(next()) + 0.5) * TWO_M32; }
  inline double normal() {
    const int32_t u = static_cast<int32_t>(next());
    const int i = u & 127;
    const int32_t j = u >> 7;
    if ((j < 0 ? -j : j) < zig->k[i]) return j * zig->w[i];
    return normalSlow(u);
  }
  double normalSlow(int32_t u) {
    for (;;) {
      const int i = u & 127;
      const int32_t j = u >> 7;
      const double x = j * zig->w[i];
      if (i == 0) {
        double t, y;
        do {
          t = -std::log(u01()) / ZIG_R;
          y = -std::log(u01());
        } while (y + y < t * t);
        return j >= 0 ? ZIG_R + t : -ZIG_R - t;
      }
      if (zig->f[i] + u01() * (zig->f[i - 1] - zig->f[i]) < std::exp(-0.5 * x * x)) return x;
      u = static_cast<int32_t>(next());
      const int i2 = u & 127;
      const int32_t j2 = u >> 7;
      if ((j2 < 0 ? -j2 : j2) < zig->k[i2]) return j2 * zig->w[i2];
    }
  }
};

// kinematics.ts
inline void set4(double* v, int o, double e, double px, double py, double pz) {
  v[o] = e; v[o + 1] = px; v[o + 2] = py; v[o + 3] = pz;
}
inline void copy4(const double* f, int fo, double* t, int to) {
  t[to] = f[fo]; t[to + 1] = f[fo + 1]; t[to + 2] = f[fo + 2]; t[to + 3] = f[fo + 3];
}
inline void sub4(const double* a, int ao, const double* b, int bo, double* t, int to) {
  t[to] = a[ao] - b[bo]; t[to + 1] = a[ao + 1] - b[bo + 1]; t[to + 2] = a[ao + 2] - b[bo + 2]; t[to + 3] = a[ao + 3] - b[bo + 3];
}
inline void add4(const double* a, int ao, double* t, int to) {
  t[to] += a[ao]; t[to + 1] += a[ao + 1]; t[to + 2] += a[ao + 2]; t[to + 3] += a[ao + 3];
}
inline void boostZ(double* v, int o, double beta, double gamma) {
  const double e = v[o], pz = v[o + 3];
  v[o] = gamma * (e + beta * pz);
  v[o + 3] = gamma * (pz + beta * e);
}
// a point (a, b) uniform in the unit disk, r2 = a² + b² (azimuth, and the isotropic τ decay)
struct DiskPoint { double a, b, r2; };
inline DiskPoint diskPoint(Rng& rng) {
  double a, b, r2;
  do {
    a = 2 * rng.u01() - 1;
    b = 2 * rng.u01() - 1;
    r2 = a * a + b * b;
  } while (r2 >= 1);
  return {a, b, r2};
}
struct Azimuth { double c, s; };
inline Azimuth azimuth(Rng& rng) {
  const DiskPoint d = diskPoint(rng);
  return {(d.a * d.a - d.b * d.b) / d.r2, (2 * d.a * d.b) / d.r2};
}
inline void setAlong(double* v, int o, double m, double p, double cosTheta, double cosPhi, double sinPhi, double nx, double ny, double nz) {
  const double sinTheta = std::sqrt(jsMax(0, 1 - cosTheta * cosTheta));
  double ux, uy, uz;
  if (std::fabs(nx) < 0.9) {
    const double l = 1 / std::sqrt(ny * ny + nz * nz);
    ux = 0; uy = nz * l; uz = -ny * l;
  } else {
    const double l = 1 / std::sqrt(nx * nx + nz * nz);
    ux = -nz * l; uy = 0; uz = nx * l;
  }
  const double wx = ny * uz - nz * uy, wy = nz * ux - nx * uz, wz = nx * uy - ny * ux;
  const double c = cosPhi * sinTheta, s = sinPhi * sinTheta;
  const double px = p * (cosTheta * nx + c * ux + s * wx);
  const double py = p * (cosTheta * ny + c * uy + s * wy);
  const double pz = p * (cosTheta * nz + c * uz + s * wz);
  set4(v, o, std::sqrt(p * p + m * m), px, py, pz);
}
inline void setPolar(double* v, int o, double m, double p, double cosTheta, double cosPhi, double sinPhi) {
  const double sinTheta = std::sqrt(jsMax(0, 1 - cosTheta * cosTheta));
  set4(v, o, std::sqrt(p * p + m * m), p * sinTheta * cosPhi, p * sinTheta * sinPhi, p * cosTheta);
}
inline void boostFromRest(double* v, int o, double E, double Px, double Py, double Pz, double M) {
  const double e = v[o];
  const double pp = Px * v[o + 1] + Py * v[o + 2] + Pz * v[o + 3];
  const double f = (pp / (E + M) + e) / M;
  v[o + 1] += f * Px;
  v[o + 2] += f * Py;
  v[o + 3] += f * Pz;
  v[o] = (E * e + pp) / M;
}
inline double twoBodyMomentum(double M, double m1, double m2) {
  const double a = M * M - (m1 + m2) * (m1 + m2);
  const double b = M * M - (m1 - m2) * (m1 - m2);
  if (a < 0) return NAN;
  return std::sqrt(a * b) / (2 * M);
}
inline void decayTwoBody(double* v, int po, double M, double m1, double cosTheta, double cosPhi, double sinPhi, int o1, int o2, double k) {
  const double e = v[po], px = v[po + 1], py = v[po + 2], pz = v[po + 3];
  const double p2 = px * px + py * py + pz * pz;
  if (p2 > 0) {
    const double ip = 1 / std::sqrt(p2);
    setAlong(v, o1, m1, k, cosTheta, cosPhi, sinPhi, px * ip, py * ip, pz * ip);
    boostFromRest(v, o1, e, px, py, pz, M);
  } else {
    setPolar(v, o1, m1, k, cosTheta, cosPhi, sinPhi);
  }
  sub4(v, po, v, o1, v, o2);
}
inline double cosThetaOnePlusCos2(Rng& rng) {
  const double u = rng.u01();
  if (u < 0.75) return (8 * u) / 3 - 1;
  const double a = rng.u01(), b = rng.u01(), c = rng.u01();
  const double m = jsMax(jsMax(a, b), c);
  return u < 0.875 ? m : -m;
}
inline double cosThetaCollinear(Rng& rng, double beta, double cLo, double cHi) {
  const double a = std::atanh(beta * cLo);
  const double b = std::atanh(beta * cHi);
  return std::tanh(a + (b - a) * rng.u01()) / beta;
}

}  // namespace
}  // namespace sim
}  // namespace fomlab
