// Fused event classifier transformer (equations and the dropout hash: src/core/kernels/ts-transformer.ts, its twin).
// One event at a time: the whole forward in a per-thread scratch (~25 kB, L1/L2), then the backward from it, the
// parameter gradients summed into the part's buffer. Parts are fixed by n (not by threads), so the numbers do not
// depend on the thread count. The study's shape (D 16, 4 heads, FFN 64, embedding 4) is compiled with constant
// sizes so the short loops unroll and vectorise; other shapes run the same code with run-time sizes.
#include "transformer.h"
#include <algorithm>
#include <cmath>
#include <vector>
#include "fastmath.h"
#include "pool.h"

namespace fomlab {
namespace {

// erf by Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), branch-free so loops vectorise
FOMLAB_INLINE float fast_erf(float x) {
  float ax = std::fabs(x), t = 1.0f / (1.0f + 0.3275911f * ax);
  float p = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
  float e = 1.0f - p * fast_exp(-ax * ax);
  return x < 0.0f ? -e : e;
}
FOMLAB_INLINE float gelu(float a) { return 0.5f * a * (1.0f + fast_erf(a * 0.70710678118654752f)); }
FOMLAB_INLINE float gelu_grad(float a) { return 0.5f * (1.0f + fast_erf(a * 0.70710678118654752f)) + a * 0.3989422804014327f * fast_exp(-0.5f * a * a); }

FOMLAB_INLINE uint32_t fmix32(uint32_t h) {
  h ^= h >> 16; h *= 0x85ebca6bu; h ^= h >> 13; h *= 0xc2b2ae35u; return h ^ (h >> 16);
}

struct Offsets {
  std::vector<int64_t> emb;  // per feature: W1 (E), b1 (E), W2 (D×E), b2 (D)
  int64_t n1, mha, n2, ffn, n3, cls, cmha, out, total;
};
Offsets offsets(int F, int D, int FF, int E) {
  Offsets o;
  int64_t off = 0;
  for (int f = 0; f < F; f++) { o.emb.push_back(off); off += 2 * E + D * E + D; }
  o.n1 = off; off += 2 * D;
  o.mha = off; off += 3 * D * D + 3 * D + D * D + D;
  o.n2 = off; off += 2 * D;
  o.ffn = off; off += FF * D + FF + D * FF + D;
  o.n3 = off; off += 2 * D;
  o.cls = off; off += D;
  o.cmha = off; off += 3 * D * D + 3 * D + D * D + D;
  o.out = off; off += D + 1;
  o.total = off;
  return o;
}

// y[r·ys + o] = b[o] + Σ_d W[o·nIn + d]·x[r·nIn + d], with Wᵀ (row d of nOut outputs at WT + d·ldw): an axpy the compiler
// vectorises (the dot-product form is a float reduction, which GCC keeps scalar without -ffast-math)
FOMLAB_INLINE void affine_t(const float* x, const float* WT, int ldw, const float* b, float* y, int rows, int nIn, int nOut, int ys) {
  for (int r = 0; r < rows; r++) {
    float* yr = y + r * ys; const float* xr = x + r * nIn;
    for (int o = 0; o < nOut; o++) yr[o] = b[o];
    for (int d = 0; d < nIn; d++) {
      const float xv = xr[d]; const float* w = WT + d * ldw;
      for (int o = 0; o < nOut; o++) yr[o] += xv * w[o];
    }
  }
}
// dW += dyᵀx, db += Σ dy, dx += dy·W (dx may be null)
FOMLAB_INLINE void affine_back(const float* x, const float* dy, int dys, const float* W, float* dW, float* db, float* dx, int rows, int nIn, int nOut) {
  for (int r = 0; r < rows; r++) {
    const float* xr = x + r * nIn;
    for (int o = 0; o < nOut; o++) {
      float g = dy[r * dys + o];
      db[o] += g;
      float* dw = dW + o * nIn; const float* w = W + o * nIn;
      for (int d = 0; d < nIn; d++) dw[d] += g * xr[d];
      if (dx) { float* dxr = dx + r * nIn; for (int d = 0; d < nIn; d++) dxr[d] += g * w[d]; }
    }
  }
}
FOMLAB_INLINE void layer_norm(const float* x, float* y, float* xh, float* rs, const float* g, const float* b, int rows, int D) {
  for (int t = 0; t < rows; t++) {
    const float* xr = x + t * D;
    float mu = 0.0f, v = 0.0f;
    for (int d = 0; d < D; d++) mu += xr[d];
    mu /= D;
    for (int d = 0; d < D; d++) v += (xr[d] - mu) * (xr[d] - mu);
    float r = 1.0f / std::sqrt(v / D + 1e-5f);
    rs[t] = r;
    for (int d = 0; d < D; d++) { float h = (xr[d] - mu) * r; xh[t * D + d] = h; y[t * D + d] = g[d] * h + b[d]; }
  }
}
FOMLAB_INLINE void layer_norm_back(float* dy, const float* xh, const float* rs, const float* g, float* dg, float* db, int rows, int D) {
  for (int t = 0; t < rows; t++) {
    float m1 = 0.0f, m2 = 0.0f;
    float* d_ = dy + t * D; const float* h = xh + t * D;
    for (int d = 0; d < D; d++) { dg[d] += d_[d] * h[d]; db[d] += d_[d]; float dxh = d_[d] * g[d]; m1 += dxh; m2 += dxh * h[d]; }
    m1 /= D; m2 /= D;
    for (int d = 0; d < D; d++) d_[d] = rs[t] * (d_[d] * g[d] - m1 - h[d] * m2);
  }
}
// p[h, i, j] = softmax_j(scale · q_i,h · k_j,h)
FOMLAB_INLINE void attention_weights(const float* q, int qs, const float* k, int ks, float* p, int H, int dh, int L, int S) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  for (int h = 0; h < H; h++)
    for (int i = 0; i < L; i++) {
      float* pr = p + (h * L + i) * S;
      float mx = -INFINITY;
      for (int j = 0; j < S; j++) {
        float s = 0.0f;
        for (int c = 0; c < dh; c++) s += q[i * qs + h * dh + c] * k[j * ks + h * dh + c];
        pr[j] = s * scale;
        mx = std::max(mx, pr[j]);
      }
      float sum = 0.0f;
      for (int j = 0; j < S; j++) { pr[j] = fast_exp(pr[j] - mx); sum += pr[j]; }
      float inv = 1.0f / sum;
      for (int j = 0; j < S; j++) pr[j] *= inv;
    }
}
// ctx[i, h·dh + c] = Σ_j p·m[h, i, j] v[j, h·dh + c]
FOMLAB_INLINE void attention_values(const float* p, const float* m, const float* v, int vs, float* ctx, int H, int dh, int L, int S, int D) {
  for (int i = 0; i < L * D; i++) ctx[i] = 0.0f;
  for (int h = 0; h < H; h++)
    for (int i = 0; i < L; i++)
      for (int j = 0; j < S; j++) {
        float pm = p[(h * L + i) * S + j] * m[(h * L + i) * S + j];
        for (int c = 0; c < dh; c++) ctx[i * D + h * dh + c] += pm * v[j * vs + h * dh + c];
      }
}
FOMLAB_INLINE void attention_back(const float* p, const float* m, const float* q, int qs, const float* k, const float* v, int kvs, const float* dctx,
                                  float* dq, float* dk, float* dv, float* dp, int H, int dh, int L, int S, int D) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  for (int h = 0; h < H; h++)
    for (int i = 0; i < L; i++) {
      const float* pr = p + (h * L + i) * S; const float* mr = m + (h * L + i) * S;
      const float* dc = dctx + i * D + h * dh;
      float dot = 0.0f;
      for (int j = 0; j < S; j++) {
        float g = 0.0f, pm = pr[j] * mr[j];
        for (int c = 0; c < dh; c++) { g += dc[c] * v[j * kvs + h * dh + c]; dv[j * kvs + h * dh + c] += pm * dc[c]; }
        dp[j] = g * mr[j];
        dot += dp[j] * pr[j];
      }
      for (int j = 0; j < S; j++) {
        float ds = pr[j] * (dp[j] - dot) * scale;
        for (int c = 0; c < dh; c++) { dq[i * qs + h * dh + c] += ds * k[j * kvs + h * dh + c]; dk[j * kvs + h * dh + c] += ds * q[i * qs + h * dh + c]; }
      }
    }
}

