// XGBoost's histogram cuts ('hist', version 1.7): a weighted quantile sketch per column (Chen & Guestrin 2016,
// arXiv:1603.02754, Appendix A), pruned to max_bin + 1 entries whose values 1 … max_bin − 1 are the cuts, plus a last
// cut above the maximum. Learnt from the description of xgboost/src/common/quantile.h/.cc (WQSummary::SetPrune,
// SetCombine, WQuantileSketch, MakeCuts, AddCutPoint) and written anew; ranks are float as in XGBoost's
// WQuantileSketch<float, float>, so the cuts fall on the same values. TypeScript twin: src/models/gbdt/sketch.ts.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>
#include "gbdt.h"

namespace fomlab {
namespace {
constexpr int K_FACTOR = 8;  // entries kept per requested bin: ε = 1 / (8 · max_bin)

struct Entry { float rmin, rmax, wmin, value; };
inline float rminNext(const Entry& e) { return e.rmin + e.wmin; }
inline float rmaxPrev(const Entry& e) { return e.rmax - e.wmin; }

using Summary = std::vector<Entry>;

// keep ≤ maxSize entries at evenly spaced ranks, the ends always kept
void setPrune(Summary& out, const Summary& src, size_t maxSize) {
  if (src.size() <= maxSize) { out = src; return; }
  const float begin = src[0].rmax, range = src.back().rmin - src[0].rmax;
  const size_t n = maxSize - 1, last = src.size() - 1;
  out.clear();
  out.push_back(src[0]);
  size_t i = 1, lastIdx = 0;
  for (size_t k = 1; k < n; ++k) {
    const float dx2 = 2 * ((static_cast<float>(k) * range) / static_cast<float>(n) + begin);  // twice the target rank
    while (i < last && dx2 >= src[i + 1].rmax + src[i + 1].rmin) ++i;
    if (i == last) break;
    const size_t pick = dx2 < rminNext(src[i]) + rmaxPrev(src[i + 1]) ? i : i + 1;
    if (pick != lastIdx) { out.push_back(src[pick]); lastIdx = pick; }
  }
  if (lastIdx != last) out.push_back(src[last]);
}

// merge two summaries (ranks add), then re-establish the rank invariants after float rounding
void setCombine(Summary& out, const Summary& a, const Summary& b) {
  if (a.empty()) { out = b; return; }
  if (b.empty()) { out = a; return; }
  out.clear();
  size_t i = 0, j = 0;
  float aPrev = 0, bPrev = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].value == b[j].value) {
      out.push_back({a[i].rmin + b[j].rmin, a[i].rmax + b[j].rmax, a[i].wmin + b[j].wmin, a[i].value});
      aPrev = rminNext(a[i++]); bPrev = rminNext(b[j++]);
    } else if (a[i].value < b[j].value) {
      out.push_back({a[i].rmin + bPrev, a[i].rmax + rmaxPrev(b[j]), a[i].wmin, a[i].value});
      aPrev = rminNext(a[i++]);
    } else {
      out.push_back({b[j].rmin + aPrev, b[j].rmax + rmaxPrev(a[i]), b[j].wmin, b[j].value});
      bPrev = rminNext(b[j++]);
    }
  }
  const float bRmax = b.back().rmax, aRmax = a.back().rmax;
  for (; i < a.size(); i++) out.push_back({a[i].rmin + bPrev, a[i].rmax + bRmax, a[i].wmin, a[i].value});
  for (; j < b.size(); j++) out.push_back({b[j].rmin + aPrev, b[j].rmax + aRmax, b[j].wmin, b[j].value});
  float prevRmin = 0, prevRmax = 0;
  for (Entry& e : out) {
    if (e.rmin < prevRmin) e.rmin = prevRmin; else prevRmin = e.rmin;
    if (e.rmax < prevRmax) e.rmax = prevRmax;
    if (e.rmax < rminNext(e)) e.rmax = rminNext(e);
    prevRmax = e.rmax;
  }
}

size_t limitSize(size_t n, double eps) {
  for (size_t nlevel = 1;; ++nlevel) {
    size_t limit = std::min(n, static_cast<size_t>(std::ceil(static_cast<double>(nlevel) / eps)) + 1);
    if ((size_t{1} << nlevel) * limit >= n) return limit;
  }
}

// the streaming sketch of one column: a queue of 2·limit values, summaries carried up levels as a binary counter
struct Sketch {
  struct Q { float value, weight; bool operator<(const Q& o) const { return value < o.value; } };
  size_t limit;
  std::vector<Q> queue;
  std::vector<Summary> levels;
  Summary temp;

