// Weighted distance correlation of two 1-d variables and its exact gradient in O(n log n): the C++ twin of
// src/core/kernels/disco.ts (same formulas, same sweep order; see that file for the derivation, Huo & Székely 2016).
// discoFast(x, y, w|null, grad|null, yOrder|null) → [R, V(x,y), V(x,x), V(y,y)]; float32 in and out, float64 inside.
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace fomlab {
namespace {

using Vec = std::vector<double>;
using Idx = std::vector<int32_t>;

Vec centred(const float* v, int64_t n) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (int64_t i = 0; i < n; i++) { lo = std::min(lo, double(v[i])); hi = std::max(hi, double(v[i])); }
  const double mid = n ? (lo + hi) / 2 : 0;
  Vec out(n);
  for (int64_t i = 0; i < n; i++) out[i] = double(v[i]) - mid;
  return out;
}

// ascending, ties by index (= the twin's stable radix order); (value, index) pairs sort contiguously in memory
Idx argsort(const Vec& v) {
  std::vector<std::pair<double, int32_t>> kv(v.size());
  for (size_t i = 0; i < v.size(); i++) kv[i] = {v[i], int32_t(i)};
  std::sort(kv.begin(), kv.end());
  Idx o(v.size());
  for (size_t i = 0; i < v.size(); i++) o[i] = kv[i].second;
  return o;
}

// ā_i = (1/n) Σ_j w_j |v_i − v_j| from the ascending order (groups of equal values share the sums)
Vec rowMeans(const Vec& v, const Vec& w, const Idx& order, double n, double W, double WV) {
  const int64_t m = int64_t(order.size());
  Vec out(m);
  double wB = 0, wvB = 0;
  for (int64_t p = 0; p < m;) {
    const double val = v[order[p]];
    int64_t q = p;
    double gw = 0, gwv = 0;
    while (q < m && v[order[q]] == val) { gw += w[order[q]]; gwv += w[order[q]] * val; q++; }
    const double mean = (val * wB - wvB + (WV - wvB - gwv) - val * (W - wB - gw)) / n;
    for (int64_t k = p; k < q; k++) out[order[k]] = mean;
    wB += gw; wvB += gwv; p = q;
  }
  return out;
}

struct Result { double value, vxy, vxx, vyy; };

Result disco(const float* x, const float* y, const float* wIn, int64_t n, const int32_t* yOrder, float* grad) {
  Vec xs = centred(x, n), ys = centred(y, n), w(n);
  double wsum = 0;
  for (int64_t i = 0; i < n; i++) { w[i] = wIn ? double(wIn[i]) : 1.0; wsum += w[i]; }
  double check = wsum;
  for (int64_t i = 0; i < n; i++) check += xs[i] + ys[i];
  if (!std::isfinite(check)) {  // a NaN or ±Inf anywhere (a diverged net): NaN, as the twin
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (grad) std::fill(grad, grad + n, std::numeric_limits<float>::quiet_NaN());
    return Result{nan, nan, nan, nan};
  }
  const double nd = double(n);
  for (int64_t i = 0; i < n; i++) w[i] *= nd / wsum;
  const Idx ox = argsort(xs);
  const Idx oy = yOrder ? Idx(yOrder, yOrder + n) : argsort(ys);
  double W = 0, WX = 0, WY = 0, WXX = 0, WYY = 0;
  for (int64_t i = 0; i < n; i++) { W += w[i]; WX += w[i] * xs[i]; WY += w[i] * ys[i]; WXX += w[i] * xs[i] * xs[i]; WYY += w[i] * ys[i] * ys[i]; }
  const Vec abar = rowMeans(xs, w, ox, nd, W, WX), bbar = rowMeans(ys, w, oy, nd, W, WY);
  double ga = 0, gb = 0, cab = 0, caa = 0, cbb = 0;
  for (int64_t i = 0; i < n; i++) { ga += w[i] * abar[i]; gb += w[i] * bbar[i]; cab += w[i] * abar[i] * bbar[i]; caa += w[i] * abar[i] * abar[i]; cbb += w[i] * bbar[i] * bbar[i]; }
  ga /= nd; gb /= nd;
  Idx rankY(n);
  for (int64_t r = 0; r < n; r++) rankY[oy[r]] = int32_t(r + 1);

  // ascending x: Fenwick tree over y-ranks of the events below (Σw, Σwy, Σwx, Σwxy); tie groups queried first
  std::vector<double> tree(4 * (n + 1), 0.0);
  Vec below(grad ? n : 0);
  double S = 0, tW = 0, tWY = 0, tWX = 0, tWXY = 0;
  for (int64_t p = 0; p < n;) {
    const double val = xs[ox[p]];
    int64_t q = p;
    while (q < n && xs[ox[q]] == val) q++;
    for (int64_t m = p; m < q; m++) {
      const int32_t k = ox[m];
      const double yk = ys[k];
      double w1 = 0, wy1 = 0, wx1 = 0, wxy1 = 0;
      for (int64_t r = rankY[k] - 1; r > 0; r -= r & -r) { const double* b = &tree[4 * r]; w1 += b[0]; wy1 += b[1]; wx1 += b[2]; wxy1 += b[3]; }
      const double G = yk * w1 - wy1 + (tWY - wy1) - yk * (tW - w1);
      const double H = yk * wx1 - wxy1 + (tWXY - wxy1) - yk * (tWX - wx1);
      S += 2 * w[k] * (xs[k] * G - H);
      if (grad) below[k] = G;
    }
    for (int64_t m = p; m < q; m++) {
      const int32_t k = ox[m];
      const double wk = w[k], xk = xs[k], yk = ys[k];
      for (int64_t r = rankY[k]; r <= n; r += r & -r) { double* b = &tree[4 * r]; b[0] += wk; b[1] += wk * yk; b[2] += wk * xk; b[3] += wk * xk * yk; }
      tW += wk; tWY += wk * yk; tWX += wk * xk; tWXY += wk * xk * yk;
    }
    p = q;
  }
  const double n2 = nd * nd;
  Result res;
  res.vxy = S / n2 - (2 / nd) * cab + ga * gb;
  res.vxx = (2 * nd * WXX - 2 * WX * WX) / n2 - (2 / nd) * caa + ga * ga;
  res.vyy = (2 * nd * WYY - 2 * WY * WY) / n2 - (2 / nd) * cbb + gb * gb;
  const double denom = std::sqrt(res.vxx * res.vyy);
  res.value = denom > 0 ? res.vxy / denom : 0;
  if (!grad) return res;
  std::fill(grad, grad + n, 0.0f);
  if (!(denom > 0)) return res;

  // descending x: Σ_{x_j>x_k} w_j |y_k − y_j| (2-field tree)
  std::vector<double> t2(2 * (n + 1), 0.0);
  Vec above(n);
  tW = 0; tWY = 0;
  for (int64_t q = n; q > 0;) {
    const double val = xs[ox[q - 1]];
    int64_t p = q;
    while (p > 0 && xs[ox[p - 1]] == val) p--;
    for (int64_t m = p; m < q; m++) {
      const int32_t k = ox[m];
      const double yk = ys[k];
      double w1 = 0, wy1 = 0;
      for (int64_t r = rankY[k] - 1; r > 0; r -= r & -r) { w1 += t2[2 * r]; wy1 += t2[2 * r + 1]; }
      above[k] = yk * w1 - wy1 + (tWY - wy1) - yk * (tW - w1);
    }
    for (int64_t m = p; m < q; m++) {
      const int32_t k = ox[m];
      const double wk = w[k], yk = ys[k];
      for (int64_t r = rankY[k]; r <= n; r += r & -r) { t2[2 * r] += wk; t2[2 * r + 1] += wk * yk; }
      tW += wk; tWY += wk * yk;
    }
    q = p;
  }
  double Wt = 0, At = 0, Bt = 0;
  for (int64_t i = 0; i < n; i++) { Wt += w[i]; At += w[i] * abar[i]; Bt += w[i] * bbar[i]; }
  const double invDenom = 1 / denom, rOverVxx = res.value / res.vxx;
  double wB = 0, aB = 0, bB = 0;
  for (int64_t p = 0; p < n;) {
    const double val = xs[ox[p]];
    int64_t q = p;
    double gw = 0, gA = 0, gB = 0;
    while (q < n && xs[ox[q]] == val) { const int32_t k = ox[q]; gw += w[k]; gA += w[k] * abar[k]; gB += w[k] * bbar[k]; q++; }
    const double sW = wB - (Wt - wB - gw), sA = aB - (At - aB - gA), sB = bB - (Bt - bB - gB);
    for (int64_t m = p; m < q; m++) {
      const int32_t k = ox[m];
      const double T = below[k] - above[k] - (bbar[k] - gb) * sW - sB;  // Σ_j w_j B_kj s_kj
      const double U = xs[k] * nd - WX - (abar[k] - ga) * sW - sA;      // Σ_j w_j A_kj s_kj
      grad[k] = float(((2 / n2) * w[k] * T) * invDenom - 0.5 * rOverVxx * (4 / n2) * w[k] * U);
    }
    wB += gw; aB += gA; bB += gB; p = q;
  }
  return res;
}

template <typename A>
auto* data(const Napi::Value& v, int64_t n, const char* what, bool nullable) {
  using T = std::remove_pointer_t<decltype(A().Data())>;
  if (nullable && (v.IsNull() || v.IsUndefined())) return static_cast<T*>(nullptr);
  if (!v.IsTypedArray() || int64_t(v.As<A>().ElementLength()) != n) {
    Napi::TypeError::New(v.Env(), std::string("discoFast: ") + what + " must be a typed array of the events' length").ThrowAsJavaScriptException();
    throw 0;
  }
  return v.As<A>().Data();
}

Napi::Value DiscoFast(const Napi::CallbackInfo& info) {
  try {
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      Napi::TypeError::New(info.Env(), "discoFast: x must be a Float32Array").ThrowAsJavaScriptException();
      return info.Env().Undefined();
    }
    const int64_t n = int64_t(info[0].As<Napi::Float32Array>().ElementLength());
    const float* x = data<Napi::Float32Array>(info[0], n, "x", false);
    const float* y = data<Napi::Float32Array>(info[1], n, "y", false);
    const float* w = data<Napi::Float32Array>(info[2], n, "w", true);
    float* g = data<Napi::Float32Array>(info[3], n, "grad", true);
    const int32_t* yo = data<Napi::Int32Array>(info[4], n, "yOrder", true);
    if (yo) {  // a permutation of 0…n−1, else the Fenwick ranks would be out of range
      std::vector<char> seen(n, 0);
      for (int64_t i = 0; i < n; i++) {
        if (yo[i] < 0 || yo[i] >= n || seen[yo[i]]) { Napi::RangeError::New(info.Env(), "discoFast: yOrder is not a permutation").ThrowAsJavaScriptException(); return info.Env().Undefined(); }
        seen[yo[i]] = 1;
      }
    }
    const Result r = disco(x, y, w, n, yo, g);
    Napi::Float64Array out = Napi::Float64Array::New(info.Env(), 4);
    out[0] = r.value; out[1] = r.vxy; out[2] = r.vxx; out[3] = r.vyy;
    return out;
  } catch (int) {
    return info.Env().Undefined();
  }
}

}  // namespace

void register_disco(Napi::Env env, Napi::Object exports) {
  exports.Set("discoFast", Napi::Function::New(env, DiscoFast));
}

}  // namespace fomlab