struct Scratch {
  std::vector<float> buf;
  float *x, *ea, *eg, *e0, *t1, *xh1, *rs1, *qkv, *p, *m1, *ctx, *a, *m2, *r2, *t2, *xh2, *rs2, *u, *gu, *fo, *m3, *r3, *t3, *xh3, *rs3;
  float *kv, *cq, *ckv, *cp, *m4, *cctx, *z;
  // backward
  float *dz, *dcctx, *dcq, *dckv, *dkv, *dfo, *dgu, *dt2, *da, *dctx, *dqkv, *dt1, *deg, *dp;
  void init(int T, int D, int H, int FF, int E) {
    int T1 = T + 1;
    std::vector<std::pair<float**, int64_t>> parts = {
      {&x, T}, {&ea, T * E}, {&eg, T * E}, {&e0, T * D}, {&t1, T * D}, {&xh1, T * D}, {&rs1, T}, {&qkv, 3 * T * D}, {&p, H * T * T},
      {&m1, H * T * T}, {&ctx, T * D}, {&a, T * D}, {&m2, T * D}, {&r2, T * D}, {&t2, T * D}, {&xh2, T * D}, {&rs2, T}, {&u, T * FF},
      {&gu, T * FF}, {&fo, T * D}, {&m3, T * D}, {&r3, T * D}, {&t3, T * D}, {&xh3, T * D}, {&rs3, T}, {&kv, T1 * D}, {&cq, D},
      {&ckv, 2 * T1 * D}, {&cp, H * T1}, {&m4, H * T1}, {&cctx, D}, {&z, D}, {&dz, D}, {&dcctx, D}, {&dcq, D}, {&dckv, 2 * T1 * D},
      {&dkv, T1 * D}, {&dfo, T * D}, {&dgu, T * FF}, {&dt2, T * D}, {&da, T * D}, {&dctx, T * D}, {&dqkv, 3 * T * D}, {&dt1, T * D},
      {&deg, E}, {&dp, T1}};
    int64_t total = 0;
    for (auto& q : parts) total += (q.second + 15) / 16 * 16;
    buf.assign(total, 0.0f);
    int64_t off = 0;
    for (auto& q : parts) { *q.first = buf.data() + off; off += (q.second + 15) / 16 * 16; }
  }
};

