// N-API surface of the boosted trees (gbdt.cc): argument checks and zero-copy views of typed arrays.
#include <napi.h>
#include <cmath>
#include <string>
#include <vector>
#include "gbdt.h"
#include "pool.h"

namespace fomlab {
namespace {
struct Bad {};

[[noreturn]] void fail(const Napi::Env& env, const std::string& what) {
  Napi::TypeError::New(env, "gbdt (native): " + what).ThrowAsJavaScriptException();
  throw Bad{};
}

template <typename T, napi_typedarray_type Want>
T* arr(const Napi::Value& v, const char* name, size_t need, bool nullable = false) {
  if (nullable && (v.IsNull() || v.IsUndefined())) return nullptr;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != Want) fail(v.Env(), std::string(name) + ": wrong typed array");
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  if (t.ElementLength() < need) fail(v.Env(), std::string(name) + ": array too short (" + std::to_string(t.ElementLength()) + " < " + std::to_string(need) + ")");
  // the typed array's own data pointer (also for a SharedArrayBuffer, whose ArrayBuffer() view is not usable)
  return v.As<Napi::TypedArrayOf<T>>().Data();
}
size_t lenOf(const Napi::Value& v) { return v.IsTypedArray() ? v.As<Napi::TypedArray>().ElementLength() : 0; }
#define F32(v, name, need, ...) arr<float, napi_float32_array>(v, name, need, ##__VA_ARGS__)
#define I32(v, name, need, ...) arr<int32_t, napi_int32_array>(v, name, need, ##__VA_ARGS__)
#define U8(v, name, need, ...) arr<uint8_t, napi_uint8_array>(v, name, need, ##__VA_ARGS__)
#define F64(v, name, need, ...) arr<double, napi_float64_array>(v, name, need, ##__VA_ARGS__)

int64_t inum(const Napi::Value& v) { return v.As<Napi::Number>().Int64Value(); }

std::vector<const float*> columns(const Napi::Value& v, int64_t n) {
  if (!v.IsArray()) fail(v.Env(), "columns must be an array of Float32Array");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<const float*> out;
  for (uint32_t j = 0; j < a.Length(); j++) out.push_back(F32(a.Get(j), "column", n));
  return out;
}

template <typename F>
Napi::Value guard(const Napi::CallbackInfo& info, F f) {
  try { return f(); } catch (Bad&) { return info.Env().Undefined(); }
}

// gbdtCuts(column, weights | null, maxBin, sketch) → Float32Array of cuts (sketch: XGBoost's, else exact quantiles)
Napi::Value Cuts(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    size_t n = lenOf(info[0]);
    const float* x = F32(info[0], "column", n);
    const float* w = F32(info[1], "weights", n, true);
    int maxBin = static_cast<int>(inum(info[2]));
    if (maxBin < 2 || maxBin > GBDT_MAX_BINS) fail(info.Env(), "maxBin must be in 2…256");
    const bool sketch = info.Length() > 3 && info[3].ToBoolean();
    std::vector<float> c = sketch ? gbdt_sketch_cuts(x, w, static_cast<int64_t>(n), maxBin) : gbdt_cuts(x, w, static_cast<int64_t>(n), maxBin);
    Napi::Float32Array out = Napi::Float32Array::New(info.Env(), c.size());
    for (size_t k = 0; k < c.size(); k++) out[k] = c[k];
    return out;
  });
}

// gbdtCutsColumns(columns, weights | null, maxBins: Int32Array per column, sketch) → cuts per column, the columns
// shared out over the threads (each column's cuts as gbdtCuts gives them)
Napi::Value CutsColumns(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    Napi::Array list = info[0].As<Napi::Array>();
    const int nf = static_cast<int>(list.Length());
    const int64_t n = nf > 0 ? static_cast<int64_t>(lenOf(list.Get(0u))) : 0;
    std::vector<const float*> cols = columns(info[0], n);
    const float* w = F32(info[1], "weights", n, true);
    const int32_t* maxBins = I32(info[2], "maxBins", nf);
    for (int f = 0; f < nf; f++) if (maxBins[f] < 2 || maxBins[f] > GBDT_MAX_BINS) fail(info.Env(), "maxBins must be in 2…256");
    const bool sketch = info[3].ToBoolean();
    std::vector<std::vector<float>> cuts(nf);
    if (nf > 0) parallel_run(nf, [&](int f, int) {
      cuts[f] = sketch ? gbdt_sketch_cuts(cols[f], w, n, maxBins[f]) : gbdt_cuts(cols[f], w, n, maxBins[f]);
    });
    Napi::Array out = Napi::Array::New(info.Env(), nf);
    for (int f = 0; f < nf; f++) {
      Napi::Float32Array c = Napi::Float32Array::New(info.Env(), cuts[f].size());
      for (size_t k = 0; k < cuts[f].size(); k++) c[k] = cuts[f][k];
      out.Set(static_cast<uint32_t>(f), c);
    }
    return out;
  });
}

