// Histogram tree growth (see gbdt.h). Every sum runs in a fixed order — histogram parts depend on the row count
// only, never on the number of threads — so one and two threads, and the TypeScript twin, give the same trees.
#include "gbdt.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include "pool.h"

namespace fomlab {
namespace {
constexpr int NB = 256;                 // histogram slots per feature (value bins + the missing slot 255)
constexpr int64_t QUANTILE_ROWS = 1 << 18;  // cuts are taken from ≤ 2^18 evenly spaced rows
constexpr int64_t ROWS_PER_PART = 32768;
constexpr int MAX_PARTS = 8;

struct Bin3 { double g, h, c; };

int partsFor(int64_t rows) { return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(MAX_PARTS, (rows + ROWS_PER_PART - 1) / ROWS_PER_PART))); }

// soft threshold of the L1 term (XGBoost's ThresholdL1): the leaf score T(G)²/(H+λ) and weight −T(G)/(H+λ)
inline double thresholdL1(double G, double alpha) { return G > alpha ? G - alpha : G < -alpha ? G + alpha : 0.0; }
inline double score(double G, double H, const GbdtParams& p) { double t = thresholdL1(G, p.alpha); return t * t / (H + p.lambda); }

struct Split {
  double gain = 0; int feature = -1, bin = -1; bool defaultLeft = true;
  double GL = 0, HL = 0, CL = 0;
};

struct Node {
  int64_t begin, end;
  double G, H, C;
  int depth, id;
  std::vector<Bin3> hist;
  Split best;
};

struct Grower {
  const uint8_t* bins; int64_t n; int nf; const int32_t* nBins; const float *g, *h; const uint8_t* features; const GbdtParams& p;
  /** loss-guided or deep trees: the rows of each node, a contiguous ascending run (stable partitions) */
  std::vector<int32_t> idx;
  /** idx is still 0, 1, …, n−1 (all rows, before the first partition) */
  bool identity = false;
  /** depth-wise trees of depth ≤ 8: a byte per row, the slot of its node in the current level (n bytes, not 4n) */
  std::vector<uint8_t> pos;
  static constexpr uint8_t DONE = 255;  // the row's node is final (or the row is not sampled)
  /**
   * false (depth-wise growth, when every h > 0, minChildRows = 0 and minChildWeight is far above the rounding of
   * Σh): histograms carry no row counts, which then decide nothing. A bin sum of positive h is 0 exactly when the
   * bin is empty, so "a child is empty" is "its H < minChildWeight" and "the node has missing values" is "their
   * H > 0"; the children's row counts (which child's histogram is built) come from a count of the routed rows.
   */
  bool countRows = true;
  GbdtTree tree;

  // Every histogram is summed per part of the whole row range, [n·q/P, n·(q+1)/P) with P = partsFor(n) (a node's
  // rows in ascending order within each part), then the parts in order: the same numbers from either path, any
  // number of threads, and the TypeScript twin.
  void addRow(Bin3* hh, int64_t i) const {
    const uint8_t* row = bins + i * nf;
    const double gi = g[i], hi = h[i];
    for (int f = 0; f < nf; f++) { Bin3& e = hh[f * NB + row[f]]; e.g += gi; e.h += hi; e.c += 1; }
  }
  /**
   * addRow for a gathered block of rows (row take[t] into the part sums at hq + takeAt[t]·width·K) on K doubles per
   * bin: K = 3 {g, h, count}, or K = 2 {g, h} without countRows (two adds per feature, 16-byte bins).
   */
  template <int K>
  void addRows(double* hq, int64_t width, const int32_t* take, const int* takeAt, int nt) const {
    for (int t = 0; t < nt; t++) {
      const int64_t i = take[t];
      const uint8_t* row = bins + i * nf;
      const double gi = g[i], hi = h[i];
      double* hh = hq + takeAt[t] * width * K;
      for (int f = 0; f < nf; f++) {
        double* e = hh + (f * NB + row[f]) * K;
        e[0] += gi; e[1] += hi;
        if (K == 3) e[2] += 1;
      }
    }
  }
  /** out = Σ over the parts q in order of the part sums ph[q] (K doubles per bin) from bin `offset` on */
  static void sumPartsK(const std::vector<std::vector<double>>& ph, int K, int64_t offset, std::vector<Bin3>& out) {
    const int64_t width = static_cast<int64_t>(out.size());
    for (int64_t k = 0; k < width; k++) { const double* e = ph[0].data() + (offset + k) * K; out[k] = Bin3{e[0], e[1], K == 3 ? e[2] : 0}; }
    for (size_t q = 1; q < ph.size(); q++)
      for (int64_t k = 0; k < width; k++) {
        const double* e = ph[q].data() + (offset + k) * K;
        out[k].g += e[0]; out[k].h += e[1]; if (K == 3) out[k].c += e[2];
      }
  }
  static void sumParts(std::vector<std::vector<Bin3>>& ph, int64_t offset, std::vector<Bin3>& out) {
    const int64_t width = static_cast<int64_t>(out.size());
    for (int64_t k = 0; k < width; k++) out[k] = ph[0][offset + k];
    for (size_t q = 1; q < ph.size(); q++)
      for (int64_t k = 0; k < width; k++) { out[k].g += ph[q][offset + k].g; out[k].h += ph[q][offset + k].h; out[k].c += ph[q][offset + k].c; }
  }