FOMLAB_INLINE uint32_t fill_mask(float* m, int len, float pDrop, uint32_t key, uint32_t counter) {
  if (pDrop <= 0.0f) { for (int i = 0; i < len; i++) m[i] = 1.0f; return counter; }
  const uint32_t threshold = static_cast<uint32_t>(std::lround(static_cast<double>(pDrop) * 16777216.0));
  const float keep = static_cast<float>(1.0 / (1.0 - static_cast<double>(pDrop)));
  for (int i = 0; i < len; i++) m[i] = (fmix32(key + (counter + static_cast<uint32_t>(i)) * 0x632be5abu) >> 8) >= threshold ? keep : 0.0f;
  return counter + static_cast<uint32_t>(len);
}

template <int D_, int H_, int FF_, int E_>
struct Net {
  const TransformerArgs& a;
  const Offsets& o;
  const float* PT = nullptr;  // the parameters with every weight matrix transposed (same offsets)
  int T, D, H, FF, E, dh;
  explicit Net(const TransformerArgs& args, const Offsets& off) : a(args), o(off) {
    T = a.F; D = D_ ? D_ : a.D; H = H_ ? H_ : a.H; FF = FF_ ? FF_ : a.FF; E = E_ ? E_ : a.E; dh = D / H;
  }

