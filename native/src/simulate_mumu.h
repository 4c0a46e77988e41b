// The visible dark-photon channel's event loop in C++ (src/simulate/zprime-mumu/native.ts drives it): the
// same processes, material, Bethe–Heitler sampler, detector and reconstruction as src/simulate/zprime-mumu/*.ts,
// statement for statement and draw for draw, so a seed gives the same rows on either path.
#pragma once
#include <cstdint>

#include "simulate.h"

namespace fomlab {

// process ids: MUMU_CATEGORY of zprime-mumu/processes.ts
enum MumuKind { MUMU_SIGNAL = 0, MUMU_FOUR_MUON = 1, MUMU_EE_MUMU = 2, MUMU_CONVERSION = 3 };

// one material layer (material.ts MaterialLayer) with its Bethe–Heitler constants (bethe-heitler.ts BheConstants)
struct MumuLayer {
  double radius, x0Fraction, Z, A, radiationLength;
  double zThird, a27, dn, wInf, sBZ, c2Term2;
};

constexpr int MUMU_MAX_LAYERS = 16;

struct MumuJobArgs {
  SimDetector det;
  SimBeams beams;
  SimZiggurat zig;
  int kind;
  double zprimeMass;    // signal: the Z′ mass
  double radiatorMass;  // signal and four-lepton processes: the radiating lepton's mass
  // four-lepton processes: the tabulated γ* mass spectrum (fourLeptonSpectrum)
  const double* lnM2;
  const double* cdf;
  int spectrumPoints;
  // conversions: PhotonConversionBackground's atanh(c₀) and ConversionMaterial's table of k(E)
  double atanhMax;
  int nLayers;
  MumuLayer layers[MUMU_MAX_LAYERS];
  const double* kTable;  // nLayers × tablePoints
  int tablePoints;
  double lnE0, dLnE;
  // the row's per-job values (index.ts simulateMumuEvents)
  double weightPerUnit, genMass, label, category, nGen;
  bool muonFourVectors;
};

// the columns written, in the order of MUMU_COLUMN_NAMES (index.ts); the four-vectors only with muonFourVectors
enum MumuColumn { MC_FEATURES = 0, MC_M = 9, MC_GEN_MASS, MC_LABEL, MC_WEIGHT, MC_CATEGORY, MC_N_GEN, MC_PAIRING, MC_EVENT, MC_MU0, MC_COUNT = MC_MU0 + 16 };

struct MumuRunState {
  int64_t row;     // next row to write (rows ≥ capacity go to the overflow buffer: an event's four rows straddle chunks)
  int64_t event;   // next selected-event number
  bool tooManyEvents;  // stopped: the next event number would be maxEvents
};

// Runs up to `trials` collisions of the job (index.ts simulateMumuEvents), writing the four rows of each selected
// event at rows [row, capacity) of cols, the rows beyond capacity (at most 3) into `overflow` (row-major, ncols
// per row); stops after the event that fills the chunk. Returns the collisions consumed; `state` (xoshiro128**)
// is read and written back.
int64_t simulateMumuRun(const MumuJobArgs& a, uint32_t state[4], int64_t trials, float* const* cols, int ncols, float* overflow,
                        int64_t capacity, int64_t maxEvents, MumuRunState* run);

}  // namespace fomlab
