// src/simulate/detector.ts in C++ (for simulate.cc): beam-energy spread, muon smearing, the truth pre-checks
// and reconstruct() — same names, same arithmetic, same draws.
#pragma once
#include <cmath>

#include "sim_kinematics.h"

namespace fomlab {
namespace sim {
namespace {  // internal: included by simulate.cc only (lets GCC inline as in one file)

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

inline bool reconstruct(Ctx& c, const double* __restrict ev, double* __restrict reco) {
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

}  // namespace
}  // namespace sim
}  // namespace fomlab