  std::vector<Bin3> build(int64_t b0, int64_t b1) {
    const int parts = partsFor(n);
    const int64_t width = static_cast<int64_t>(nf) * NB;
    std::vector<std::vector<Bin3>> ph(parts);
    parallel_run(parts, [&](int q, int np) {
      ph[q].assign(width, Bin3{0, 0, 0});
      const int64_t lo = n * q / np, hi = n * (q + 1) / np;
      auto first = std::lower_bound(idx.begin() + b0, idx.begin() + b1, lo);
      auto last = std::lower_bound(first, idx.begin() + b1, hi);
      for (auto it = first; it != last; ++it) addRow(ph[q].data(), *it);
    });
    std::vector<Bin3> out(width);
    sumParts(ph, 0, out);
    return out;
  }

  /**
   * Where the rows of each slot of a level go: side k (0 left, 1 right) of slot s leads to dest[2s+k], a slot of the
   * next level or DONE (a leaf, whose η·weight is value[2s+k]). A slot whose node is a leaf sends every row left
   * (feature 0, bin 255, NaN left) to DONE.
   */
  struct Route {
    int32_t feature[256], bin[256];
    uint8_t defaultLeft[256], dest[512];
    float value[512];
  };

  /**
   * One pass over the rows per batch of ≤ 16 MB of part sums: the histograms of the level's slots `which`. With a
   * route, the first pass also moves every live row to its slot in the level (pos), and a row that reaches a leaf
   * adds the leaf's value to margin (if given) — XGBoost's prediction cache, without a second walk of the tree.
   */
  void buildSlots(std::vector<Node>& level, const std::vector<int>& which, const Route* route = nullptr, float* margin = nullptr) {
    const int parts = partsFor(n);
    const int64_t width = static_cast<int64_t>(nf) * NB;
    const size_t batch = std::max<size_t>(1, (size_t{16} << 20) / (parts * width * sizeof(Bin3)));
    std::vector<int> column(256, -1);  // slot → place in the batch (DONE: never)
    for (size_t b0 = 0; b0 == 0 || b0 < which.size(); b0 += batch) {
      const size_t b1 = std::min(which.size(), b0 + batch);
      std::fill(column.begin(), column.end(), -1);
      for (size_t k = b0; k < b1; k++) column[which[k]] = static_cast<int>(k - b0);
      const Route* rt = b0 == 0 ? route : nullptr;
      const int K = countRows ? 3 : 2;
      std::vector<std::vector<double>> ph(parts);
      parallel_run(parts, [&](int q, int np) {
        ph[q].assign(width * (b1 - b0) * K, 0.0);
        double* hq = ph[q].data();
        int32_t take[256];
        int takeAt[256];
        // local copies: the stores to pos and take must not make the compiler reload these for every row
        uint8_t* __restrict ps = pos.data();
        const uint8_t* __restrict bs = bins;
        const int* __restrict col = column.data();
        float* __restrict mg = margin;
        const int nfs = nf;
        for (int64_t r0 = n * q / np, hi = n * (q + 1) / np; r0 < hi; r0 += 256) {
          // route a block of rows without branches on the split, gather those whose slot is built, then add them
          const int64_t r1 = std::min<int64_t>(hi, r0 + 256);
          int nt = 0;
          for (int64_t i = r0; i < r1; i++) {
            uint8_t s = ps[i];
            if (s == DONE) continue;
            if (rt) {
              const uint8_t v = bs[i * nfs + rt->feature[s]];
              const int right = v == GBDT_MISSING ? !rt->defaultLeft[s] : v > rt->bin[s];
              const int k = 2 * s + right;
              s = rt->dest[k];
              ps[i] = s;
              if (s == DONE) { if (mg) mg[i] += rt->value[k]; continue; }
            }
            const int c = col[s];
            take[nt] = static_cast<int32_t>(i); takeAt[nt] = c; nt += c >= 0;
          }
          if (countRows) addRows<3>(hq, width, take, takeAt, nt); else addRows<2>(hq, width, take, takeAt, nt);
        }
      });
      for (size_t k = b0; k < b1; k++) {
        Node& nd = level[which[k]];
        nd.hist.resize(width);
        sumPartsK(ph, K, static_cast<int64_t>(k - b0) * width, nd.hist);
      }
    }
  }