  float forward(Scratch& s, int64_t row) const {
    const float* P = a.params;
    const int T1 = T + 1;
    const uint32_t key = a.dropP > 0.0f ? fmix32(a.seed ^ (static_cast<uint32_t>(row) * 0x9e3779b1u)) : 0u;
    for (int f = 0; f < T; f++) {
      const float xv = a.x[row * T + f];
      const float* w = P + o.emb[f];
      s.x[f] = xv;
      for (int j = 0; j < E; j++) { float v = w[j] * xv + w[E + j]; s.ea[f * E + j] = v; s.eg[f * E + j] = gelu(v); }
      affine_t(s.eg + f * E, PT + o.emb[f] + 2 * E, D, w + 2 * E + D * E, s.e0 + f * D, 1, E, D, D);
    }
    layer_norm(s.e0, s.t1, s.xh1, s.rs1, P + o.n1, P + o.n1 + D, T, D);
    const float* mha = P + o.mha;
    const float* mhaT = PT + o.mha;
    affine_t(s.t1, mhaT, 3 * D, mha + 3 * D * D, s.qkv, T, D, 3 * D, 3 * D);
    attention_weights(s.qkv, 3 * D, s.qkv + D, 3 * D, s.p, H, dh, T, T);
    uint32_t counter = fill_mask(s.m1, H * T * T, a.dropP, key, 0);
    attention_values(s.p, s.m1, s.qkv + 2 * D, 3 * D, s.ctx, H, dh, T, T, D);
    affine_t(s.ctx, mhaT + 3 * D * D + 3 * D, D, mha + 4 * D * D + 3 * D, s.a, T, D, D, D);
    counter = fill_mask(s.m2, T * D, a.dropP, key, counter);
    for (int i = 0; i < T * D; i++) s.r2[i] = s.t1[i] + s.a[i] * s.m2[i];
    layer_norm(s.r2, s.t2, s.xh2, s.rs2, P + o.n2, P + o.n2 + D, T, D);
    const float* ffn = P + o.ffn;
    const float* ffnT = PT + o.ffn;
    affine_t(s.t2, ffnT, FF, ffn + FF * D, s.u, T, D, FF, FF);
    for (int i = 0; i < T * FF; i++) s.gu[i] = gelu(s.u[i]);
    affine_t(s.gu, ffnT + FF * D + FF, D, ffn + FF * D + FF + D * FF, s.fo, T, FF, D, D);
    counter = fill_mask(s.m3, T * D, a.dropP, key, counter);
    for (int i = 0; i < T * D; i++) s.r3[i] = s.t2[i] + s.fo[i] * s.m3[i];
    layer_norm(s.r3, s.t3, s.xh3, s.rs3, P + o.n3, P + o.n3 + D, T, D);
    const float* cls = P + o.cls; const float* cm = P + o.cmha;
    for (int d = 0; d < D; d++) s.kv[d] = cls[d];
    std::copy(s.t3, s.t3 + T * D, s.kv + D);
    const float* cmT = PT + o.cmha;
    affine_t(s.kv, cmT, 3 * D, cm + 3 * D * D, s.cq, 1, D, D, D);
    affine_t(s.kv, cmT + D, 3 * D, cm + 3 * D * D + D, s.ckv, T1, D, 2 * D, 2 * D);
    attention_weights(s.cq, D, s.ckv, 2 * D, s.cp, H, dh, 1, T1);
    fill_mask(s.m4, H * T1, a.dropP, key, counter);
    attention_values(s.cp, s.m4, s.ckv + D, 2 * D, s.cctx, H, dh, 1, T1, D);
    affine_t(s.cctx, cmT + 3 * D * D + 3 * D, D, cm + 4 * D * D + 3 * D, s.z, 1, D, D, D);
    const float* w = P + o.out;
    float logit = w[D];
    for (int d = 0; d < D; d++) { s.z[d] += cls[d]; logit += w[d] * s.z[d]; }
    return fast_sigmoid(logit);
  }

