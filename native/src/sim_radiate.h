// src/simulate/signal.ts (ZprimeSignal.radiate) in C++: a vector of mass m radiated off a lepton pair in the
// quasi-collinear approximation — the invisible channel's signal (simulate.cc) and the visible channel's
// Z′ and γ* (sim_mumu.h). Same names, same arithmetic, same draws as the TypeScript.
#pragma once
#include <cmath>

#include "sim_detector.h"

namespace fomlab {
namespace sim {
namespace {  // internal: included by the simulate*.cc files only

// ZprimeSignal.radiate with radiator mass mu; checks: the truth pre-checks (hopelessCm) of a generator built
// with a detector. Fills ev (CM frame); returns 1, or 0 when a pre-check fails.
inline double radiate(Ctx& c, double sqrtS, double* __restrict ev, double m, double mu, bool checks) {
  Rng& rng = c.rng;
  const double lo = m * (m + 2 * mu);
  const double hi = (sqrtS - mu) * (sqrtS - mu) - mu * mu;
  const double logRatio = std::log(hi / lo);
  const double bound = (sqrtS * sqrtS - 2 * mu * mu - lo) / (sqrtS * sqrtS);
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

}  // namespace
}  // namespace sim
}  // namespace fomlab
