// The visible dark-photon channel's event loop: a line-by-line port of src/simulate/zprime-mumu/index.ts
// (simulateMumuEvents) and reconstruct.ts (FourMuonReco), with the processes in sim_mumu.h and the invisible
// channel's beams and muon smearing in sim_detector.h. The TypeScript is the reference and carries the physics
// comments; names here are the same. Every random draw happens in the same order as there (never two to a call).
#include "simulate_mumu.h"

#include <cmath>

#include "sim_mumu.h"

namespace fomlab {
namespace {
using namespace sim;

constexpr double SILICON_RADII[6] = {1.4, 2.2, 3.9, 8.0, 10.4, 13.5};
constexpr double MISSED_LAYER_FACTOR[7] = {1, 1.5, 4, 6, 10, 15, 30};
constexpr double FOUR_MUON_MASS_WINDOW = 0.5;
constexpr int N_FEATURES = 9, NF = N_FEATURES + 1;

// reconstruct.ts impactResolution: σ(d₀), σ(z₀) [cm]
inline void impactResolution(double p, double beta, double sinT, double r, double* out) {
  int missed = 0;
  while (missed < 6 && SILICON_RADII[missed] < r) missed++;
  const double f = MISSED_LAYER_FACTOR[missed];
  const double pb = p * beta;
  const double s32 = sinT * std::sqrt(sinT);
  const double a = 0.0015 / (pb * s32), b = 0.002 / (pb * s32 * sinT);
  out[0] = f * std::sqrt(1e-6 + a * a);
  out[1] = f * std::sqrt(2.25e-6 + b * b);
}

// reconstruct.ts FourMuonReco
struct FourMuonReco {
  double smeared[16], ordered[16], point[12], pairs[20], rows[4 * NF], res[2], cm[16];
  // per ordered track: its unit direction (lab) and |p| in the CM frame — each pair and candidate reads them
  // (the TypeScript recomputes them per pair with the same formula: the same numbers)
  double unit[12], cmNorm[4];
  // per truth track: the smeared p_T and |p| of the acceptance check (placeTrack's pt and p: the same expressions
  // on the same values, which the TypeScript computes again)
  double smearedPt[4], smearedP[4];
  int order[4];

  bool reconstruct(Ctx& c, const double* mu, const double* vtx) {
    const SimDetector& det = c.det;
    const SimBeams& beams = c.beams;
    double* s = smeared;
    for (int t = 0; t < 4; t++) {
      const int o = 4 * t;
      const double pt = std::sqrt(mu[o + 1] * mu[o + 1] + mu[o + 2] * mu[o + 2]);
      if (pt < 0.8 * det.muonPtMin) return false;
      smearMuonPt(c, mu, o, s, o, pt, std::sqrt(pt * pt + mu[o + 3] * mu[o + 3]));
      const double spt = std::sqrt(s[o + 1] * s[o + 1] + s[o + 2] * s[o + 2]);
      if (spt <= det.muonPtMin) return false;
      const double sp = std::sqrt(spt * spt + s[o + 3] * s[o + 3]);
      smearedPt[t] = spt;
      smearedP[t] = sp;
      const double cosT = s[o + 3] / sp;
      if (!(cosT <= beams.cosMuonHi && cosT >= beams.cosMuonLo)) return false;
    }
    const double E = s[0] + s[4] + s[8] + s[12], px = s[1] + s[5] + s[9] + s[13];
    const double py = s[2] + s[6] + s[10] + s[14], pz = s[3] + s[7] + s[11] + s[15];
    const double m4 = std::sqrt(jsMax(0, E * E - px * px - py * py - pz * pz));
    if (!(std::fabs(m4 - beams.sqrtS) < FOUR_MUON_MASS_WINDOW)) return false;
    const int pHi = s[0] >= s[8] ? 0 : 2, mHi = s[4] >= s[12] ? 1 : 3;
    order[0] = pHi; order[1] = 2 - pHi; order[2] = mHi; order[3] = 4 - mHi;
    for (int k = 0; k < 4; k++) {
      const int t = order[k], v = t < 2 ? 0 : 3;
      const double x = vtx[v], y = vtx[v + 1];
      placeTrack(c.rng, t, k, x, y, vtx[v + 2], std::sqrt(x * x + y * y));
    }
    toCm(beams);
    for (int k = 0; k < 4; k++) {
      const double* q = ordered + 4 * k;
      const double n = 1 / std::sqrt(q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
      unit[3 * k] = q[1] * n; unit[3 * k + 1] = q[2] * n; unit[3 * k + 2] = q[3] * n;
      const double* c = cm + 4 * k;
      cmNorm[k] = std::sqrt(c[1] * c[1] + c[2] * c[2] + c[3] * c[3]);
    }
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 2; j++) pairVertex(2 * i + j, i, 2 + j);
    const double* P = pairs;
    for (int k = 0; k < 4; k++) {
      const int cc = 3 - k;
      double* row = rows + k * NF;
      row[0] = P[5 * k]; row[1] = P[5 * k + 1]; row[2] = P[5 * k + 2];
      row[3] = P[5 * cc]; row[4] = P[5 * cc + 1]; row[5] = P[5 * cc + 2];
      row[6] = P[5 * cc + 3];
      const int i = k >> 1, j = k & 1;
      const double ptA = ptRelative(i, 2 + j, 1 - i), ptB = ptRelative(i, 2 + j, 3 - j);
      row[7] = jsMin(ptA, ptB);
      row[8] = jsMax(ptA, ptB);
      row[9] = P[5 * k + 4];
    }
    return true;
  }