// gbdtBin(columns, cuts[], n, out: Uint8Array n × nf row-major)
Napi::Value Bin(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    int64_t n = inum(info[2]);
    std::vector<const float*> cols = columns(info[0], n);
    Napi::Array cuts = info[1].As<Napi::Array>();
    int nf = static_cast<int>(cols.size());
    if (static_cast<int>(cuts.Length()) != nf) fail(info.Env(), "one cut array per column expected");
    uint8_t* out = U8(info[3], "out", static_cast<size_t>(n) * nf);
    std::vector<const float*> cutsOf(nf);
    std::vector<int> nCuts(nf);
    for (int f = 0; f < nf; f++) {
      size_t nc = lenOf(cuts.Get(f));
      if (nc < 1 || nc > GBDT_MAX_BINS) fail(info.Env(), "cuts: 1…256 per column");
      cutsOf[f] = F32(cuts.Get(f), "cuts", nc);
      nCuts[f] = static_cast<int>(nc);
    }
    gbdt_bin_columns(cols.data(), nf, n, cutsOf.data(), nCuts.data(), out);
    return info.Env().Undefined();
  });
}

GbdtParams params(const Napi::Value& v) {
  const double* q = F64(v, "params", 9);
  GbdtParams p;
  p.maxDepth = static_cast<int>(q[0]); p.maxLeaves = static_cast<int>(q[1]); p.lossGuide = q[2] != 0;
  p.lambda = q[3]; p.alpha = q[4]; p.gamma = q[5]; p.minChildWeight = q[6]; p.minChildRows = q[7]; p.eta = q[8];
  return p;
}

template <typename A, typename T>
A typed(Napi::Env env, const std::vector<T>& v) {
  A a = A::New(env, v.size());
  for (size_t k = 0; k < v.size(); k++) a[k] = v[k];
  return a;
}

Napi::Object treeObject(Napi::Env env, const GbdtTree& t) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("feature", typed<Napi::Int32Array>(env, t.feature));
  o.Set("bin", typed<Napi::Int32Array>(env, t.bin));
  o.Set("left", typed<Napi::Int32Array>(env, t.left));
  o.Set("right", typed<Napi::Int32Array>(env, t.right));
  o.Set("defaultLeft", typed<Napi::Uint8Array>(env, t.defaultLeft));
  o.Set("value", typed<Napi::Float32Array>(env, t.value));
  o.Set("gain", typed<Napi::Float64Array>(env, t.gain));
  o.Set("cover", typed<Napi::Float64Array>(env, t.cover));
  return o;
}

GbdtTree treeFrom(const Napi::Value& v) {
  if (!v.IsObject()) fail(v.Env(), "tree must be an object");
  Napi::Object o = v.As<Napi::Object>();
  size_t m = lenOf(o.Get("feature"));
  GbdtTree t;
  const int32_t* f = I32(o.Get("feature"), "tree.feature", m);
  const int32_t* b = I32(o.Get("bin"), "tree.bin", m);
  const int32_t* l = I32(o.Get("left"), "tree.left", m);
  const int32_t* r = I32(o.Get("right"), "tree.right", m);
  const uint8_t* d = U8(o.Get("defaultLeft"), "tree.defaultLeft", m);
  const float* val = F32(o.Get("value"), "tree.value", m);
  for (size_t k = 0; k < m; k++)
    if (f[k] >= 0 && (l[k] <= static_cast<int32_t>(k) || r[k] <= static_cast<int32_t>(k) || l[k] >= static_cast<int32_t>(m) || r[k] >= static_cast<int32_t>(m))) fail(v.Env(), "tree: children must follow their parent");
  t.feature.assign(f, f + m); t.bin.assign(b, b + m); t.left.assign(l, l + m); t.right.assign(r, r + m);
  t.defaultLeft.assign(d, d + m); t.value.assign(val, val + m);
  return t;
}

// gbdtGrow(bins, n, nf, nBins, g, h, rows | null, features | null, params, margin?) → tree; margin (if given) gets
// every row's leaf value added (as gbdtAddBinned, but without walking the tree again where growth knows the leaves)
Napi::Value Grow(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    int64_t n = inum(info[1]);
    int nf = static_cast<int>(inum(info[2]));
    const uint8_t* bins = U8(info[0], "bins", static_cast<size_t>(n) * nf);
    const int32_t* nBins = I32(info[3], "nBins", nf);
    for (int f = 0; f < nf; f++) if (nBins[f] < 1 || nBins[f] > GBDT_MAX_BINS) fail(info.Env(), "nBins: 1…256 per feature");
    const float* g = F32(info[4], "grad", n);
    const float* h = F32(info[5], "hess", n);
    size_t nRows = lenOf(info[6]);
    const int32_t* rows = I32(info[6], "rows", nRows, true);
    if (rows) for (size_t k = 0; k < nRows; k++) if (rows[k] < 0 || rows[k] >= n || (k > 0 && rows[k] <= rows[k - 1])) fail(info.Env(), "rows: ascending indices in range expected");
    const uint8_t* features = U8(info[7], "features", nf, true);
    GbdtParams p = params(info[8]);
    float* margin = info.Length() > 9 ? F32(info[9], "margin", n, true) : nullptr;
    GbdtTree t = gbdt_grow(bins, n, nf, nBins, g, h, rows, rows ? static_cast<int64_t>(nRows) : n, features, p, margin);
    return treeObject(info.Env(), t);
  });
}

