// The built-in simulator's event loop in C++ (src/simulate/native.ts drives it): the same generators,
// detector and reconstruction as src/simulate/*.ts, statement for statement and draw for draw, so a seed
// gives the same events (to the last bits of libm's exp/log) on either path.
#pragma once
#include <cstdint>

namespace fomlab {

// DetectorConfig and NominalBeams of src/simulate/detector.ts (same names)
struct SimDetector {
  double herEnergy, lerEnergy, herSpread, lerSpread, ptResolutionSlope, ptResolutionConstant, angleResolution,
      angleMultipleScattering, muonThetaMin, muonThetaMax, muonPtMin, trackPtMin, recoilThetaMin, recoilThetaMax,
      recoilMomentumMin, eclThetaMin, eclThetaMax, eclEnergyMin, photonInefficiency;
};
struct SimBeams {
  double energy, pz, sqrtS, beta, gamma, cosMuonLo, cosMuonHi, cosMuonLoLoose, cosMuonHiLoose, cosRecoilLo, cosRecoilHi,
      cosMuonMin, sinMuonMin, cosMuonMax, sinMuonMax, cosRecoilMin, sinRecoilMin, cosRecoilMax, sinRecoilMax;
};

// process ids as CATEGORY in src/simulate/process.ts
enum SimKind { SIM_SIGNAL = 0, SIM_MUMU_GAMMA = 1, SIM_TAU_TAU = 2, SIM_EE_MUMU = 3 };

// ZprimeSignal / MuMuGamma / TauPairToMuons / TwoPhotonMuMu fields (same names; see their files)
struct SimGenerator {
  int kind;
  bool hasDetector;  // the generators' truth pre-checks (hopelessCm) are on
  double zprimeMass;  // signal
  double photonEnergyMin, cosThetaMin, cosThetaMax, betaE;  // μμγ
  // eeμμ (TwoPhotonMuMu): options, derived constants and job settings
  double wMin, rapidityMax, leptonAngleMax, boostBeta, bandR, cosEclMinus, cosEclPlus, cotRecoilLo, cotRecoilHi, gammaCm,
      rawNorm, logThetaMax2, edgeMinus, edgePlus, logEdgeMinus2, logEdgePlus2, cap;
  bool importance, restrictAcceptance;
};

// ziggurat tables of src/simulate/random.ts (computed there, so both paths draw the same normals)
struct SimZiggurat {
  const int32_t* k;
  const double* w;
  const double* f;
};

struct SimJobArgs {
  SimDetector det;
  SimBeams beams;
  SimGenerator gen;
  SimZiggurat zig;
  double weightPerUnit, unweightCap;
};

// the columns written per event (the rest are constant per job and filled by the caller)
enum SimColumn { SC_F1, SC_F2, SC_F3, SC_F4, SC_M2, SC_M, SC_WEIGHT, SC_MU0, SC_COUNT = SC_MU0 + 8 };

// Runs up to `trials` collisions of the job (run.ts's runJob), writing passing events at rows
// [*row, capacity) of cols; stops early when the chunk is full. Returns the collisions consumed;
// `state` (xoshiro128**) is read and written back.
int64_t simulateRun(const SimJobArgs& a, uint32_t state[4], int64_t trials, float* const cols[SC_COUNT], int64_t* row,
                    int64_t capacity);

// Σ of TwoPhotonMuMu.rawWeight at √s = sqrtS over n points (its integrate()), in GeV⁻².
double twoPhotonWeightSum(const SimJobArgs& a, uint32_t state[4], int64_t n, double sqrtS);

}  // namespace fomlab