  void placeTrack(Rng& rng, int t, int k, double x, double y, double z, double r) {
    double* q = ordered;
    for (int j = 0; j < 4; j++) q[4 * k + j] = smeared[4 * t + j];
    const int o = 4 * k;
    const double pt = smearedPt[t], p = smearedP[t];
    impactResolution(p, p / q[o], pt / p, r, res);
    const double d = res[0] * rng.normal();
    const double dz = res[1] * rng.normal();
    point[3 * k] = x - (d * q[o + 2]) / pt;
    point[3 * k + 1] = y + (d * q[o + 1]) / pt;
    point[3 * k + 2] = z + dz;
  }

  void toCm(const SimBeams& beams) {
    const double b = beams.beta, g = beams.gamma;
    const double* q = ordered;
    for (int k = 0; k < 4; k++) {
      const int o = 4 * k;
      cm[o] = g * (q[o] - b * q[o + 3]);
      cm[o + 1] = q[o + 1];
      cm[o + 2] = q[o + 2];
      cm[o + 3] = g * (q[o + 3] - b * q[o]);
    }
  }

  void pairVertex(int k, int a, int b) {
    const double* q = ordered;
    const double* pt = point;
    const int oa = 4 * a, ob = 4 * b;
    const double ux = unit[3 * a], uy = unit[3 * a + 1], uz = unit[3 * a + 2];
    const double vx = unit[3 * b], vy = unit[3 * b + 1], vz = unit[3 * b + 2];
    const double wx = pt[3 * a] - pt[3 * b], wy = pt[3 * a + 1] - pt[3 * b + 1], wz = pt[3 * a + 2] - pt[3 * b + 2];
    const double B = ux * vx + uy * vy + uz * vz, D = ux * wx + uy * wy + uz * wz, Ew = vx * wx + vy * wy + vz * wz;
    const double den = 1 - B * B;
    double sa = 0, tb = Ew;
    if (den > 1e-12) {
      sa = (B * Ew - D) / den;
      tb = (Ew - B * D) / den;
    }
    const double X = 0.5 * (pt[3 * a] + sa * ux + pt[3 * b] + tb * vx);
    const double Y = 0.5 * (pt[3 * a + 1] + sa * uy + pt[3 * b + 1] + tb * vy);
    const double Z = 0.5 * (pt[3 * a + 2] + sa * uz + pt[3 * b + 2] + tb * vz);
    const double Px = q[oa + 1] + q[ob + 1], Py = q[oa + 2] + q[ob + 2], Pz = q[oa + 3] + q[ob + 3], Pe = q[oa] + q[ob];
    const double Pt2 = Px * Px + Py * Py;
    double* P = pairs + 5 * k;
    P[0] = std::sqrt(X * X + Y * Y);
    P[1] = (X * Py - Y * Px) / std::sqrt(Pt2);
    P[2] = Z - ((X * Px + Y * Py) / Pt2) * Pz;
    P[3] = cm[oa] + cm[ob];
    P[4] = std::sqrt(jsMax(0, Pe * Pe - Px * Px - Py * Py - Pz * Pz));
  }