  bool mayGrow(const Node& nd) const { return p.maxDepth <= 0 || nd.depth < p.maxDepth; }

  void evaluate(Node& nd) {
    nd.best = Split{};
    if (!mayGrow(nd)) return;
    const double parent = score(nd.G, nd.H, p);
    double best = 0;
    for (int f = 0; f < nf; f++) {
      if (features && !features[f]) continue;
      const Bin3* hf = nd.hist.data() + static_cast<int64_t>(f) * NB;
      // slot 255 holds the missing values unless the column has 256 value bins (then it had none)
      const Bin3 miss = nBins[f] < GBDT_MAX_BINS ? hf[GBDT_MISSING] : Bin3{0, 0, 0};
      const bool hasMissing = countRows ? miss.c > 0 : miss.h > 0;
      double gl = 0, hl = 0, cl = 0;
      for (int b = 0; b + 1 < nBins[f]; b++) {
        gl += hf[b].g; hl += hf[b].h; cl += hf[b].c;
        for (int dir = 0; dir < (hasMissing ? 2 : 1); dir++) {
          // dir 0: missing goes right (or there is none), dir 1: missing goes left
          double GL = gl + (dir ? miss.g : 0), HL = hl + (dir ? miss.h : 0), CL = cl + (dir ? miss.c : 0);
          double GR = nd.G - GL, HR = nd.H - HL, CR = nd.C - CL;
          if (HL < p.minChildWeight || HR < p.minChildWeight) continue;
          if (countRows && (CL <= 0 || CR <= 0 || CL < p.minChildRows || CR < p.minChildRows)) continue;
          double gain = score(GL, HL, p) + score(GR, HR, p) - parent;
          if (gain > best) {
            best = gain;
            // without missing values in the node, NaN goes right (XGBoost's forward scan, default_left false)
            nd.best = Split{gain, f, b, hasMissing && dir == 1, GL, HL, CL};
          }
        }
      }
    }
    if (!(best > p.gamma && best > 1e-6)) nd.best = Split{};
  }

