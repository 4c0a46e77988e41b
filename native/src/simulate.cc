// The simulator's event loop: a line-by-line port of src/simulate/{random,kinematics,detector,process,
// signal,backgrounds,twophoton,run}.ts (the TypeScript is the reference and carries the physics comments
// and citations; names here are the same). Written by hand because no library generates these processes;
// it runs ≈ 3× faster than the TypeScript (bench/simulate.bench.ts). Every random draw happens in the same
// order as there — C++ leaves the order of argument evaluation open, so draws are never two to a call.
// Math.max/min propagate NaN; jsMax/jsMin do the same here.
#include "simulate.h"

#include <cmath>

namespace fomlab {
namespace {

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

// detector.ts
struct Ctx {
  const SimDetector& det;
  const SimBeams& beams;
  const SimGenerator& gen;
  Rng& rng;
};

inline double sampleCollision(Ctx& c, double* __restrict ev, double* boostOut) {
  const SimDetector& det = c.det;
  const double e1 = det.herEnergy * (1 + det.herSpread * c.rng.normal());
  const double e2 = det.lerEnergy * (1 + det.lerSpread * c.rng.normal());
  const double m2 = ELECTRON_MASS * ELECTRON_MASS;
  const double i1 = 1 / e1, i2 = 1 / e2;
  const double pz = e1 - e2 - 0.5 * m2 * (i1 - i2) - 0.125 * m2 * m2 * (i1 * i1 * i1 - i2 * i2 * i2);
  const double e = e1 + e2;
  set4(ev, SLOT_INITIAL, e, 0, 0, pz);
  boostOut[0] = pz / e;
  return std::sqrt(e * e - pz * pz);
}

inline bool inCalorimeter(const double* v, int o, const SimDetector& det) {
  if (v[o] <= det.eclEnergyMin) return false;
  const double theta = std::atan2(std::sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]), v[o + 3]);
  return theta >= det.eclThetaMin && theta <= det.eclThetaMax;
}

inline void smearMuonPt(Ctx& c, const double* v, int o, double* out, int oo, double pt, double p) {
  const SimDetector& det = c.det;
  const double px = v[o + 1], py = v[o + 2], pz = v[o + 3];
  const double beta = p / v[o];
  const double a = det.ptResolutionSlope * pt, b = det.ptResolutionConstant / beta;
  const double sigPt = std::sqrt(a * a + b * b);
  const double ms = det.angleMultipleScattering / (p * beta);
  const double sigAngle = std::sqrt(det.angleResolution * det.angleResolution + ms * ms);
  const double dTheta = sigAngle * c.rng.normal();
  const double dPhi = sigAngle * c.rng.normal();
  const double ptS = pt * (1 + sigPt * c.rng.normal());
  const double ip = 1 / p, ipt = 1 / pt;
  const double cosT = pz * ip, sinT = pt * ip, cosP = px * ipt, sinP = py * ipt;
  const double nx = sinT * cosP + dTheta * cosT * cosP - dPhi * sinP;
  const double ny = sinT * sinP + dTheta * cosT * sinP + dPhi * cosP;
  const double nz = cosT - dTheta * sinT;
  const double k = ptS / std::sqrt(nx * nx + ny * ny);
  const double pxS = k * nx, pyS = k * ny, pzS = k * nz;
  set4(out, oo, std::sqrt(pxS * pxS + pyS * pyS + pzS * pzS + MUON_MASS * MUON_MASS), pxS, pyS, pzS);
}

inline bool hopelessCm(const double* v, int o, double sqrtS, const SimDetector& det, const SimBeams& beams) {
  const double px = v[o + 1], py = v[o + 2];
  const double pt = std::sqrt(px * px + py * py);
  if (pt < 0.8 * det.muonPtMin) return true;
  const double e0 = v[SLOT_INITIAL];
  const double beta = v[SLOT_INITIAL + 3] / e0;
  const double gamma = e0 / sqrtS;
  const double pz = gamma * (v[o + 3] + beta * v[o]);
  const double cosT = pz / std::sqrt(pt * pt + pz * pz);
  return cosT > beams.cosMuonHiLoose || cosT < beams.cosMuonLoLoose;
}

inline bool accepted(const double* v, int o, const SimDetector& det, const SimBeams& beams) {
  const double pt = std::sqrt(v[o + 1] * v[o + 1] + v[o + 2] * v[o + 2]);
  if (pt <= det.muonPtMin) return false;
  const double cosT = v[o + 3] / std::sqrt(pt * pt + v[o + 3] * v[o + 3]);
  return cosT <= beams.cosMuonHi && cosT >= beams.cosMuonLo;
}

