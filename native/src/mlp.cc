#include "mlp.h"
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <vector>
#include "fastmath.h"
#include "pool.h"
#include "soa.h"

namespace fomlab {
namespace {
constexpr int B = 256;  // events per block

// Splitting a batch over the threads pays only when each thread gets ≥ ~2 M multiply-adds (~20 k events of the
// 4-8-4-1 net fwd+bwd). Measured on the 2-core EPYC VM (minimum of 10 runs, other sessions running): at 1 M events
// two threads took the forward from 9.6 to 4.9 ms and the backward from 18.1 to 9.1 ms; a 2048-event BCE step is
// ~35–40 µs on one thread, the order of a worker wake-up, and at 2 k–32 k events the two-thread runs were never
// reliably faster (cpu/wall often 0.5–1.0: the second core was busy with other sessions). The pool never makes the
// caller wait for a late worker, so threads cost little when the second core is busy.
// FOMLAB_MT_MIN_FLOPS overrides the threshold (FOMLAB_THREADS=1 disables threads).
double minFlopsPerThread() {
  static const double v = [] { const char* e = std::getenv("FOMLAB_MT_MIN_FLOPS"); return e ? std::atof(e) : 2.0e6; }();
  return v;
}

struct Layout {
  std::vector<int64_t> w, b;   // offsets of W_l and b_l in params
  std::vector<float> wt;       // all W_lᵀ (for the input-gradient pass), concatenated
  std::vector<int64_t> wtOff;
  std::vector<const float*> wp, bp;
  int64_t nParams = 0, flopsPerEvent = 0;
};

Layout layout(const MlpArgs& a, bool needWt) {
  Layout L;
  int64_t off = 0;
  for (int l = 0; l < a.layers; l++) {
    int64_t ni = a.sizes[l], no = a.sizes[l + 1];
    L.w.push_back(off); off += ni * no;
    L.b.push_back(off); off += no;
    L.flopsPerEvent += ni * no;
  }
  L.nParams = off;
  for (int l = 0; l < a.layers; l++) {
    L.wp.push_back(a.w.empty() ? a.params + L.w[l] : a.w[l]);
    L.bp.push_back(a.b.empty() ? a.params + L.b[l] : a.b[l]);
  }
  if (needWt) {
    for (int l = 0; l < a.layers; l++) {
      int ni = a.sizes[l], no = a.sizes[l + 1];
      L.wtOff.push_back(static_cast<int64_t>(L.wt.size()));
      const float* W = L.wp[l];
      for (int q = 0; q < ni; q++)
        for (int o = 0; o < no; o++) L.wt.push_back(W[o * ni + q]);
    }
  }
  return L;
}

struct Part {
  std::vector<double> grad;
  double loss = 0.0, wsum = 0.0;
};
}  // namespace

double mlp_run(const MlpArgs& a, MlpMode mode, float* out, const float* dOut, const float* target, const float* weight, float* grads) {
  const int Lc = a.layers;
  const bool back = mode != MLP_FORWARD;
  Layout lay = layout(a, back);
  const int64_t nBlocks = (a.n + B - 1) / B;
  // 4 parts per thread so a thread that starts late (busy shared core) leaves its share to the others
  int parts = static_cast<int>(std::min<int64_t>(4 * pool_threads(), nBlocks));
  double work = static_cast<double>(a.n) * lay.flopsPerEvent * (back ? 3 : 1);
  if (work < minFlopsPerThread() * 2) parts = 1;
  parts = std::max(parts, 1);
  // per layer buffer offsets: h_l (activations, l = 0..L), z_l when needed, two gradient buffers of the widest layer
  std::vector<int64_t> hOff(Lc + 1), zOff(Lc, -1);
  int64_t off = 0;
  int widest = 0;
  for (int l = 0; l <= Lc; l++) { hOff[l] = off; off += static_cast<int64_t>(a.sizes[l]) * B; widest = std::max(widest, a.sizes[l]); }
  widest = std::max(widest, 2);  // dZ doubles as the targets/weights buffer of the BCE mode
  for (int l = 0; l < Lc; l++) if (act_needs_z(a.acts[l])) { zOff[l] = off; off += static_cast<int64_t>(a.sizes[l + 1]) * B; }
  const int64_t gOff = off, g2Off = off + static_cast<int64_t>(widest) * B, bufLen = off + 2 * static_cast<int64_t>(widest) * B;
  const int sIn = a.sizes[0], sOut = a.sizes[Lc];

  // weighted BCE: blocks work with unscaled w·(p−t)… and sum w; the total Σw rescales loss and gradients at the end
  // (a separate Σw pre-pass cost ~10 % of a 2048-event step)
  std::vector<Part> ps(parts);
  parallel_run(parts, [&](int p, int np) {
    Part& P = ps[p];
    // per-thread buffers kept between calls (a batch of 2048 is ~60 µs of work; re-allocating showed in profiles)
    static thread_local std::vector<float> tlBuf;
    if (static_cast<int64_t>(tlBuf.size()) < bufLen) tlBuf.assign(bufLen, 0.0f);
    if (back) P.grad.assign(lay.nParams, 0.0);
    float* buf = tlBuf.data();
    int64_t b0 = nBlocks * p / np, b1 = nBlocks * (p + 1) / np;
    for (int64_t blk = b0; blk < b1; blk++) {
      int64_t row0 = blk * B;
      int nb = static_cast<int>(std::min<int64_t>(B, a.n - row0)), nbp = round32(nb);
      gather_t(a.x, a.rows ? a.rows + row0 : nullptr, row0, nb, nbp, sIn, buf + hOff[0], B);
      for (int l = 0; l < Lc; l++) {
        float* h = buf + hOff[l + 1];
        float* z = zOff[l] >= 0 ? buf + zOff[l] : h;
        layer_fwd(lay.wp[l], lay.bp[l], buf + hOff[l], z, nbp, B, a.sizes[l], a.sizes[l + 1]);
        for (int o = 0; o < a.sizes[l + 1]; o++) act_forward(a.acts[l], z + o * B, h + o * B, nbp);
      }
      const float* yL = buf + hOff[Lc];
      if (out) scatter_t(yL, B, nb, sOut, out, row0);
      if (!back) continue;
      float* dH = buf + gOff;
      float* dZ = buf + g2Off;
      for (int o = 0; o < sOut; o++)
        for (int i = nb; i < nbp; i++) dH[o * B + i] = 0.0f;
      if (mode == MLP_BACKWARD) {
        for (int i = 0; i < nb; i++)
          for (int o = 0; o < sOut; o++) dH[o * B + i] = dOut[(row0 + i) * sOut + o];
      } else {
        // PyTorch BCELoss: −w·[t·max(log p, −100) + (1−t)·max(log(1−p), −100)]; ∂/∂p = w(p−t)/max(p(1−p), 1e−12)
        float* tb = dZ;  // dZ is free until the backward pass: targets then weights of this block
        float* wb = dZ + B;
        for (int i = 0; i < nb; i++) {
          int64_t r = a.rows ? a.rows[row0 + i] : row0 + i;
          if (a.rows && i + 64 < nb) { __builtin_prefetch(target + a.rows[row0 + i + 64]); if (weight) __builtin_prefetch(weight + a.rows[row0 + i + 64]); }
          tb[i] = target[r];
          wb[i] = weight ? weight[r] : 1.0f;
        }
        float lossSum = bce_block(yL, tb, wb, dH, nb, 1.0f);
        float ws = 0.0f;
        for (int i = 0; i < nb; i++) ws += wb[i];
        P.wsum += ws;
        P.loss += lossSum;
      }
      for (int l = Lc - 1; l >= 0; l--) {
        int ni = a.sizes[l], no = a.sizes[l + 1];
        const float* z = zOff[l] >= 0 ? buf + zOff[l] : nullptr;
        act_dz(a.acts[l], z, buf + hOff[l + 1], dH, dZ, static_cast<int64_t>(no - 1) * B + nbp);
        layer_bwd_w(dZ, buf + hOff[l], P.grad.data() + lay.w[l], P.grad.data() + lay.b[l], nbp, B, ni, no);
        if (l > 0) layer_fwd(lay.wt.data() + lay.wtOff[l], nullptr, dZ, dH, nbp, B, no, ni);
      }
    }
  });
  double loss = 0.0, wTotal = 1.0;
  if (mode == MLP_BCE) {
    wTotal = 0.0;
    for (auto& P : ps) { wTotal += P.wsum; loss += P.loss; }
  }
  if (back) {
    const double scale = 1.0 / wTotal;
    for (int64_t k = 0; k < lay.nParams; k++) {
      double s = 0.0;
      for (auto& P : ps) s += P.grad[k];
      grads[k] += static_cast<float>(s * scale);
    }
  }
  return loss / wTotal;
}
}  // namespace fomlab