  // stable partition of idx[b0, b1): rows going left first. The side with fewer rows waits in a buffer while the
  // other is compacted in place (lefts forward, or rights backward), so no second index array of n rows is kept.
  int64_t partition(int64_t b0, int64_t b1, const Split& s) {
    int parts = partsFor(b1 - b0);
    std::vector<int64_t> nLeft(parts, 0);
    auto goesLeft = [&](int32_t i) { return this->goesLeft(i, s); };
    parallel_run(parts, [&](int q, int np) {
      int64_t r0 = b0 + (b1 - b0) * q / np, r1 = b0 + (b1 - b0) * (q + 1) / np, c = 0;
      for (int64_t r = r0; r < r1; r++) c += goesLeft(idx[r]);
      nLeft[q] = c;
    });
    int64_t totalLeft = 0;
    for (int64_t c : nLeft) totalLeft += c;
    const int64_t totalRight = (b1 - b0) - totalLeft;
    if (identity) {
      // the first partition of all rows: row r is idx[r], so lefts and rights are written to their final places
      // directly (the same stable order), without a buffer of the smaller side (n/2 rows at most)
      identity = false;
      int64_t wl = b0, wr = b0 + totalLeft;
      for (int64_t r = b0; r < b1; r++) { int32_t i = static_cast<int32_t>(r); if (goesLeft(i)) idx[wl++] = i; else idx[wr++] = i; }
      return b0 + totalLeft;
    }
    std::vector<int32_t> wait;
    if (totalRight <= totalLeft) {
      wait.reserve(totalRight);
      int64_t w = b0;
      for (int64_t r = b0; r < b1; r++) { int32_t i = idx[r]; if (goesLeft(i)) idx[w++] = i; else wait.push_back(i); }
      std::memcpy(idx.data() + w, wait.data(), sizeof(int32_t) * wait.size());
    } else {
      wait.reserve(totalLeft);
      int64_t w = b1;
      for (int64_t r = b1 - 1; r >= b0; r--) { int32_t i = idx[r]; if (goesLeft(i)) wait.push_back(i); else idx[--w] = i; }
      for (int64_t k = 0; k < totalLeft; k++) idx[b0 + k] = wait[totalLeft - 1 - k];
    }
    return b0 + totalLeft;
  }

  int addNode(const Node& nd) {
    tree.feature.push_back(-1); tree.bin.push_back(-1); tree.left.push_back(-1); tree.right.push_back(-1);
    tree.defaultLeft.push_back(1); tree.value.push_back(0.0f); tree.gain.push_back(0); tree.cover.push_back(nd.H);
    return static_cast<int>(tree.feature.size()) - 1;
  }
  void setLeaf(const Node& nd) {
    tree.value[nd.id] = static_cast<float>(-thresholdL1(nd.G, p.alpha) / (nd.H + p.lambda) * p.eta);
  }

  bool goesLeft(int64_t i, const Split& s) const {
    const uint8_t v = bins[i * nf + s.feature];
    return v == GBDT_MISSING ? s.defaultLeft : v <= s.bin;
  }

  void takeSplit(Node& nd, Node& L, Node& R) {
    const Split& s = nd.best;
    L = Node{0, 0, s.GL, s.HL, s.CL, nd.depth + 1, 0, {}, {}};
    R = Node{0, 0, nd.G - s.GL, nd.H - s.HL, nd.C - s.CL, nd.depth + 1, 0, {}, {}};
    tree.feature[nd.id] = s.feature; tree.bin[nd.id] = s.bin; tree.defaultLeft[nd.id] = s.defaultLeft; tree.gain[nd.id] = s.gain;
    L.id = addNode(L); R.id = addNode(R);
    tree.left[nd.id] = L.id; tree.right[nd.id] = R.id;
  }

  // the histogram subtraction trick: the child with fewer rows was built, the other is parent − it
  void subtract(Node& parent, Node& small, Node& large) {
    large.hist = std::move(parent.hist);
    for (size_t k = 0; k < large.hist.size(); k++) { large.hist[k].g -= small.hist[k].g; large.hist[k].h -= small.hist[k].h; large.hist[k].c -= small.hist[k].c; }
  }

  /** may the histograms go without row counts (see countRows)? every h of the tree's rows > 0 and finite, and
   *  minChildWeight ≥ 1e−10·Σh (far above the rounding of H − H_L for a child that holds every row) */
  bool countFree(const int32_t* rows, int64_t nRows) const {
    if (p.minChildRows > 0 || !(p.minChildWeight > 0)) return false;
    const int parts = partsFor(nRows);
    std::vector<double> sum(parts, 0);
    std::vector<uint8_t> ok(parts, 1);
    parallel_run(parts, [&](int q, int np) {
      double s = 0;
      bool good = true;
      for (int64_t k = nRows * q / np, e = nRows * (q + 1) / np; k < e; k++) {
        const double v = h[rows ? rows[k] : k];
        good &= v > 0 && v < 1e300;
        s += v;
      }
      sum[q] = s; ok[q] = good;
    });
    double total = 0;
    for (int q = 0; q < parts; q++) { if (!ok[q]) return false; total += sum[q]; }
    return p.minChildWeight >= 1e-10 * total;
  }