inline bool truthPasses(const double* v, int o, const SimDetector& det, const SimBeams& beams, double* out, int k) {
  const double px = v[o + 1], py = v[o + 2], pz = v[o + 3];
  const double pt = std::sqrt(px * px + py * py);
  if (pt < 0.8 * det.muonPtMin) return false;
  const double p = std::sqrt(pt * pt + pz * pz);
  const double cosT = pz / p;
  if (cosT > beams.cosMuonHiLoose || cosT < beams.cosMuonLoLoose) return false;
  out[k] = pt;
  out[k + 1] = p;
  return true;
}

inline double smearBound(const SimDetector& det, double e, double pt, double p, double* epsOut) {
  const double z = NORMAL_MAX * (1 + 1e-9);
  const double ip = 1 / p;
  const double u = z * (det.ptResolutionSlope * pt + det.ptResolutionConstant * e * ip);
  const double eps = SQRT2 * z * (det.angleResolution + det.angleMultipleScattering * e * ip * ip);
  *epsOut = eps;
  const double s = pt * ip;
  if (!(s > 2 * eps) || !(u < 0.5)) return 0;
  return (pt * ((1 + u) * eps + u) + p * eps) / (s - eps);
}

inline bool surelyFailsRecoil(const SimDetector& det, const SimBeams& beams, const double* ev, double aPt, double aP, double bPt, double bP) {
  const double rx = -ev[SLOT_MU_PLUS + 1] - ev[SLOT_MU_MINUS + 1];
  const double ry = -ev[SLOT_MU_PLUS + 2] - ev[SLOT_MU_MINUS + 2];
  const double rz = beams.pz - ev[SLOT_MU_PLUS + 3] - ev[SLOT_MU_MINUS + 3];
  const double rt = std::sqrt(rx * rx + ry * ry);
  const double dFwd = rz * beams.sinRecoilMin - rt * beams.cosRecoilMin;
  const double dBwd = rt * beams.cosRecoilMax - rz * beams.sinRecoilMax;
  const double dist = dFwd > dBwd ? dFwd : dBwd;
  if (!(dist > 0)) return false;
  double epsA, epsB;
  const double dA = smearBound(det, ev[SLOT_MU_PLUS], aPt, aP, &epsA);
  if (dA == 0) return false;
  const double dB = smearBound(det, ev[SLOT_MU_MINUS], bPt, bP, &epsB);
  if (dB == 0) return false;
  if (!(dist > (dA + dB) * (1 + 1e-9) + 1e-9)) return false;
  const double uA = NORMAL_MAX * (1 + 1e-9) * (det.ptResolutionSlope * aPt + det.ptResolutionConstant * ev[SLOT_MU_PLUS] / aP);
  if (!(aPt * (1 - uA) > det.muonPtMin * (1 + 1e-9) + 1e-9)) return false;
  const double az = ev[SLOT_MU_PLUS + 3];
  const double margin = (epsA * (1 + 1e-9) + 1e-9) * aP;
  return aPt * beams.cosMuonMin - az * beams.sinMuonMin > margin && az * beams.sinMuonMax - aPt * beams.cosMuonMax > margin;
}

inline double crossNorm(double ax, double ay, double az, double bx, double by, double bz) {
  const double cx = ay * bz - az * by, cy = az * bx - ax * bz, cz = ax * by - ay * bx;
  return std::sqrt(cx * cx + cy * cy + cz * cz);
}