  void backward(Scratch& s, float gl, float* G) const {
    const float* P = a.params;
    const int T1 = T + 1;
    const float* w = P + o.out;
    G[o.out + D] += gl;
    for (int d = 0; d < D; d++) { G[o.out + d] += gl * s.z[d]; s.dz[d] = gl * w[d]; G[o.cls + d] += s.dz[d]; }
    const float* cm = P + o.cmha; float* gcm = G + o.cmha;
    std::fill(s.dcctx, s.dcctx + D, 0.0f);
    affine_back(s.cctx, s.dz, D, cm + 3 * D * D + 3 * D, gcm + 3 * D * D + 3 * D, gcm + 4 * D * D + 3 * D, s.dcctx, 1, D, D);
    std::fill(s.dcq, s.dcq + D, 0.0f);
    std::fill(s.dckv, s.dckv + 2 * T1 * D, 0.0f);
    attention_back(s.cp, s.m4, s.cq, D, s.ckv, s.ckv + D, 2 * D, s.dcctx, s.dcq, s.dckv, s.dckv + D, s.dp, H, dh, 1, T1, D);
    std::fill(s.dkv, s.dkv + T1 * D, 0.0f);
    affine_back(s.kv, s.dcq, D, cm, gcm, gcm + 3 * D * D, s.dkv, 1, D, D);
    affine_back(s.kv, s.dckv, 2 * D, cm + D * D, gcm + D * D, gcm + 3 * D * D + D, s.dkv, T1, D, 2 * D);
    for (int d = 0; d < D; d++) G[o.cls + d] += s.dkv[d];
    float* dt3 = s.dkv + D;
    layer_norm_back(dt3, s.xh3, s.rs3, P + o.n3, G + o.n3, G + o.n3 + D, T, D);
    for (int i = 0; i < T * D; i++) { s.dt2[i] = dt3[i]; s.dfo[i] = dt3[i] * s.m3[i]; }
    const float* ffn = P + o.ffn; float* gf = G + o.ffn;
    std::fill(s.dgu, s.dgu + T * FF, 0.0f);
    affine_back(s.gu, s.dfo, D, ffn + FF * D + FF, gf + FF * D + FF, gf + FF * D + FF + D * FF, s.dgu, T, FF, D);
    for (int i = 0; i < T * FF; i++) s.dgu[i] *= gelu_grad(s.u[i]);
    affine_back(s.t2, s.dgu, FF, ffn, gf, gf + FF * D, s.dt2, T, D, FF);
    layer_norm_back(s.dt2, s.xh2, s.rs2, P + o.n2, G + o.n2, G + o.n2 + D, T, D);
    for (int i = 0; i < T * D; i++) { s.dt1[i] = s.dt2[i]; s.da[i] = s.dt2[i] * s.m2[i]; }
    const float* mha = P + o.mha; float* gm = G + o.mha;
    std::fill(s.dctx, s.dctx + T * D, 0.0f);
    affine_back(s.ctx, s.da, D, mha + 3 * D * D + 3 * D, gm + 3 * D * D + 3 * D, gm + 4 * D * D + 3 * D, s.dctx, T, D, D);
    std::fill(s.dqkv, s.dqkv + 3 * T * D, 0.0f);
    attention_back(s.p, s.m1, s.qkv, 3 * D, s.qkv + D, s.qkv + 2 * D, 3 * D, s.dctx, s.dqkv, s.dqkv + D, s.dqkv + 2 * D, s.dp, H, dh, T, T, D);
    affine_back(s.t1, s.dqkv, 3 * D, mha, gm, gm + 3 * D * D, s.dt1, T, D, 3 * D);
    layer_norm_back(s.dt1, s.xh1, s.rs1, P + o.n1, G + o.n1, G + o.n1 + D, T, D);
    for (int f = 0; f < T; f++) {
      const float* we = P + o.emb[f]; float* ge = G + o.emb[f];
      std::fill(s.deg, s.deg + E, 0.0f);
      affine_back(s.eg + f * E, s.dt1 + f * D, D, we + 2 * E, ge + 2 * E, ge + 2 * E + D * E, s.deg, 1, E, D);
      for (int j = 0; j < E; j++) {
        float g = s.deg[j] * gelu_grad(s.ea[f * E + j]);
        ge[j] += g * s.x[f];
        ge[E + j] += g;
      }
    }
  }
};

struct Part {
  std::vector<float> grad;
  double loss = 0.0, wsum = 0.0;
};

