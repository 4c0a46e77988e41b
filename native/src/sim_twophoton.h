// src/simulate/twophoton.ts (TwoPhotonMuMu: sampler, weights, pre-checks) and breitwheeler.ts in C++ (for
// simulate.cc) — same names, same arithmetic, same draws.
#pragma once
#include <cmath>

#include "sim_detector.h"

namespace fomlab {
namespace sim {
namespace {  // internal: included by simulate.cc only (lets GCC inline as in one file)

// twophoton.ts (TwoPhotonMuMu)
constexpr double LEPTON_PT_HARD = 0.3, HARD_FRACTION = 0.5, BAND_FRACTION = 0.85;
constexpr double B_LO = 0.004, B_HI = 0.45, D_LO = -0.36, D_HI = 0.16;
constexpr double RECOIL_P_MIN = 0.1;
const double LOG_B = std::log(B_HI / B_LO), LOG_B_LO = std::log(B_LO), LOG_ME = std::log(ELECTRON_MASS),
             LOG_PT_HARD2 = std::log(LEPTON_PT_HARD * LEPTON_PT_HARD);

// breitwheeler.ts
inline double breitWheelerDcos(double w, double cosTheta) {
  const double b2 = 1 - (4 * MUON_MASS * MUON_MASS) / (w * w);
  if (b2 <= 0) return 0;
  const double b = std::sqrt(b2);
  const double s2 = 1 - cosTheta * cosTheta;
  const double den = 1 - b2 * cosTheta * cosTheta;
  return ((2 * PI * ALPHA_EM * ALPHA_EM * b) / (w * w)) * (1 + 2 * b2 * s2 - b2 * b2 - b2 * b2 * s2 * s2) / (den * den);
}

// twophoton.ts (logSum)
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

}  // namespace
}  // namespace sim
}  // namespace fomlab