bool reconstruct(Ctx& c, const double* __restrict ev, double* __restrict reco) {
  const SimDetector& det = c.det;
  const SimBeams& beams = c.beams;
  double ptP[4];
  if (!truthPasses(ev, SLOT_MU_PLUS, det, beams, ptP, 0) || !truthPasses(ev, SLOT_MU_MINUS, det, beams, ptP, 2)) return false;
  const double aPt = ptP[0], aP = ptP[1], bPt = ptP[2], bP = ptP[3];
  if (surelyFailsRecoil(det, beams, ev, aPt, aP, bPt, bP)) {
    for (int k = 0; k < 6; k++) c.rng.normal();
    return false;
  }
  smearMuonPt(c, ev, SLOT_MU_PLUS, reco, 0, aPt, aP);
  if (!accepted(reco, 0, det, beams)) return false;
  smearMuonPt(c, ev, SLOT_MU_MINUS, reco, 4, bPt, bP);
  if (!accepted(reco, 4, det, beams)) return false;
  const double re = beams.energy - reco[0] - reco[4];
  const double rx = -reco[1] - reco[5];
  const double ry = -reco[2] - reco[6];
  const double rz = beams.pz - reco[3] - reco[7];
  const double cosRecoil = rz / std::sqrt(rx * rx + ry * ry + rz * rz);
  if (!(cosRecoil >= beams.cosRecoilLo && cosRecoil <= beams.cosRecoilHi)) return false;
  reco[RECO_RECOIL_MASS2] = re * re - rx * rx - ry * ry - rz * rz;
  const double b = beams.beta, g = beams.gamma;
  const double ax = reco[1], ay = reco[2], az = g * (reco[3] - b * reco[0]), ae = g * (reco[0] - b * reco[3]);
  const double bx = reco[5], by = reco[6], bz = g * (reco[7] - b * reco[4]), be = g * (reco[4] - b * reco[7]);
  const double sx = ax + bx, sy = ay + by, sz = az + bz;
  const double sNorm = std::sqrt(sx * sx + sy * sy + sz * sz);
  if (sNorm < det.recoilMomentumMin) return false;
  const double dx = ax - bx, dy = ay - by, dz = az - bz;
  const double dNorm = std::sqrt(dx * dx + dy * dy + dz * dz);
  reco[RECO_PT_THRUST] = dNorm >= sNorm ? crossNorm(sx, sy, sz, dx / dNorm, dy / dNorm, dz / dNorm) / 2
                                        : crossNorm(dx, dy, dz, sx / sNorm, sy / sNorm, sz / sNorm) / 2;
  double hx = ax, hy = ay, hz = az, lx = bx, ly = by, lz = bz;
  if (be > ae) {
    hx = bx; hy = by; hz = bz; lx = ax; ly = ay; lz = az;
  }
  const double lNorm = std::sqrt(lx * lx + ly * ly + lz * lz);
  reco[RECO_PL_REL] = (hx * lx + hy * ly + hz * lz) / lNorm;
  reco[RECO_PT_REL] = crossNorm(hx, hy, hz, lx / lNorm, ly / lNorm, lz / lNorm);
  reco[RECO_PT_DIMUON] = std::sqrt(sx * sx + sy * sy);
  return true;
}

// signal.ts (ZprimeSignal.generateCM)
double signalCM(Ctx& c, double sqrtS, double* __restrict ev) {
  Rng& rng = c.rng;
  const double m = c.gen.zprimeMass;
  const double mu = MUON_MASS;
  const double lo = m * (m + 2 * mu);
  const double hi = (sqrtS - mu) * (sqrtS - mu) - mu * mu;
  const double logRatio = std::log(hi / lo);
  const double bound = (sqrtS * sqrtS - 2 * mu * mu - lo) / (sqrtS * sqrtS);
  const bool checks = c.gen.hasDetector;
  for (;;) {
    const double mStar2 = mu * mu + lo * std::exp(logRatio * rng.u01());
    const double mStar = std::sqrt(mStar2);
    const double p = twoBodyMomentum(sqrtS, mu, mStar);
    if (!(p > 0) || rng.u01() * bound > (2 * p) / sqrtS) continue;
    const bool radiatorIsPlus = rng.u01() < 0.5;
    const int oRad = radiatorIsPlus ? SLOT_MU_PLUS : SLOT_MU_MINUS;
    const int oOther = radiatorIsPlus ? SLOT_MU_MINUS : SLOT_MU_PLUS;
    const double cosTheta = cosThetaOnePlusCos2(rng);
    const Azimuth az1 = azimuth(rng);
    const double sign = radiatorIsPlus ? -1 : 1;
    setPolar(ev, SLOT_SCRATCH, mStar, p, sign * cosTheta, sign * az1.c, sign * az1.s);
    set4(ev, oOther, std::sqrt(p * p + mu * mu), -ev[SLOT_SCRATCH + 1], -ev[SLOT_SCRATCH + 2], -ev[SLOT_SCRATCH + 3]);
    if (checks && hopelessCm(ev, oOther, sqrtS, c.det, c.beams)) return 0;
    const double eStar = ev[SLOT_SCRATCH];
    const double k = twoBodyMomentum(mStar, m, mu);
    const double eRest = std::sqrt(k * k + m * m);
    const double gamma = eStar / mStar;
    const double betaGamma = p / mStar;
    const double zLo = (gamma * eRest - betaGamma * k) / eStar;
    const double zHi = (gamma * eRest + betaGamma * k) / eStar;
    const double logZ = std::log(zHi / zLo);
    double z;
    do z = zLo * std::exp(logZ * rng.u01());
    while (rng.u01() * 2 > 1 + (1 - z) * (1 - z));
    const double cosDecay = betaGamma * k > 0 ? jsMax(-1, jsMin(1, (z * eStar - gamma * eRest) / (betaGamma * k))) : 0;
    const Azimuth az2 = azimuth(rng);
    decayTwoBody(ev, SLOT_SCRATCH, mStar, m, cosDecay, az2.c, az2.s, SLOT_INVISIBLE, oRad, k);
    if (checks && hopelessCm(ev, oRad, sqrtS, c.det, c.beams)) return 0;
    set4(ev, SLOT_LOST, 0, 0, 0, 0);
    return 1;
  }
}