  /** row counts of the next level's nodes: the level's live rows counted by the side of their node's split */
  void countChildren(size_t slots, const Route& route, std::vector<Node>& next) {
    const int parts = partsFor(n);
    std::vector<std::vector<int64_t>> counts(parts);
    parallel_run(parts, [&](int q, int np) {
      std::vector<int64_t>& c = counts[q];
      c.assign(2 * slots, 0);
      for (int64_t i = n * q / np, hi = n * (q + 1) / np; i < hi; i++) {
        const uint8_t s = pos[i];
        if (s == DONE) continue;
        const uint8_t v = bins[i * nf + route.feature[s]];
        c[2 * s + (v == GBDT_MISSING ? !route.defaultLeft[s] : v > route.bin[s])]++;
      }
    });
    for (size_t k = 0; k < slots; k++) {
      if (route.dest[2 * k] == DONE) continue;
      int64_t left = 0, right = 0;
      for (int q = 0; q < parts; q++) { left += counts[q][2 * k]; right += counts[q][2 * k + 1]; }
      next[route.dest[2 * k]].C = static_cast<double>(left);
      next[route.dest[2 * k + 1]].C = static_cast<double>(right);
    }
  }

  /** depth-wise growth level by level on row positions (maxDepth ≤ 8, no leaf limit): the same tree as grow() */
  void growLevels(const int32_t* rows, int64_t nRows, float* margin) {
    pos.assign(n, rows ? DONE : 0);
    if (rows) for (int64_t k = 0; k < nRows; k++) pos[rows[k]] = 0;
    countRows = !countFree(rows, nRows);
    std::vector<Node> level(1, Node{0, 0, 0, 0, 0, 0, 0, {}, {}});
    buildSlots(level, {0});
    Node& root = level[0];
    for (int b = 0; b < NB; b++) { root.G += root.hist[b].g; root.H += root.hist[b].h; root.C += root.hist[b].c; }
    if (!countRows) root.C = static_cast<double>(rows ? nRows : n);
    root.id = addNode(root);
    evaluate(root);
    Route route;
    for (;;) {
      // children in the order a FIFO over the nodes would create them; slots only for children that may grow
      std::vector<Node> next;
      std::vector<uint8_t> leftSlot(level.size(), DONE), rightSlot(level.size(), DONE);
      for (size_t k = 0; k < level.size(); k++) {
        Node& nd = level[k];
        uint8_t* dest = route.dest + 2 * k;
        float* value = route.value + 2 * k;
        if (nd.best.feature < 0) {
          setLeaf(nd);
          route.feature[k] = 0; route.bin[k] = 255; route.defaultLeft[k] = 1;
          dest[0] = dest[1] = DONE; value[0] = value[1] = tree.value[nd.id];
          continue;
        }
        route.feature[k] = nd.best.feature; route.bin[k] = nd.best.bin; route.defaultLeft[k] = nd.best.defaultLeft;
        Node L, R;
        takeSplit(nd, L, R);
        if (mayGrow(L)) {
          leftSlot[k] = static_cast<uint8_t>(next.size()); next.push_back(std::move(L));
          rightSlot[k] = static_cast<uint8_t>(next.size()); next.push_back(std::move(R));
          dest[0] = leftSlot[k]; dest[1] = rightSlot[k]; value[0] = value[1] = 0;
        } else {
          setLeaf(L); setLeaf(R);
          dest[0] = dest[1] = DONE; value[0] = tree.value[L.id]; value[1] = tree.value[R.id];
        }
      }
      if (!countRows && !next.empty()) countChildren(level.size(), route, next);
      std::vector<int> small;
      for (size_t k = 0; k < level.size(); k++)
        if (leftSlot[k] != DONE) small.push_back(next[leftSlot[k]].C <= next[rightSlot[k]].C ? leftSlot[k] : rightSlot[k]);
      if (next.empty()) {
        if (margin) buildSlots(next, small, &route, margin);  // the last move: every live row reaches its leaf
        return;
      }
      buildSlots(next, small, &route, margin);
      for (size_t k = 0; k < level.size(); k++) {
        if (leftSlot[k] == DONE) continue;
        Node &L = next[leftSlot[k]], &R = next[rightSlot[k]];
        const bool leftSmall = L.C <= R.C;
        subtract(level[k], leftSmall ? L : R, leftSmall ? R : L);
        evaluate(L); evaluate(R);
      }
      level = std::move(next);
    }
  }

