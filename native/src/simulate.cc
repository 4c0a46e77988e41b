// The simulator's event loop: a line-by-line port of src/simulate/{process,signal,backgrounds,run}.ts, with
// random.ts + kinematics.ts in sim_kinematics.h, detector.ts in sim_detector.h, signal.ts's radiate in
// sim_radiate.h and twophoton.ts in sim_twophoton.h (the TypeScript is the reference and carries the physics comments and citations; names
// here are the same). Written by hand because no library generates these processes; it runs ≈ 2× faster
// than the TypeScript (bench/simulate.bench.ts). Every random draw happens in the same order as there —
// C++ leaves the order of argument evaluation open, so draws are never two to a call.
#include "simulate.h"

#include <cmath>

#include "sim_radiate.h"
#include "sim_twophoton.h"

namespace fomlab {
namespace {
using namespace sim;

// signal.ts (ZprimeSignal.generateCM)
double signalCM(Ctx& c, double sqrtS, double* __restrict ev) { return radiate(c, sqrtS, ev, c.gen.zprimeMass, MUON_MASS, c.gen.hasDetector); }

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