template <int D_, int H_, int FF_, int E_>
double run(const TransformerArgs& a, TransformerMode mode, float* out, const float* dOut, const float* target, const float* weight, float* grads) {
  const Offsets o = offsets(a.F, a.D, a.FF, a.E);
  // every weight matrix [out, in] also as [in, out], at the same offsets (the forward's axpy form)
  std::vector<float> PT(a.params, a.params + o.total);
  const auto transpose = [&](int64_t off, int nOut, int nIn) {
    for (int r = 0; r < nOut; r++)
      for (int c = 0; c < nIn; c++) PT[off + static_cast<int64_t>(c) * nOut + r] = a.params[off + static_cast<int64_t>(r) * nIn + c];
  };
  for (int f = 0; f < a.F; f++) transpose(o.emb[f] + 2 * a.E, a.D, a.E);
  for (int64_t m : {o.mha, o.cmha}) { transpose(m, 3 * a.D, a.D); transpose(m + 3 * a.D * a.D + 3 * a.D, a.D, a.D); }
  transpose(o.ffn, a.FF, a.D);
  transpose(o.ffn + a.FF * a.D + a.FF, a.D, a.FF);
  Net<D_, H_, FF_, E_> net(a, o);
  net.PT = PT.data();
  const bool back = mode != TF_FORWARD;
  // fixed parts of ≥ 64 events (at most 16): the same split, hence the same sums, on any number of threads
  const int parts = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(16, a.n / 64)));
  std::vector<Part> ps(parts);
  double wTotal = 1.0;
  if (mode == TF_BCE) {
    wTotal = 0.0;
    for (int64_t i = 0; i < a.n; i++) wTotal += weight ? weight[a.rows ? a.rows[i] : i] : 1.0f;
  }
  const float invW = static_cast<float>(1.0 / wTotal);
  parallel_run(parts, [&](int p, int np) {
    static thread_local Scratch s;
    static thread_local int64_t shapeKey = -1;
    const int64_t key = (((static_cast<int64_t>(a.F) * 1024 + a.D) * 64 + a.H) * 4096 + a.FF) * 1024 + a.E;
    if (shapeKey != key) { s.init(a.F, a.D, a.H, a.FF, a.E); shapeKey = key; }
    Part& P = ps[p];
    if (back) P.grad.assign(o.total, 0.0f);
    const int64_t i0 = a.n * p / np, i1 = a.n * (p + 1) / np;
    for (int64_t i = i0; i < i1; i++) {
      const int64_t r = a.rows ? a.rows[i] : i;
      const float y = net.forward(s, r);
      if (out) out[i] = y;
      if (!back) continue;
      float gl;
      if (mode == TF_BACKWARD) gl = dOut[i] * y * (1.0f - y);
      else {
        // PyTorch BCELoss: −w·[t·max(log y, −100) + (1−t)·max(log(1−y), −100)]; ∂/∂y = w(y−t)/max(y(1−y), 1e−12)
        const float t = target[r], w = weight ? weight[r] : 1.0f, q = 1.0f - y;
        P.loss -= w * (t * std::max(std::log(y), -100.0f) + (1.0f - t) * std::max(std::log(q), -100.0f));
        gl = w * (y - t) / std::max(y * q, 1e-12f) * y * q * invW;
      }
      net.backward(s, gl, P.grad.data());
    }
  });
  double loss = 0.0;
  for (auto& P : ps) loss += P.loss;
  if (back) {
    for (int64_t k = 0; k < o.total; k++) {
      double sum = 0.0;
      for (auto& P : ps) sum += P.grad[k];
      grads[k] += static_cast<float>(sum);
    }
  }
  return loss / wTotal;
}
}  // namespace

int64_t transformer_param_count(int F, int D, int, int FF, int E) { return offsets(F, D, FF, E).total; }

double transformer_run(const TransformerArgs& a, TransformerMode mode, float* out, const float* dOut, const float* target, const float* weight, float* grads) {
  if (a.D == 16 && a.H == 4 && a.FF == 64 && a.E == 4) return run<16, 4, 64, 4>(a, mode, out, dOut, target, weight, grads);
  return run<0, 0, 0, 0>(a, mode, out, dOut, target, weight, grads);
}
}  // namespace fomlab
