#include "dense.h"
#include <algorithm>
#include <cmath>
#include <vector>
#include "pool.h"
#include "soa.h"

#define HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

namespace fomlab {
namespace {
constexpr int B = 256;
constexpr int64_t kMinElemsPerThread = 1 << 16;   // elementwise: below ~64k values a second thread does not pay
constexpr double kMinFlopsPerThread = 2.0e6;

HOT void axpy_rows(int m0, int m1, int n, int k, float alpha, const float* A, const float* Bp, float beta, float* C) {
  for (int i = m0; i < m1; i++) {
    float* c = C + static_cast<int64_t>(i) * n;
    if (beta == 0.0f) std::fill(c, c + n, 0.0f);
    else if (beta != 1.0f) for (int j = 0; j < n; j++) c[j] *= beta;
    const float* a = A + static_cast<int64_t>(i) * k;
    for (int p = 0; p < k; p++) {
      float s = alpha * a[p];
      const float* b = Bp + static_cast<int64_t>(p) * n;
      for (int j = 0; j < n; j++) c[j] += s * b[j];
    }
  }
}

int partsFor(double work, int64_t units) {
  int parts = static_cast<int>(std::min<int64_t>(4 * pool_threads(), units));
  return work < 2 * kMinFlopsPerThread ? 1 : std::max(parts, 1);
}
}  // namespace

void gemm(bool tA, bool tB, int m, int n, int k, float alpha, const float* A, const float* Bm, float beta, float* C) {
  // pack op(A) to m×k and op(B) to k×n row-major, then row-wise axpy (vectorised over n)
  std::vector<float> ap, bp;
  if (tA) { ap.resize(static_cast<size_t>(m) * k); for (int p = 0; p < k; p++) for (int i = 0; i < m; i++) ap[static_cast<size_t>(i) * k + p] = A[static_cast<size_t>(p) * m + i]; A = ap.data(); }
  if (tB) { bp.resize(static_cast<size_t>(k) * n); for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) bp[static_cast<size_t>(p) * n + j] = Bm[static_cast<size_t>(j) * k + p]; Bm = bp.data(); }
  int parts = partsFor(static_cast<double>(m) * n * k, m);
  parallel_run(parts, [&](int p, int np) { axpy_rows(m * p / np, m * (p + 1) / np, n, k, alpha, A, Bm, beta, C); });
}

void dense_backward(const float* x, const float* W, const float* bias, const float* y, const float* dy, float* dx, float* dW, float* db,
                    int64_t n, int nIn, int nOut, int act) {
  std::vector<float> wt(static_cast<size_t>(nIn) * nOut);
  for (int q = 0; q < nIn; q++) for (int o = 0; o < nOut; o++) wt[static_cast<size_t>(q) * nOut + o] = W[static_cast<size_t>(o) * nIn + q];
  const int64_t nBlocks = (n + B - 1) / B;
  int parts = partsFor(static_cast<double>(n) * nIn * nOut * 2, nBlocks);
  std::vector<std::vector<double>> gw(parts), gb(parts);
  const bool needZ = act_needs_z(act), needW = dW || db; // no parameter gradient wanted (integrated gradients through constant weights): skip dW's product
  parallel_run(parts, [&](int p, int np) {
    std::vector<float> xT(static_cast<size_t>(nIn) * B), yT(static_cast<size_t>(nOut) * B), dyT(yT.size()), zT(needZ ? yT.size() : 0), dzT(yT.size()), dxT(xT.size());
    gw[p].assign(needW ? static_cast<size_t>(nIn) * nOut : 0, 0.0);
    gb[p].assign(nOut, 0.0);
    for (int64_t blk = nBlocks * p / np; blk < nBlocks * (p + 1) / np; blk++) {
      int64_t row0 = blk * B;
      int nb = static_cast<int>(std::min<int64_t>(B, n - row0)), nbp = round32(nb);
      gather_t(x, nullptr, row0, nb, nbp, nIn, xT.data(), B);
      gather_t(y, nullptr, row0, nb, nbp, nOut, yT.data(), B);
      gather_t(dy, nullptr, row0, nb, nbp, nOut, dyT.data(), B);
      if (needZ) layer_fwd(W, bias, xT.data(), zT.data(), nbp, B, nIn, nOut);
      act_dz(act, needZ ? zT.data() : nullptr, yT.data(), dyT.data(), dzT.data(), static_cast<int64_t>(nOut) * B);
      if (needW) layer_bwd_w(dzT.data(), xT.data(), gw[p].data(), db ? gb[p].data() : nullptr, nbp, B, nIn, nOut);
      if (dx) {
        layer_fwd(wt.data(), nullptr, dzT.data(), dxT.data(), nbp, B, nOut, nIn);
        scatter_t(dxT.data(), B, nb, nIn, dx, row0);
      }
    }
  });
  if (dW) for (size_t k = 0; k < gw[0].size(); k++) { double s = 0; for (auto& g : gw) s += g[k]; dW[k] += static_cast<float>(s); }
  if (db) for (int o = 0; o < nOut; o++) { double s = 0; for (auto& g : gb) s += g[o]; db[o] += static_cast<float>(s); }
}

void activate(int act, const float* x, float* y, int64_t len) {
  int parts = len < 2 * kMinElemsPerThread ? 1 : 4 * pool_threads();
  parallel_run(parts, [&](int p, int np) { int64_t a = len * p / np, b = len * (p + 1) / np; act_forward(act, x + a, y + a, b - a); });
}

void activate_backward(int act, const float* x, const float* y, const float* dy, float* dx, int64_t len) {
  int parts = len < 2 * kMinElemsPerThread ? 1 : 4 * pool_threads();
  parallel_run(parts, [&](int p, int np) {
    int64_t a = len * p / np, b = len * (p + 1) / np;
    std::vector<float> t(4096);
    for (int64_t s = a; s < b; s += 4096) {
      int64_t m = std::min<int64_t>(4096, b - s);
      act_dz(act, x + s, y + s, dy + s, t.data(), m);
      for (int64_t i = 0; i < m; i++) dx[s + i] += t[i];
    }
  });
}

HOT void sgd_step(float* p, const float* g, float* vel, int64_t len, float lr, float momentum, float dampening, float wd, bool nesterov, bool first) {
  for (int64_t i = 0; i < len; i++) {
    float d = g[i] + wd * p[i];
    if (vel && momentum != 0.0f) {
      float v = first ? d : momentum * vel[i] + (1.0f - dampening) * d;
      vel[i] = v;
      d = nesterov ? d + momentum * v : v;
    }
    p[i] -= lr * d;
  }
}

HOT void adam_step(float* p, const float* g, float* m, float* v, int64_t len, double step, float lr, float b1, float b2, float eps, float wd, bool decoupled) {
  const float bc1 = static_cast<float>(1.0 - std::pow(static_cast<double>(b1), step));
  const float sbc2 = static_cast<float>(std::sqrt(1.0 - std::pow(static_cast<double>(b2), step)));
  const float stepSize = lr / bc1, decay = decoupled ? 1.0f - lr * wd : 1.0f, l2 = decoupled ? 0.0f : wd;
  for (int64_t i = 0; i < len; i++) {
    float gi = g[i] + l2 * p[i];
    float mi = b1 * m[i] + (1.0f - b1) * gi, vi = b2 * v[i] + (1.0f - b2) * gi * gi;
    m[i] = mi; v[i] = vi;
    p[i] = p[i] * decay - stepSize * mi / (std::sqrt(vi) / sbc2 + eps);
  }
}
}  // namespace fomlab