// backgrounds.ts (MuMuGamma.generateCM)
double mumuGammaCM(Ctx& c, double sqrtS, double* __restrict ev) {
  Rng& rng = c.rng;
  const SimGenerator& g = c.gen;
  const double s = sqrtS * sqrtS;
  const double xMin = (2 * g.photonEnergyMin) / sqrtS;
  const double xMax = 1 - (4 * MUON_MASS * MUON_MASS * 1.0001) / (sqrtS * sqrtS);
  const double l1 = std::log(xMax / xMin);
  const double l2 = std::log((1 - xMin) / (1 - xMax));
  double x;
  for (;;) {
    if (rng.u01() * (l1 + l2) < l1) x = xMin * std::exp(l1 * rng.u01());
    else x = 1 - (1 - xMin) * std::exp(-l2 * rng.u01());
    const double sp = s * (1 - x);
    const double b = std::sqrt(1 - (4 * MUON_MASS * MUON_MASS) / sp);
    if (rng.u01() * 2 <= (1 + (1 - x) * (1 - x)) * ((b * (3 - b * b)) / 2)) break;
  }
  const double eGamma = (x * sqrtS) / 2;
  const double cosTheta = cosThetaCollinear(rng, g.betaE, g.cosThetaMin, g.cosThetaMax);
  const Azimuth az1 = azimuth(rng);
  setPolar(ev, SLOT_LOST, 0, eGamma, cosTheta, az1.c, az1.s);
  set4(ev, SLOT_SCRATCH, sqrtS - eGamma, -ev[SLOT_LOST + 1], -ev[SLOT_LOST + 2], -ev[SLOT_LOST + 3]);
  const double mPair = std::sqrt(s * (1 - x));
  const int first = rng.u01() < 0.5 ? SLOT_MU_PLUS : SLOT_MU_MINUS;
  const double cosDecay = cosThetaOnePlusCos2(rng);
  const Azimuth az2 = azimuth(rng);
  decayTwoBody(ev, SLOT_SCRATCH, mPair, MUON_MASS, cosDecay, az2.c, az2.s, first, first == SLOT_MU_PLUS ? SLOT_MU_MINUS : SLOT_MU_PLUS,
               twoBodyMomentum(mPair, MUON_MASS, MUON_MASS));
  return 1;
}

// backgrounds.ts (michelX, TauPairToMuons)
inline double michelX(Rng& rng) {
  if (rng.u01() < 2.0 / 3) {
    const double a = rng.u01(), b = rng.u01(), c = rng.u01();
    return jsMax(jsMax(a, b), c);
  }
  const double a = rng.u01(), b = rng.u01(), c = rng.u01(), d = rng.u01();
  const double lo1 = jsMin(a, b), hi1 = jsMax(a, b), lo2 = jsMin(c, d), hi2 = jsMax(c, d);
  return jsMax(jsMin(hi1, hi2), jsMax(lo1, lo2));
}

void decayToMuon(Rng& rng, int tau, int mu, double* __restrict ev) {
  const double eMax = (TAU_MASS * TAU_MASS + MUON_MASS * MUON_MASS) / (2 * TAU_MASS);
  double e;
  do e = michelX(rng) * eMax;
  while (e <= MUON_MASS);
  const double k = std::sqrt(e * e - MUON_MASS * MUON_MASS);
  const DiskPoint d = diskPoint(rng);
  const double f = 2 * k * std::sqrt(1 - d.r2);
  set4(ev, mu, e, d.a * f, d.b * f, k * (1 - 2 * d.r2));
  boostFromRest(ev, mu, ev[tau], ev[tau + 1], ev[tau + 2], ev[tau + 3], TAU_MASS);
}