  void grow() {
    std::vector<Node> open;
    Node root{0, static_cast<int64_t>(idx.size()), 0, 0, 0, 0, 0, {}, {}};
    root.hist = build(root.begin, root.end);
    for (int b = 0; b < NB; b++) { root.G += root.hist[b].g; root.H += root.hist[b].h; root.C += root.hist[b].c; }
    root.id = addNode(root);
    evaluate(root);
    open.push_back(std::move(root));
    int leaves = 1;
    size_t head = 0;  // depth-wise: FIFO over `open`
    for (;;) {
      int pick = -1;
      if (!p.lossGuide) {
        while (head < open.size() && open[head].best.feature < 0) { setLeaf(open[head]); head++; }
        if (head < open.size()) pick = static_cast<int>(head++);
      } else {
        for (size_t k = head; k < open.size(); k++)
          if (open[k].best.feature >= 0 && (pick < 0 || open[k].best.gain > open[pick].best.gain)) pick = static_cast<int>(k);
      }
      if (pick < 0 || (p.maxLeaves > 0 && leaves >= p.maxLeaves)) break;
      Node& nd = open[pick];
      int64_t mid = partition(nd.begin, nd.end, nd.best);
      Node L, R;
      takeSplit(nd, L, R);
      L.begin = nd.begin; L.end = mid; R.begin = mid; R.end = nd.end;
      if (mayGrow(L)) {
        Node& small = (L.end - L.begin) <= (R.end - R.begin) ? L : R;
        small.hist = build(small.begin, small.end);
        subtract(nd, small, &small == &L ? R : L);
        evaluate(L); evaluate(R);
      }
      nd.hist.clear(); nd.hist.shrink_to_fit();
      nd.best = Split{};  // expanded (loss-guide skips it)
      leaves++;
      open.push_back(std::move(L)); open.push_back(std::move(R));
    }
    for (Node& nd : open) if (tree.feature[nd.id] < 0) setLeaf(nd);
  }
};
}  // namespace

std::vector<float> gbdt_cuts(const float* x, const float* w, int64_t n, int maxBin) {
  std::vector<std::pair<double, double>> vw;
  int64_t m = std::min(n, QUANTILE_ROWS);
  vw.reserve(m);
  for (int64_t k = 0; k < m; k++) {
    int64_t i = n <= QUANTILE_ROWS ? k : k * n / QUANTILE_ROWS;
    float v = x[i];
    if (std::isnan(v)) continue;
    vw.emplace_back(v, w ? std::fabs(static_cast<double>(w[i])) : 1.0);
  }
  std::sort(vw.begin(), vw.end());
  std::vector<double> vals, wts;  // distinct values and their summed weights
  for (auto& e : vw) {
    if (!vals.empty() && vals.back() == e.first) wts.back() += e.second;
    else { vals.push_back(e.first); wts.push_back(e.second); }
  }
  std::vector<float> cuts;
  if (vals.empty()) { cuts.push_back(0.0f); return cuts; }
  const size_t k = vals.size();
  if (static_cast<int>(k) <= maxBin) {
    for (size_t j = 1; j < k; j++) cuts.push_back(static_cast<float>(vals[j]));
  } else {
    double W = 0;
    for (double v : wts) W += v;
    double below = 0;  // weight of the values before vals[j]
    int q = 1;
    for (size_t j = 0; j < k && q < maxBin; j++) {
      if (j > 0 && below >= q * W / maxBin) {
        cuts.push_back(static_cast<float>(vals[j]));
        while (q < maxBin && below >= q * W / maxBin) q++;
      }
      below += wts[j];
    }
  }
  const float top = static_cast<float>(vals.back());
  cuts.push_back(top + (std::fabs(top) + 1e-5f));  // above every value (XGBoost's last cut)
  return cuts;
}