  double ptRelative(int a, int b, int r) const {
    const double* c = cm;
    const int oa = 4 * a, ob = 4 * b, o = 4 * r;
    const double px = c[oa + 1] + c[ob + 1], py = c[oa + 2] + c[ob + 2], pz = c[oa + 3] + c[ob + 3];
    const double ux = c[o + 1], uy = c[o + 2], uz = c[o + 3];
    const double cx = py * uz - pz * uy, cy = pz * ux - px * uz, cz = px * uy - py * ux;
    return std::sqrt(cx * cx + cy * cy + cz * cz) / cmNorm[r];
  }
};

inline void fill4(float* col, float x) { col[0] = x; col[1] = x; col[2] = x; col[3] = x; }

}  // namespace

int64_t simulateMumuRun(const MumuJobArgs& a, uint32_t state[4], int64_t trials, float* const* cols, int ncols, float* overflow,
                        int64_t capacity, int64_t maxEvents, MumuRunState* run) {
  Rng rng{state[0], state[1], state[2], state[3], &a.zig};
  const SimGenerator noGenerator{};
  Ctx c{a.det, a.beams, noGenerator, rng};
  FourMuonReco reco;
  double ev[TRUTH_LENGTH] = {0}, mu[TRUTH_MUONS] = {0}, vtx[TRUTH_VERTICES] = {0};
  const int nVectors = a.muonFourVectors ? 16 : 0;
  // the per-job values of every row, as float32
  const float genMass = static_cast<float>(a.genMass), label = static_cast<float>(a.label);
  const float category = static_cast<float>(a.category), nGen = static_cast<float>(a.nGen);
  int64_t r = run->row, event = run->event, i = 0;
  run->tooManyEvents = false;
  while (i < trials && r < capacity) {
    i++;
    const double w = a.kind == MUMU_CONVERSION ? generateConversion(c, a, ev, mu, vtx) : generateRadiated(c, a, ev, mu, vtx);
    if (!(w > 0) || !reco.reconstruct(c, mu, vtx)) continue;
    if (event == maxEvents) {
      run->tooManyEvents = true;
      break;
    }
    const float weight = static_cast<float>(w * a.weightPerUnit);
    // the event's four rows into dst[column][at … at + 3] (the same float32 conversions as the TypeScript's stores)
    const auto putRows = [&](float* const* dst, int64_t at) {
      for (int f = 0; f < NF; f++) {
        float* col = dst[MC_FEATURES + f] + at;
        for (int k = 0; k < 4; k++) col[k] = static_cast<float>(reco.rows[k * NF + f]);
      }
      fill4(dst[MC_GEN_MASS] + at, genMass);
      fill4(dst[MC_LABEL] + at, label);
      fill4(dst[MC_WEIGHT] + at, weight);
      fill4(dst[MC_CATEGORY] + at, category);
      fill4(dst[MC_N_GEN] + at, nGen);
      float* pairing = dst[MC_PAIRING] + at;
      for (int k = 0; k < 4; k++) pairing[k] = static_cast<float>(k);
      fill4(dst[MC_EVENT] + at, static_cast<float>(event));
      for (int j = 0; j < nVectors; j++) fill4(dst[MC_MU0 + j] + at, static_cast<float>(reco.ordered[j]));
    };
    if (r + 4 <= capacity) {
      putRows(cols, r);
      r += 4;
    } else {
      // the event straddles the chunk: its rows into a four-row buffer first, the rows past the chunk then into the
      // overflow rows (row-major); the caller moves them into the next chunk
      float v[MC_COUNT][4];
      float* vCols[MC_COUNT];
      for (int j = 0; j < MC_COUNT; j++) vCols[j] = v[j];
      putRows(vCols, 0);
      for (int k = 0; k < 4; k++, r++)
        for (int j = 0; j < ncols; j++) {
          if (r < capacity) cols[j][r] = v[j][k];
          else overflow[(r - capacity) * ncols + j] = v[j][k];
        }
    }
    event++;
  }
  state[0] = rng.s0; state[1] = rng.s1; state[2] = rng.s2; state[3] = rng.s3;
  run->row = r;
  run->event = event;
  return i;
}

}  // namespace fomlab