double tauTauCM(Ctx& c, double sqrtS, double* __restrict ev) {
  Rng& rng = c.rng;
  const double p = std::sqrt((sqrtS * sqrtS) / 4 - TAU_MASS * TAU_MASS);
  const double oneMinusBeta2 = (4 * TAU_MASS * TAU_MASS) / (sqrtS * sqrtS);
  double cth;
  do cth = cosThetaOnePlusCos2(rng);
  while (rng.u01() * (1 + oneMinusBeta2) > 1 + (oneMinusBeta2 * (1 - cth * cth)) / (1 + cth * cth));
  const Azimuth az = azimuth(rng);
  setPolar(ev, SLOT_SCRATCH, TAU_MASS, p, cth, az.c, az.s);
  set4(ev, SLOT_SCRATCH2, ev[SLOT_SCRATCH], -ev[SLOT_SCRATCH + 1], -ev[SLOT_SCRATCH + 2], -ev[SLOT_SCRATCH + 3]);
  const bool checks = c.gen.hasDetector;
  decayToMuon(rng, SLOT_SCRATCH, SLOT_MU_MINUS, ev);
  if (checks && hopelessCm(ev, SLOT_MU_MINUS, sqrtS, c.det, c.beams)) return 0;
  decayToMuon(rng, SLOT_SCRATCH2, SLOT_MU_PLUS, ev);
  if (checks && hopelessCm(ev, SLOT_MU_PLUS, sqrtS, c.det, c.beams)) return 0;
  for (int k = 0; k < 4; k++)
    ev[SLOT_INVISIBLE + k] = ev[SLOT_SCRATCH + k] - ev[SLOT_MU_MINUS + k] + ev[SLOT_SCRATCH2 + k] - ev[SLOT_MU_PLUS + k];
  set4(ev, SLOT_LOST, 0, 0, 0, 0);
  return 1;
}

// twophoton.ts (TwoPhotonMuMu)
constexpr double LEPTON_PT_HARD = 0.3, HARD_FRACTION = 0.5, BAND_FRACTION = 0.85;
constexpr double B_LO = 0.004, B_HI = 0.45, D_LO = -0.36, D_HI = 0.16;
constexpr double RECOIL_P_MIN = 0.1;
const double LOG_B = std::log(B_HI / B_LO), LOG_B_LO = std::log(B_LO), LOG_ME = std::log(ELECTRON_MASS),
             LOG_PT_HARD2 = std::log(LEPTON_PT_HARD * LEPTON_PT_HARD);

inline double breitWheelerDcos(double w, double cosTheta) {
  const double b2 = 1 - (4 * MUON_MASS * MUON_MASS) / (w * w);
  if (b2 <= 0) return 0;
  const double b = std::sqrt(b2);
  const double s2 = 1 - cosTheta * cosTheta;
  const double den = 1 - b2 * cosTheta * cosTheta;
  return ((2 * PI * ALPHA_EM * ALPHA_EM * b) / (w * w)) * (1 + 2 * b2 * s2 - b2 * b2 - b2 * b2 * s2 * s2) / (den * den);
}

inline double logSum(double logA, double a, double d) {
  const double z = d / a;
  if (z >= 1e-4) return std::log(a + d);
  return logA + z * (1 - z * (0.5 - z * (1.0 / 3 - z * 0.25)));
}

struct TwoPhoton {
  Ctx& c;
  bool capped = false;
  double bandLo = 0, bandHi = 0;

  void band(double x2, double tauMin) {
    const double cc = 1 - c.gen.bandR * (1 - x2);
    bandLo = jsMax(tauMin / x2, cc + D_LO);
    bandHi = jsMin(0.999, cc + D_HI);
  }

  bool leptonSeen(const double* ev, int o) const {
    if (!(ev[o] > 0.2)) return false;
    const double cz = ev[o + 3] / std::sqrt(ev[o + 1] * ev[o + 1] + ev[o + 2] * ev[o + 2] + ev[o + 3] * ev[o + 3]);
    return cz < c.gen.cosEclMinus && -cz < c.gen.cosEclPlus;
  }