namespace {
// the number of cuts ≤ v (std::upper_bound's index) without branches on the data: the search halves a window of a
// length fixed by nCuts ≥ 1, so the loop is the same for every v
inline int binOf(float v, const float* cuts, int nCuts) {
  const float* base = cuts;
  for (int len = nCuts; len > 1;) { const int half = len / 2; base = base[half] <= v ? base + half : base; len -= half; }
  const int b = static_cast<int>(base - cuts) + (*base <= v);
  return b > nCuts - 1 ? nCuts - 1 : b;
}
}  // namespace

void gbdt_bin_columns(const float* const* cols, int nf, int64_t n, const float* const* cuts, const int* nCuts, uint8_t* out) {
  constexpr int64_t BLOCK = 2048;  // rows of the output (BLOCK · nf bytes) filled column by column while in cache
  parallel_run(partsFor(n), [&](int q, int np) {
    for (int64_t b0 = n * q / np, hi = n * (q + 1) / np; b0 < hi; b0 += BLOCK) {
      const int64_t b1 = std::min(hi, b0 + BLOCK);
      for (int f = 0; f < nf; f++) {
        const float* x = cols[f];
        const float* c = cuts[f];
        const int nc = nCuts[f];
        for (int64_t i = b0; i < b1; i++) {
          const float v = x[i];
          out[i * nf + f] = static_cast<uint8_t>(std::isnan(v) ? GBDT_MISSING : binOf(v, c, nc));
        }
      }
    }
  });
}

GbdtTree gbdt_grow(const uint8_t* bins, int64_t n, int nf, const int32_t* nBins, const float* g, const float* h,
                   const int32_t* rows, int64_t nRows, const uint8_t* features, const GbdtParams& p, float* margin) {
  Grower gr{bins, n, nf, nBins, g, h, features, p, {}, false, {}, true, {}};
  if (!p.lossGuide && p.maxLeaves <= 0 && p.maxDepth >= 1 && p.maxDepth <= 8) {
    // every row's leaf is known at the end of growth, unless rows were left out of the tree
    gr.growLevels(rows, nRows, rows ? nullptr : margin);
    if (rows && margin) gbdt_add_binned(bins, n, nf, gr.tree, margin);
  } else {
    if (rows) gr.idx.assign(rows, rows + nRows);
    else { gr.idx.resize(n); std::iota(gr.idx.begin(), gr.idx.end(), 0); gr.identity = true; }
    gr.grow();
    if (margin) gbdt_add_binned(bins, n, nf, gr.tree, margin);
  }
  return std::move(gr.tree);
}

void gbdt_add_binned(const uint8_t* bins, int64_t n, int nf, const GbdtTree& t, float* margin) {
  parallel_run(partsFor(n), [&](int q, int np) {
    int64_t r0 = n * q / np, r1 = n * (q + 1) / np;
    for (int64_t i = r0; i < r1; i++) {
      const uint8_t* row = bins + i * nf;
      int k = 0;
      while (t.feature[k] >= 0) {
        uint8_t v = row[t.feature[k]];
        k = (v == GBDT_MISSING ? t.defaultLeft[k] : v <= t.bin[k]) ? t.left[k] : t.right[k];
      }
      margin[i] += t.value[k];
    }
  });
}

void gbdt_predict(const GbdtForest& f, const float* const* cols, int64_t n, float base, float* margin) {
  parallel_run(partsFor(n), [&](int q, int np) {
    int64_t r0 = n * q / np, r1 = n * (q + 1) / np;
    for (int64_t i = r0; i < r1; i++) {
      float m = base;
      for (int t = 0; t < f.nTrees; t++) {
        int k = f.roots[t];
        while (f.feature[k] >= 0) {
          float v = cols[f.feature[k]][i];
          k = (std::isnan(v) ? f.defaultLeft[k] : v < f.threshold[k]) ? f.left[k] : f.right[k];
        }
        m += f.value[k];
      }
      margin[i] = m;
    }
  });
}
}  // namespace fomlab