  /** every weight is 1: sums of equal values are exact in any order, so a stable radix sort gives XGBoost's summary
   *  (with other weights std::sort, as XGBoost, keeps its order of equal values and so its float sums) */
  bool unitWeights;
  std::vector<Q> spare;

  Sketch(size_t limit, bool unitWeights) : limit(limit), unitWeights(unitWeights) { queue.reserve(2 * limit); }

  // LSD radix sort by value, 3 passes of 11 bits on the float's bits mapped to an increasing unsigned key
  void radixSort() {
    const size_t m = queue.size();
    spare.resize(m);
    auto key = [](float v) { uint32_t u; std::memcpy(&u, &v, 4); return u & 0x80000000u ? ~u : u | 0x80000000u; };
    Q* from = queue.data();
    Q* to = spare.data();
    for (int shift = 0; shift < 33; shift += 11) {
      size_t count[2048] = {};
      for (size_t k = 0; k < m; k++) count[(key(from[k].value) >> shift) & 2047]++;
      size_t at = 0;
      for (size_t& c : count) { const size_t here = c; c = at; at += here; }
      for (size_t k = 0; k < m; k++) to[count[(key(from[k].value) >> shift) & 2047]++] = from[k];
      std::swap(from, to);
    }
    if (from != queue.data()) std::memcpy(queue.data(), from, m * sizeof(Q));  // 3 passes: the result is in spare
  }
  void push(float x, float w) {
    if (w == 0) return;
    if (queue.size() == 2 * limit) { makeSummary(temp); queue.clear(); pushTemp(); }
    if (!queue.empty() && queue.back().value == x) queue.back().weight += w;
    else queue.push_back({x, w});
  }
  void makeSummary(Summary& out) {
    if (unitWeights) radixSort(); else std::sort(queue.begin(), queue.end());
    out.clear();
    float wsum = 0;
    for (size_t k = 0; k < queue.size();) {
      size_t e = k + 1;
      float w = queue[k].weight;
      while (e < queue.size() && queue[e].value == queue[k].value) w += queue[e++].weight;
      out.push_back({wsum, wsum + w, w, queue[k].value});
      wsum += w;
      k = e;
    }
  }
  void pushTemp() {
    for (size_t l = 1;; ++l) {
      if (levels.size() < l + 2) levels.resize(l + 2);
      if (levels[l].empty()) { setPrune(levels[l], temp, limit); return; }
      setPrune(levels[0], temp, limit);
      setCombine(temp, levels[0], levels[l]);
      if (temp.size() > limit) levels[l].clear();
      else { levels[l] = temp; return; }
    }
  }
  Summary summary() {
    Summary out, merged;
    makeSummary(out);
    if (levels.empty()) {
      if (out.size() <= limit) return out;
      Summary pruned;
      setPrune(pruned, out, limit);
      return pruned;
    }
    setPrune(levels[0], out, limit);
    for (size_t l = 1; l < levels.size(); ++l) {
      if (levels[l].empty()) continue;
      if (levels[0].empty()) levels[0] = levels[l];
      else { setCombine(merged, levels[0], levels[l]); setPrune(levels[0], merged, limit); }
    }
    return levels[0];
  }
};
}  // namespace

std::vector<float> gbdt_sketch_cuts(const float* x, const float* w, int64_t n, int maxBin) {
  size_t valid = 0;
  for (int64_t i = 0; i < n; i++) valid += !std::isnan(x[i]);
  std::vector<float> cuts;
  if (valid == 0) { const float m = 1e-5f; cuts.push_back(m + (std::fabs(m) + 1e-5f)); return cuts; }
  const size_t bins = std::max<size_t>(1, std::min<size_t>(maxBin, valid));
  Sketch sk(limitSize(valid, 1.0 / (static_cast<float>(bins) * K_FACTOR)), w == nullptr);
  for (int64_t i = 0; i < n; i++)
    if (!std::isnan(x[i])) sk.push(x[i], w ? std::fabs(w[i]) : 1.0f);
  const Summary full = sk.summary();
  const size_t intermediate = std::min<size_t>(valid, static_cast<size_t>(maxBin) * K_FACTOR);
  Summary reduced, a;
  setPrune(reduced, full, intermediate);
  const size_t finalBins = std::min<size_t>(intermediate, maxBin);
  setPrune(a, reduced, finalBins + 1);
  for (size_t i = 1; i < std::min(a.size(), finalBins); i++)
    if (i == 1 || a[i].value > cuts.back()) cuts.push_back(a[i].value);
  const float top = a.back().value;
  cuts.push_back(top + (std::fabs(top) + 1e-5f));
  return cuts;
}
}  // namespace fomlab