// gbdtAddBinned(bins, n, nf, tree, margin)
Napi::Value AddBinned(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    int64_t n = inum(info[1]);
    int nf = static_cast<int>(inum(info[2]));
    const uint8_t* bins = U8(info[0], "bins", static_cast<size_t>(n) * nf);
    GbdtTree t = treeFrom(info[3]);
    for (int32_t f : t.feature) if (f >= nf) fail(info.Env(), "tree: feature out of range");
    gbdt_add_binned(bins, n, nf, t, F32(info[4], "margin", n));
    return info.Env().Undefined();
  });
}

// gbdtLogistic(margin, target, weight | null, posScale, grad, hess): g = w·s·(p − y), h = w·s·max(p(1 − p), 1e−16)
Napi::Value Logistic(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    size_t n = lenOf(info[0]);
    const float* m = F32(info[0], "margin", n);
    const float* y = F32(info[1], "target", n);
    const float* w = F32(info[2], "weight", n, true);
    double posScale = info[3].As<Napi::Number>().DoubleValue();
    float* g = F32(info[4], "grad", n);
    float* h = F32(info[5], "hess", n);
    int64_t nn = static_cast<int64_t>(n);
    parallel_run(static_cast<int>(std::min<int64_t>(8, std::max<int64_t>(1, nn / 32768))), [&](int q, int np) {
      for (int64_t i = nn * q / np, e = nn * (q + 1) / np; i < e; i++) {
        double p = 1.0 / (1.0 + std::exp(-static_cast<double>(m[i])));
        double s = (w ? w[i] : 1.0) * (y[i] > 0.5f ? posScale : 1.0);
        g[i] = static_cast<float>(s * (p - y[i]));
        h[i] = static_cast<float>(s * std::max(p * (1 - p), 1e-16));
      }
    });
    return info.Env().Undefined();
  });
}

// gbdtPredict(columns, n, feature, threshold, left, right, defaultLeft, value, roots, base, out)
Napi::Value Predict(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    int64_t n = inum(info[1]);
    std::vector<const float*> cols = columns(info[0], n);
    size_t m = lenOf(info[2]);
    GbdtForest f;
    f.feature = I32(info[2], "feature", m);
    f.threshold = F32(info[3], "threshold", m);
    f.left = I32(info[4], "left", m);
    f.right = I32(info[5], "right", m);
    f.defaultLeft = U8(info[6], "defaultLeft", m);
    f.value = F32(info[7], "value", m);
    size_t nt = lenOf(info[8]);
    f.roots = I32(info[8], "roots", nt);
    f.nTrees = static_cast<int>(nt);
    for (size_t k = 0; k < m; k++) {
      if (f.feature[k] >= static_cast<int32_t>(cols.size())) fail(info.Env(), "forest: feature index out of range");
      if (f.feature[k] >= 0 && (f.left[k] <= static_cast<int32_t>(k) || f.right[k] <= static_cast<int32_t>(k) || f.left[k] >= static_cast<int32_t>(m) || f.right[k] >= static_cast<int32_t>(m)))
        fail(info.Env(), "forest: children must follow their parent");
    }
    for (size_t t = 0; t < nt; t++) if (f.roots[t] < 0 || f.roots[t] >= static_cast<int32_t>(m)) fail(info.Env(), "forest: root out of range");
    float* out = F32(info[10], "out", n);
    gbdt_predict(f, cols.data(), n, static_cast<float>(info[9].As<Napi::Number>().DoubleValue()), out);
    return info.Env().Undefined();
  });
}
}  // namespace

void register_gbdt(Napi::Env env, Napi::Object exports) {
  exports["gbdtCuts"] = Napi::Function::New(env, Cuts);
  exports["gbdtCutsColumns"] = Napi::Function::New(env, CutsColumns);
  exports["gbdtBin"] = Napi::Function::New(env, Bin);
  exports["gbdtGrow"] = Napi::Function::New(env, Grow);
  exports["gbdtAddBinned"] = Napi::Function::New(env, AddBinned);
  exports["gbdtLogistic"] = Napi::Function::New(env, Logistic);
  exports["gbdtPredict"] = Napi::Function::New(env, Predict);
}
}  // namespace fomlab