  bool recoilHopeless(const double* ev) const {
    const double re = ev[SLOT_SCRATCH] + ev[SLOT_SCRATCH2];
    const double rx = ev[SLOT_SCRATCH + 1] + ev[SLOT_SCRATCH2 + 1];
    const double ry = ev[SLOT_SCRATCH + 2] + ev[SLOT_SCRATCH2 + 2];
    const double rz = ev[SLOT_SCRATCH + 3] + ev[SLOT_SCRATCH2 + 3];
    const double pt = std::sqrt(rx * rx + ry * ry);
    if (pt * pt + rz * rz < RECOIL_P_MIN * RECOIL_P_MIN) return true;
    const double rzLab = c.gen.gammaCm * (rz + c.gen.boostBeta * re);
    return rzLab > c.gen.cotRecoilHi * pt || rzLab < c.gen.cotRecoilLo * pt;
  }

  double emitPhoton(double e, double x, double lx, double dir, double* __restrict ev, int o, bool bandOn) {
    Rng& rng = c.rng;
    const SimGenerator& g = c.gen;
    const double eOut = (1 - x) * e;
    const double lEOut2 = 2 * std::log(eOut);
    const double pOut = std::sqrt(jsMax(0, eOut * eOut - ELECTRON_MASS * ELECTRON_MASS));
    const double theta02 = (ELECTRON_MASS * ELECTRON_MASS * x * x) / ((1 - x) * (1 - x) * e * e);
    const double lo = 2 * (LOG_ME + lx) - lEOut2;
    const double hi = logSum(g.logThetaMax2, g.leptonAngleMax * g.leptonAngleMax, theta02);
    const double edge = bandOn ? (dir > 0 ? g.edgeMinus : g.edgePlus) : g.leptonAngleMax;
    const double thetaC = jsMin(edge, LEPTON_PT_HARD / eOut);
    const double lc = jsMax(lo, thetaC < edge ? logSum(LOG_PT_HARD2, LEPTON_PT_HARD * LEPTON_PT_HARD, ELECTRON_MASS * ELECTRON_MASS * x * x) - lEOut2
                                              : std::log(thetaC * thetaC + theta02));
    const double le = bandOn ? logSum(dir > 0 ? g.logEdgeMinus2 : g.logEdgePlus2, edge * edge, theta02) : hi;
    const bool hardRange = thetaC < edge && le > lc;
    double lt;
    if (rng.u01() < HARD_FRACTION && hardRange) lt = lc + (le - lc) * rng.u01();
    else lt = lo + (hi - lo) * rng.u01();
    const double qT = hardRange ? (1 - HARD_FRACTION) / (hi - lo) + (lt >= lc && lt <= le ? HARD_FRACTION / (le - lc) : 0) : 1 / (hi - lo);
    const double t = std::exp(lt);
    const double theta = std::sqrt(jsMax(0, t - theta02));
    const double q2 = e * e * (1 - x) * t;
    const double flux = (ALPHA_EM / (2 * PI * x)) * (1 + (1 - x) * (1 - x) - (2 * ELECTRON_MASS * ELECTRON_MASS * x * x) / q2);
    const Azimuth az = azimuth(rng);
    const double st = std::sin(theta);
    const double ct = std::sqrt(1 - st * st);
    set4(ev, o, eOut, pOut * st * az.c, pOut * st * az.s, dir * pOut * ct);
    return jsMax(0, flux) / qT;
  }

