// src/simulate/zprime-mumu/{processes,material,bethe-heitler}.ts in C++ (for simulate_mumu.cc): the signal and the
// four-lepton processes (a vector radiated off a lepton pair, decayed into μ⁺μ⁻), e⁺e⁻ → γγ with both photons
// converting into muon pairs in the material map, and the Bethe–Heitler sampler. Same names, same arithmetic,
// same draws as the TypeScript, which carries the physics comments and citations.
#pragma once
#include <cmath>

#include "sim_radiate.h"
#include "simulate_mumu.h"

namespace fomlab {
namespace sim {
namespace {  // internal: included by simulate_mumu.cc only

// processes.ts
constexpr double BEAM_SPOT_X = 0.001, BEAM_SPOT_Z = 0.035;
constexpr int TRUTH_MUONS = 16, TRUTH_VERTICES = 6;
// bethe-heitler.ts
const double SQRT_E = std::sqrt(2.718281828459045);
constexpr double R_E_CM = 2.8179403262e-13;
constexpr double R_C_CM = (R_E_CM * ELECTRON_MASS) / MUON_MASS;
constexpr double ALPHA = 1 / 137.035999;
constexpr double POW_SAT = -0.88;
constexpr double MU_PAIR_THRESHOLD = 4 * MUON_MASS;
// material.ts
constexpr double AVOGADRO = 6.02214076e23;

// The beam spot: the prompt vertex of both pairs (promptVertices).
inline void promptVertices(Rng& rng, double* vtx) {
  const double x = BEAM_SPOT_X * rng.normal();
  const double z = BEAM_SPOT_Z * rng.normal();
  vtx[0] = x; vtx[1] = 0; vtx[2] = z;
  vtx[3] = x; vtx[4] = 0; vtx[5] = z;
}

// radiateAndDecay: a vector of mass m off a lepton pair of mass radiator, decayed isotropically into μ⁺μ⁻
inline double radiateAndDecay(Ctx& c, double sqrtS, double* __restrict ev, double m, double radiator) {
  if (radiate(c, sqrtS, ev, m, radiator, false) <= 0) return 0;
  const Azimuth az = azimuth(c.rng);
  const double cosDecay = 2 * c.rng.u01() - 1;
  decayTwoBody(ev, SLOT_INVISIBLE, m, MUON_MASS, cosDecay, az.c, az.s, SLOT_LOST, SLOT_SCRATCH, twoBodyMomentum(m, MUON_MASS, MUON_MASS));
  return 1;
}

// FourLeptonBackground.drawMass: inverse CDF of the tabulated γ* spectrum, uniform in ln m² within a bin
inline double drawMass(Rng& rng, const MumuJobArgs& a) {
  const double u = rng.u01();
  int lo = 0, hi = a.spectrumPoints - 1;
  while (hi - lo > 1) {
    const int mid = (lo + hi) >> 1;
    if (a.cdf[mid] <= u) lo = mid;
    else hi = mid;
  }
  const double span = a.cdf[hi] - a.cdf[lo];
  const double f = (u - a.cdf[lo]) / (span != 0 && span == span ? span : 1);  // (… || 1)
  return std::exp(0.5 * (a.lnM2[lo] + f * (a.lnM2[hi] - a.lnM2[lo])));
}

// RadiatedMuonPair.generate (generateCollision of process.ts without a lab veto, then copyRadiated and the
// prompt vertices): the signal and the four-lepton processes
inline double generateRadiated(Ctx& c, const MumuJobArgs& a, double* __restrict ev, double* mu, double* vtx) {
  double boost[1];
  const double sqrtS = sampleCollision(c, ev, boost);
  const double beta = boost[0];
  for (int k = SLOT_MU_PLUS; k < TRUTH_LENGTH; k++) ev[k] = 0;
  double w;
  if (a.kind == MUMU_SIGNAL) {
    w = radiateAndDecay(c, sqrtS, ev, a.zprimeMass, a.radiatorMass);
  } else {
    const double m = drawMass(c.rng, a);
    w = m + 2 * a.radiatorMass >= sqrtS ? 0 : radiateAndDecay(c, sqrtS, ev, m, a.radiatorMass);
  }
  if (!(w > 0)) return 0;
  const double gamma = ev[SLOT_INITIAL] / sqrtS;
  for (int o = SLOT_MU_PLUS; o < TRUTH_LENGTH; o += 4) boostZ(ev, o, beta, gamma);
  for (int j = 0; j < 4; j++) {
    mu[j] = ev[SLOT_LOST + j];
    mu[4 + j] = ev[SLOT_SCRATCH + j];
    mu[8 + j] = ev[SLOT_MU_PLUS + j];
    mu[12 + j] = ev[SLOT_MU_MINUS + j];
  }
  promptVertices(c.rng, vtx);
  return w;
}

// bethe-heitler.ts muPairDsigmaDx
inline double muPairDsigmaDx(const MumuLayer& c, double e, double x) {
  const double xpm = x * (1 - x);
  if (!(xpm > MUON_MASS / e)) return 0;
  const double del = (MUON_MASS * MUON_MASS) / (2 * e * xpm);
  const double W = (c.wInf * (1 + ((c.dn * SQRT_E - 2) * del) / MUON_MASS)) / (1 + c.sBZ * del);
  return W > 1 ? (1 - (4.0 / 3) * xpm) * std::log(W) : 0;
}

// bethe-heitler.ts muPairCrossSection [cm²] (the layer's constants are betheHeitlerConstants of its element)
inline double muPairCrossSection(const MumuLayer& c, double e) {
  if (e <= MU_PAIR_THRESHOLD) return 0;
  const double B = c.Z == 1 ? 202.4 : 183;
  const double wMedAppr = 1 / (4 * c.dn * SQRT_E * MUON_MASS);
  const double wSatur = c.wInf / wMedAppr;
  const double powThres = 1.479 + 0.00799 * c.dn;
  const double eCor = -18 + 4347 / (B * c.zThird);
  const double corFuc = 1 + 0.04 * std::log(1 + eCor / e);
  const double eg = std::pow(1 - MU_PAIR_THRESHOLD / e, powThres) * std::pow(std::pow(wSatur, POW_SAT) + std::pow(e, POW_SAT), 1 / POW_SAT);
  return (7.0 / 9) * 4 * ALPHA * c.Z * c.Z * R_C_CM * R_C_CM * std::log(1 + wMedAppr * corFuc * eg);
}

// material.ts ConversionMaterial.perRadiationLength: k(E) of layer i from the table at table coordinate
// u = (ln e − ln E₀)/Δ (the TypeScript computes u per layer from Math.log(e): the same number for every layer, so
// materialConvert computes it once per photon)
inline double perRadiationLength(const MumuJobArgs& a, int i, double e, double u) {
  if (!(u > 0)) return 0;
  if (u >= a.tablePoints - 1) {
    const MumuLayer& l = a.layers[i];
    return (muPairCrossSection(l, e) * AVOGADRO * l.radiationLength) / l.A;
  }
  const int j = static_cast<int>(std::floor(u));
  const double f = u - j;
  const double* t = a.kTable + static_cast<int64_t>(i) * a.tablePoints + j;
  return t[0] + f * (t[1] - t[0]);
}

// material.ts ConversionMaterial.convert: the conversion probability, the layer in *layerOut
inline double materialConvert(const MumuJobArgs& a, double e, double sinTheta, double u, int* layerOut) {
  const int n = a.nLayers;
  double prob[MUMU_MAX_LAYERS];
  double total = 0;
  const double uTable = (std::log(e) - a.lnE0) / a.dLnE;
  for (int i = 0; i < n; i++) {
    const double p = (a.layers[i].x0Fraction / sinTheta) * perRadiationLength(a, i, e, uTable);
    prob[i] = p;
    total += p;
  }
  if (!(total > 0)) return 0;
  double acc = 0;
  const double target = u * total;
  *layerOut = n - 1;
  for (int i = 0; i < n; i++) {
    acc += prob[i];
    if (target < acc) {
      *layerOut = i;
      break;
    }
  }
  return total;
}

struct MuPairDraw { double x, thetaPlus, thetaMinus, phiHalf2; };

// bethe-heitler.ts sampleMuPair
inline MuPairDraw sampleMuPair(Rng& rng, const MumuLayer& c, double e) {
  const double inv = MUON_MASS / e;
  const double sq = std::sqrt(0.25 - inv);
  const double xMin = 0.5 - sq, xMax = 0.5 + sq;
  const double logWmaxInv = 1 / std::log((c.wInf * (1 + 2 * (c.dn * SQRT_E - 2) * inv)) / (1 + 2 * c.sBZ * MUON_MASS * inv));
  double x;
  for (;;) {
    x = xMin + (xMax - xMin) * rng.u01();
    if (rng.u01() <= muPairDsigmaDx(c, e, x) * logWmaxInv) break;
  }
  const double xpm = x * (1 - x);
  for (;;) {
    const double c1s = (0.2 * c.a27 * inv) / (2 * xpm);
    const double c1 = c1s * c1s;
    const double f1Max = (1 - xpm) / ((1 + c1) * (1 + c1));
    double t;
    for (;;) {
      t = rng.u01();
      const double den = 1 + c1 / (t * t);
      if (rng.u01() * f1Max <= (1 - 2 * xpm + 4 * xpm * t * (1 - t)) / (den * den)) break;
    }
    const double f2Max = 1 - 2 * xpm * (1 - 4 * t * (1 - t));
    double psi;
    // squeeze: 1 + cos 2ψ ≥ 0, so the right side, fl(fl(1 − 2x₊x₋) + b) with b ≥ 0, is never below fl(1 − 2x₊x₋)
    // (rounding is monotone): a draw under that is accepted without the cosine — the TypeScript's decisions, draws
    // and numbers exactly, one cos fewer for most ψ (fl(1 − 2x₊x₋)/f2Max ≥ ½)
    const double psiFloor = 1 - 2 * xpm;
    for (;;) {
      psi = 2 * PI * rng.u01();
      const double lhs = rng.u01() * f2Max;
      if (lhs <= psiFloor || lhs <= psiFloor + 4 * xpm * t * (1 - t) * (1 + std::cos(2 * psi))) break;
    }
    const double c2t1 = inv / (2 * xpm * t);
    const double q = c2t1 * c2t1 + c.c2Term2 * c.c2Term2;
    const double c2 = (4 / std::sqrt(xpm)) * (q * q);
    const double rhoMax = (1.9 / c.a27) * (1 / t - 1);
    const double rhoMax2 = rhoMax * rhoMax;
    const double beta = std::log((c2 + rhoMax2 * rhoMax2) / c2);
    const double rho = std::sqrt(std::sqrt(c2 * (std::exp(beta * rng.u01()) - 1)));
    const double u = std::sqrt(1 / t - 1);
    const double xiHalf = 0.5 * rho * std::cos(psi);
    const double thetaPlus = (inv * (u + xiHalf)) / x;
    const double thetaMinus = (inv * (u - xiHalf)) / (1 - x);
    if (std::fabs(thetaPlus) > PI || std::fabs(thetaMinus) > PI) continue;
    return {x, thetaPlus, thetaMinus, (rho / u) * std::sin(psi)};
  }
}

// processes.ts placeMuon: a muon of energy E at polar angle θ (negative: the opposite azimuth) and azimuth φ about n̂
inline void placeMuon(double* mu, int o, double E, double theta, double phi, double nx, double ny, double nz) {
  const double p = std::sqrt(jsMax(0, E * E - MUON_MASS * MUON_MASS));
  const double sign = theta < 0 ? -1 : 1;  // Math.sign(theta || 1)
  setAlong(mu, o, MUON_MASS, p, std::cos(theta), std::cos(phi) * sign, std::sin(phi) * sign, nx, ny, nz);
}

// PhotonConversionBackground.convert: the lab photon at ev[o] converts; μ⁺ into mu[mo], μ⁻ into mu[mo + 4]
inline double convertPhoton(Ctx& c, const MumuJobArgs& a, const double* ev, int o, double* mu, int mo, double* vtx, int vo, double x0, double z0) {
  const double e = ev[o];
  if (e <= MU_PAIR_THRESHOLD) return 0;
  const double nx = ev[o + 1] / e, ny = ev[o + 2] / e, nz = ev[o + 3] / e;
  const double sinT = std::sqrt(nx * nx + ny * ny);
  int layer = 0;
  const double p = materialConvert(a, e, sinT, c.rng.u01(), &layer);
  if (!(p > 0)) return 0;
  const double path = a.layers[layer].radius / sinT;
  vtx[vo] = x0 + path * nx;
  vtx[vo + 1] = path * ny;
  vtx[vo + 2] = z0 + path * nz;
  const MuPairDraw d = sampleMuPair(c.rng, a.layers[layer], e);
  const double phi0 = 2 * PI * c.rng.u01();
  placeMuon(mu, mo, d.x * e, d.thetaPlus, phi0 + 0.5 * d.phiHalf2, nx, ny, nz);
  placeMuon(mu, mo + 4, (1 - d.x) * e, d.thetaMinus, phi0 - 0.5 * d.phiHalf2 + PI, nx, ny, nz);
  return p;
}

// PhotonConversionBackground.generate: e⁺e⁻ → γγ, both photons converting into muon pairs
inline double generateConversion(Ctx& c, const MumuJobArgs& a, double* __restrict ev, double* mu, double* vtx) {
  Rng& rng = c.rng;
  double boost[1];
  const double sqrtS = sampleCollision(c, ev, boost);
  const double beta = boost[0], gamma = ev[0] / sqrtS;
  double cosT;
  do cosT = std::tanh(a.atanhMax * (2 * rng.u01() - 1));
  while (2 * rng.u01() > 1 + cosT * cosT);
  const Azimuth az = azimuth(rng);
  const double e = sqrtS / 2;
  setPolar(ev, SLOT_SCRATCH, 0, e, cosT, az.c, az.s);
  set4(ev, SLOT_SCRATCH2, e, -ev[SLOT_SCRATCH + 1], -ev[SLOT_SCRATCH + 2], -ev[SLOT_SCRATCH + 3]);
  boostZ(ev, SLOT_SCRATCH, beta, gamma);
  boostZ(ev, SLOT_SCRATCH2, beta, gamma);
  const double x0 = BEAM_SPOT_X * rng.normal();
  const double z0 = BEAM_SPOT_Z * rng.normal();
  const double w1 = convertPhoton(c, a, ev, SLOT_SCRATCH, mu, 0, vtx, 0, x0, z0);
  if (!(w1 > 0)) return 0;
  const double w2 = convertPhoton(c, a, ev, SLOT_SCRATCH2, mu, 8, vtx, 3, x0, z0);
  return w1 * w2;
}

}  // namespace
}  // namespace sim
}  // namespace fomlab
