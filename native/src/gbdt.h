// Histogram gradient boosting (XGBoost's 'hist' method, Chen & Guestrin 2016, arXiv:1603.02754): binning of
// the features into quantile bins, growth of one tree from per-event gradients g and hessians h, and scoring.
// The boosting loop (gradients, subsampling, early stopping) is in src/models/gbdt/boost.ts; the TypeScript twin
// of this file is src/models/gbdt/grow.ts (tests compare the two).
#pragma once
#include <cstdint>
#include <vector>

namespace fomlab {
/** bin code of a missing value (NaN): value bins are 0 … nBins−1 ≤ 254 in a column with missing values; a column
 *  without them may have 256 value bins (0 … 255: then code 255 is its top bin, and its splits send NaN right) */
constexpr int GBDT_MISSING = 255;
constexpr int GBDT_MAX_BINS = 256;

/** cuts (upper bin edges, increasing; the last is above the largest value) of one column: weighted quantiles */
std::vector<float> gbdt_cuts(const float* x, const float* w, int64_t n, int maxBin);
/** XGBoost 1.7's cuts of one column (its weighted quantile sketch, gbdt_sketch.cc) for ≤ maxBin bins */
std::vector<float> gbdt_sketch_cuts(const float* x, const float* w, int64_t n, int maxBin);
/** out[i·nf + f] = bin of cols[f][i]: the number of cuts[f] ≤ x (capped at nCuts[f] − 1), GBDT_MISSING for NaN */
void gbdt_bin_columns(const float* const* cols, int nf, int64_t n, const float* const* cuts, const int* nCuts, uint8_t* out);

struct GbdtParams {
  int maxDepth = 6, maxLeaves = 0;
  bool lossGuide = false;
  double lambda = 1, alpha = 0, gamma = 0, minChildWeight = 1, minChildRows = 0, eta = 0.3;
};

/** one tree, nodes in order of creation; a leaf has feature −1 */
struct GbdtTree {
  std::vector<int32_t> feature, bin, left, right;
  std::vector<uint8_t> defaultLeft;
  std::vector<float> value;          // η · leaf weight (leaves), 0 for splits
  std::vector<double> gain, cover;   // split gain; Σh of the node
};

/**
 * Grows one tree on the binned matrix (row-major n × nf bytes) from g, h of the rows `rows` (ascending; all rows if
 * null). Depth-wise trees of depth ≤ 8 keep a byte per row (its node's slot in the level), others a row-index partition.
 * features: 1 = may split on it (column subsampling). margin (n floats, or null): margin[i] += the leaf value of row
 * i, for every row (as gbdt_add_binned; depth-wise trees on all rows do it in their last pass over the rows).
 */
GbdtTree gbdt_grow(const uint8_t* bins, int64_t n, int nf, const int32_t* nBins, const float* g, const float* h,
                   const int32_t* rows, int64_t nRows, const uint8_t* features, const GbdtParams& p, float* margin = nullptr);

/** margin[i] += leaf value of the tree for binned row i */
void gbdt_add_binned(const uint8_t* bins, int64_t n, int nf, const GbdtTree& t, float* margin);

/** A forest on raw values: node arrays concatenated, roots[t] the first node of tree t, children absolute. */
struct GbdtForest {
  const int32_t *feature, *left, *right, *roots;
  const float *threshold, *value;
  const uint8_t* defaultLeft;
  int nTrees;
};
/** margin[i] = base + Σ_trees leaf(x_i), in float32 in tree order (as XGBoost); cols[f] is column f */
void gbdt_predict(const GbdtForest& f, const float* const* cols, int64_t n, float base, float* margin);
}  // namespace fomlab