  double rawWeight(double sqrtS, double* __restrict ev) {
    Rng& rng = c.rng;
    const SimGenerator& gp = c.gen;
    const double s = sqrtS * sqrtS;
    const double e = sqrtS / 2;
    const double pBeam = std::sqrt(e * e - ELECTRON_MASS * ELECTRON_MASS);
    const double tauMin = (gp.wMin * gp.wMin) / s;
    const bool restrict_ = gp.restrictAcceptance;
    const bool bandOn = restrict_ && gp.importance;
    const double h = bandOn ? BAND_FRACTION : 0;
    double x1, x2, tau, y, yMax, lx1, lx2;
    double logBand = 0;
    if (bandOn && rng.u01() < h) {
      lx2 = LOG_B_LO + LOG_B * rng.u01();
      x2 = std::exp(lx2);
      band(x2, tauMin);
      const double a = bandLo, b = bandHi;
      if (!(a < b)) return 0;
      const double la = std::log(a);
      logBand = std::log(b) - la;
      lx1 = la + logBand * rng.u01();
      y = 0.5 * (lx1 - lx2);
      yMax = jsMin(gp.rapidityMax, -0.5 * (lx1 + lx2));
      if (std::fabs(y) > yMax) return 0;
      x1 = std::exp(lx1);
      tau = x1 * x2;
      if (tau < tauMin) return 0;
    } else {
      tau = 1 / (1 / tauMin - (1 / tauMin - 1) * rng.u01());
      const double yKin = -0.5 * std::log(tau);
      yMax = restrict_ ? jsMin(gp.rapidityMax, yKin) : yKin;
      y = yMax * (2 * rng.u01() - 1);
      const double ey = std::exp(y), rt = std::sqrt(tau);
      x1 = rt * ey;
      x2 = rt / ey;
      lx1 = y - yKin;
      lx2 = -y - yKin;
      if (x1 >= 1 || x2 >= 1) return 0;
    }
    const double gA = 1 / (tau * tau * (1 / tauMin - 1) * 2 * yMax);
    double g = (1 - h) * gA;
    if (logBand > 0) {
      g += h / (x2 * LOG_B * x1 * logBand);
    } else if (h > 0 && x2 >= B_LO && x2 <= B_HI) {
      band(x2, tauMin);
      const double a = bandLo, b = bandHi;
      if (a < b && x1 >= a && x1 <= b) g += h / (x2 * LOG_B * x1 * std::log(b / a));
    }
    double w = 1 / g;
    w *= emitPhoton(e, x1, lx1, +1, ev, SLOT_SCRATCH, bandOn);
    if (bandOn && leptonSeen(ev, SLOT_SCRATCH)) return 0;
    w *= emitPhoton(e, x2, lx2, -1, ev, SLOT_SCRATCH2, bandOn);
    if (bandOn && (leptonSeen(ev, SLOT_SCRATCH2) || recoilHopeless(ev))) return 0;
    double bf[8];
    set4(bf, 0, e, 0, 0, pBeam);
    sub4(bf, 0, ev, SLOT_SCRATCH, bf, 0);
    set4(bf, 4, e, 0, 0, -pBeam);
    sub4(bf, 4, ev, SLOT_SCRATCH2, bf, 4);
    copy4(bf, 0, ev, SLOT_INVISIBLE);
    add4(bf, 4, ev, SLOT_INVISIBLE);
    const double pe = ev[SLOT_INVISIBLE], px = ev[SLOT_INVISIBLE + 1], py = ev[SLOT_INVISIBLE + 2], pz = ev[SLOT_INVISIBLE + 3];
    const double w2 = pe * pe - px * px - py * py - pz * pz;
    if (!(pe > 0) || w2 <= 4 * MUON_MASS * MUON_MASS * 1.0001) return 0;
    const double W = std::sqrt(w2);
    const double beta = std::sqrt(1 - (4 * MUON_MASS * MUON_MASS) / w2);
    boostFromRest(bf, 0, pe, -px, -py, -pz, W);
    const double qn = std::sqrt(bf[1] * bf[1] + bf[2] * bf[2] + bf[3] * bf[3]);
    const double aKin = std::atanh(beta);
    const double a = restrict_ ? jsMin(aKin, jsMax(0, gp.rapidityMax - std::fabs(y))) : aKin;
    if (a <= 0) return 0;
    const double cth = std::tanh(a * (2 * rng.u01() - 1)) / beta;
    const double gc = beta / ((1 - beta * beta * cth * cth) * 2 * a);
    w *= breitWheelerDcos(W, cth) / gc;
    if (gp.cap > 0) {
      const double wOut = (w * HBARC2_NB) / gp.rawNorm;
      if (wOut < gp.cap) {
        if (rng.u01() * gp.cap >= wOut) return 0;
        capped = true;
      }
    }
    const double k = std::sqrt(w2 / 4 - MUON_MASS * MUON_MASS);
    const int first = rng.u01() < 0.5 ? SLOT_MU_PLUS : SLOT_MU_MINUS;
    const int second = first == SLOT_MU_PLUS ? SLOT_MU_MINUS : SLOT_MU_PLUS;
    const Azimuth az = azimuth(rng);
    setAlong(ev, first, MUON_MASS, k, cth, az.c, az.s, bf[1] / qn, bf[2] / qn, bf[3] / qn);
    boostFromRest(ev, first, pe, px, py, pz, W);
    const bool checks = gp.hasDetector;
    if (checks && hopelessCm(ev, first, sqrtS, c.det, c.beams)) return 0;
    sub4(ev, SLOT_INVISIBLE, ev, first, ev, second);
    if (checks && hopelessCm(ev, second, sqrtS, c.det, c.beams)) return 0;
    set4(ev, SLOT_INVISIBLE, 0, 0, 0, 0);
    copy4(ev, SLOT_SCRATCH, ev, SLOT_LOST);
    add4(ev, SLOT_SCRATCH2, ev, SLOT_LOST);
    return w;
  }

  double generateCM(double sqrtS, double* __restrict ev) {
    capped = false;
    const double w = rawWeight(sqrtS, ev);
    if (!(w > 0)) return 0;
    return capped ? c.gen.cap : (w * HBARC2_NB) / c.gen.rawNorm;
  }
};

// process.ts (generateCollision)
double generateCollision(Ctx& c, TwoPhoton& eemumu, double* __restrict ev) {
  double boost[1];
  const double sqrtS = sampleCollision(c, ev, boost);
  const double beta = boost[0];
  for (int k = SLOT_MU_PLUS; k < TRUTH_LENGTH; k++) ev[k] = 0;
  double w;
  switch (c.gen.kind) {
    case SIM_SIGNAL: w = signalCM(c, sqrtS, ev); break;
    case SIM_MUMU_GAMMA: w = mumuGammaCM(c, sqrtS, ev); break;
    case SIM_TAU_TAU: w = tauTauCM(c, sqrtS, ev); break;
    default: w = eemumu.generateCM(sqrtS, ev); break;
  }
  if (!(w > 0)) return 0;
  const double gamma = ev[SLOT_INITIAL] / sqrtS;
  for (int o = SLOT_MU_PLUS; o < TRUTH_LENGTH; o += 4) boostZ(ev, o, beta, gamma);
  if (c.gen.kind == SIM_EE_MUMU && (inCalorimeter(ev, SLOT_SCRATCH, c.det) || inCalorimeter(ev, SLOT_SCRATCH2, c.det))) return 0;
  return w;
}

}  // namespace

int64_t simulateRun(const SimJobArgs& a, uint32_t state[4], int64_t trials, float* const cols[SC_COUNT], int64_t* row, int64_t capacity) {
  Rng rng{state[0], state[1], state[2], state[3], &a.zig};
  Ctx c{a.det, a.beams, a.gen, rng};
  TwoPhoton eemumu{c};
  double ev[TRUTH_LENGTH], reco[RECO_LENGTH];
  const double cap = a.unweightCap;
  int64_t r = *row, i = 0;
  while (i < trials && r < capacity) {
    i++;
    double w = generateCollision(c, eemumu, ev);
    if (w <= 0) continue;
    if (w != 1 && w < cap) {
      if (rng.u01() * cap >= w) continue;
      w = cap;
    }
    if (!reconstruct(c, ev, reco)) continue;
    cols[SC_F1][r] = static_cast<float>(reco[RECO_PT_THRUST]);
    cols[SC_F2][r] = static_cast<float>(reco[RECO_PT_REL]);
    cols[SC_F3][r] = static_cast<float>(reco[RECO_PL_REL]);
    cols[SC_F4][r] = static_cast<float>(reco[RECO_PT_DIMUON]);
    const double m2 = reco[RECO_RECOIL_MASS2];
    cols[SC_M2][r] = static_cast<float>(m2);
    cols[SC_M][r] = static_cast<float>(m2 >= 0 ? std::sqrt(m2) : -std::sqrt(-m2));
    cols[SC_WEIGHT][r] = static_cast<float>(w * a.weightPerUnit);
    for (int k = 0; k < 8; k++) cols[SC_MU0 + k][r] = static_cast<float>(reco[k]);
    r++;
  }
  state[0] = rng.s0; state[1] = rng.s1; state[2] = rng.s2; state[3] = rng.s3;
  *row = r;
  return i;
}

double twoPhotonWeightSum(const SimJobArgs& a, uint32_t state[4], int64_t n, double sqrtS) {
  Rng rng{state[0], state[1], state[2], state[3], &a.zig};
  Ctx c{a.det, a.beams, a.gen, rng};
  TwoPhoton eemumu{c};
  double ev[TRUTH_LENGTH] = {0};
  double sum = 0;
  for (int64_t i = 0; i < n; i++) sum += eemumu.rawWeight(sqrtS, ev);
  state[0] = rng.s0; state[1] = rng.s1; state[2] = rng.s2; state[3] = rng.s3;
  return sum;
}

}  // namespace fomlab
