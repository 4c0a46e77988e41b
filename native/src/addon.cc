// N-API surface: argument checks and zero-copy views of the typed arrays; all work is in dense.cc / mlp.cc.
#include <napi.h>
#include <cmath>
#include <type_traits>
#include <vector>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __linux__
#include <fcntl.h>  // fallocate (g++ defines _GNU_SOURCE)
#include <cerrno>
#endif
#include "crc32.h"
#include "dense.h"
#include "mlp.h"
#include "pool.h"
#include "soa.h"
#include "transformer.h"

namespace fomlab {
void register_simulate(Napi::Env env, Napi::Object exports);  // simulate_napi.cc
void register_gbdt(Napi::Env env, Napi::Object exports);      // gbdt_napi.cc
void register_disco(Napi::Env env, Napi::Object exports);     // disco.cc
void register_batching(Napi::Env env, Napi::Object exports);  // batching.cc
}

using namespace fomlab;

namespace {
struct Bad {};  // thrown after setting a pending JS exception (C++ exceptions stay inside this file)

template <typename T, typename A>
T* view(const Napi::CallbackInfo& info, size_t i, int64_t need, bool nullable = false) {
  Napi::Value v = info[i];
  if (nullable && (v.IsNull() || v.IsUndefined())) return nullptr;
  constexpr napi_typedarray_type want = std::is_same<T, float>::value ? napi_float32_array : napi_int32_array;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != want) {
    Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + (want == napi_float32_array ? ": Float32Array expected" : ": Int32Array expected")).ThrowAsJavaScriptException();
    throw Bad{};
  }
  A arr = v.As<A>();
  if (static_cast<int64_t>(arr.ElementLength()) < need) { Napi::RangeError::New(info.Env(), "argument " + std::to_string(i) + ": array too short").ThrowAsJavaScriptException(); throw Bad{}; }
  return arr.Data();
}
float* f32(const Napi::CallbackInfo& info, size_t i, int64_t need, bool nullable = false) { return view<float, Napi::Float32Array>(info, i, need, nullable); }
int32_t* i32(const Napi::CallbackInfo& info, size_t i, int64_t need, bool nullable = false) { return view<int32_t, Napi::Int32Array>(info, i, need, nullable); }
int64_t len(const Napi::CallbackInfo& info, size_t i) { return static_cast<int64_t>(info[i].As<Napi::TypedArray>().ElementLength()); }
double num(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().DoubleValue(); }
int64_t inum(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }
bool flag(const Napi::CallbackInfo& info, size_t i) { return info[i].ToBoolean().Value(); }

template <typename F>
Napi::Value guard(const Napi::CallbackInfo& info, F f) {
  try { return f(); } catch (Bad&) { return info.Env().Undefined(); }
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    bool tA = flag(info, 0), tB = flag(info, 1);
    int m = static_cast<int>(inum(info, 2)), n = static_cast<int>(inum(info, 3)), k = static_cast<int>(inum(info, 4));
    float* a = f32(info, 6, static_cast<int64_t>(m) * k);
    float* b = f32(info, 7, static_cast<int64_t>(k) * n);
    float* c = f32(info, 9, static_cast<int64_t>(m) * n);
    gemm(tA, tB, m, n, k, static_cast<float>(num(info, 5)), a, b, static_cast<float>(num(info, 8)), c);
    return info.Env().Undefined();
  });
}

// denseForward(x, w, b, y, n, nIn, nOut, act)
Napi::Value DenseForward(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t n = inum(info, 4);
    int nIn = static_cast<int>(inum(info, 5)), nOut = static_cast<int>(inum(info, 6));
    MlpArgs a;
    int32_t sizes[2] = {nIn, nOut}, acts[1] = {static_cast<int32_t>(inum(info, 7))};
    a.layers = 1; a.sizes = sizes; a.acts = acts; a.params = nullptr; a.rows = nullptr; a.n = n;
    a.x = f32(info, 0, n * nIn);
    a.w = {f32(info, 1, static_cast<int64_t>(nIn) * nOut)};
    a.b = {f32(info, 2, nOut, true)};
    float* y = f32(info, 3, n * nOut);
    if (n > 0) mlp_run(a, MLP_FORWARD, y, nullptr, nullptr, nullptr, nullptr);
    return info.Env().Undefined();
  });
}

// denseBackward(x, w, y, dy, dx, dw, db, n, nIn, nOut, act, bias)
Napi::Value DenseBackward(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t n = inum(info, 7);
    int nIn = static_cast<int>(inum(info, 8)), nOut = static_cast<int>(inum(info, 9)), act = static_cast<int>(inum(info, 10));
    float* x = f32(info, 0, n * nIn);
    float* w = f32(info, 1, static_cast<int64_t>(nIn) * nOut);
    float* y = f32(info, 2, n * nOut);
    float* dy = f32(info, 3, n * nOut);
    float* dx = f32(info, 4, n * nIn, true);
    float* dw = f32(info, 5, static_cast<int64_t>(nIn) * nOut, true);
    float* db = f32(info, 6, nOut, true);
    float* bias = info.Length() > 11 ? f32(info, 11, nOut, true) : nullptr;
    if (n > 0) dense_backward(x, w, bias, y, dy, dx, dw, db, n, nIn, nOut, act);
    return info.Env().Undefined();
  });
}

Napi::Value Activate(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t l = len(info, 1);
    activate(static_cast<int>(inum(info, 0)), f32(info, 1, l), f32(info, 2, l), l);
    return info.Env().Undefined();
  });
}

Napi::Value ActivateBackward(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t l = len(info, 1);
    activate_backward(static_cast<int>(inum(info, 0)), f32(info, 1, l), f32(info, 2, l), f32(info, 3, l), f32(info, 4, l), l);
    return info.Env().Undefined();
  });
}

Napi::Value SegmentSum(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t l = len(info, 0), m = len(info, 2);
    float* v = f32(info, 0, l);
    int32_t* s = i32(info, 1, l);
    float* o = f32(info, 2, 0);
    for (int64_t i = 0; i < l; i++) if (s[i] >= 0 && s[i] < m) o[s[i]] += v[i];
    return info.Env().Undefined();
  });
}

// csrSum(offsets, events, coef, values, out) and csrSumBackward(offsets, events, coef, dOut, dValues)
Napi::Value Csr(const Napi::CallbackInfo& info, bool backward) {
  return guard(info, [&] {
    int64_t H = len(info, 0) - 1, nv = len(info, 3 + backward);
    int32_t* off = i32(info, 0, 1);
    int64_t nnz = H >= 0 ? off[H] : 0;
    for (int64_t h = 0; h < H; h++) if (off[h] < 0 || off[h] > off[h + 1]) { Napi::RangeError::New(info.Env(), "offsets must be non-decreasing from ≥ 0").ThrowAsJavaScriptException(); throw Bad{}; }
    int32_t* ev = i32(info, 1, nnz);
    float* coef = f32(info, 2, nnz, true);
    float* src = f32(info, 3, backward ? H : 0);
    float* dst = f32(info, 4, backward ? 0 : H);
    // nv: the length of values (forward) or of dValues (backward), read once (not an N-API call per entry)
    for (int64_t j = 0; j < nnz; j++) if (ev[j] < 0 || ev[j] >= nv) { Napi::RangeError::New(info.Env(), "event index out of range").ThrowAsJavaScriptException(); throw Bad{}; }
    for (int64_t h = 0; h < H; h++) {
      if (!backward) {
        float s = 0.0f;
        for (int32_t j = off[h]; j < off[h + 1]; j++) s += src[ev[j]] * (coef ? coef[j] : 1.0f);
        dst[h] = s;
      } else {
        float g = src[h];
        for (int32_t j = off[h]; j < off[h + 1]; j++) dst[ev[j]] += g * (coef ? coef[j] : 1.0f);
      }
    }
    return info.Env().Undefined();
  });
}

// mlp*(sizes, acts, params, x, rows, n, …)
MlpArgs mlpArgs(const Napi::CallbackInfo& info) {
  MlpArgs a;
  int64_t L = len(info, 0) - 1;
  a.layers = static_cast<int>(L);
  a.sizes = i32(info, 0, 2);
  a.acts = i32(info, 1, L);
  int64_t np = 0;
  for (int l = 0; l < L; l++) np += static_cast<int64_t>(a.sizes[l]) * a.sizes[l + 1] + a.sizes[l + 1];
  a.params = f32(info, 2, np);
  a.n = inum(info, 5);
  a.rows = i32(info, 4, a.n, true);
  int64_t events = len(info, 3) / a.sizes[0];
  a.x = f32(info, 3, a.rows ? 0 : a.n * a.sizes[0]);
  if (a.rows) for (int64_t i = 0; i < a.n; i++) if (a.rows[i] < 0 || a.rows[i] >= events) { Napi::RangeError::New(info.Env(), "row index out of range").ThrowAsJavaScriptException(); throw Bad{}; }
  return a;
}
int64_t nParams(const MlpArgs& a) {
  int64_t np = 0;
  for (int l = 0; l < a.layers; l++) np += static_cast<int64_t>(a.sizes[l]) * a.sizes[l + 1] + a.sizes[l + 1];
  return np;
}

// mlpForward(sizes, acts, params, x, rows, n, out)
Napi::Value MlpForward(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    MlpArgs a = mlpArgs(info);
    float* out = f32(info, 6, a.n * a.sizes[a.layers]);
    if (a.n > 0) mlp_run(a, MLP_FORWARD, out, nullptr, nullptr, nullptr, nullptr);
    return info.Env().Undefined();
  });
}

// mlpBackward(sizes, acts, params, x, rows, n, dOut, grads)
Napi::Value MlpBackward(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    MlpArgs a = mlpArgs(info);
    float* dOut = f32(info, 6, a.n * a.sizes[a.layers]);
    float* grads = f32(info, 7, nParams(a));
    if (a.n > 0) mlp_run(a, MLP_BACKWARD, nullptr, dOut, nullptr, nullptr, grads);
    return info.Env().Undefined();
  });
}

// mlpBce(sizes, acts, params, x, rows, n, target, weight, grads, out) → mean weighted BCE
Napi::Value MlpBce(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    MlpArgs a = mlpArgs(info);
    if (a.sizes[a.layers] != 1) { Napi::RangeError::New(info.Env(), "mlpBce needs one output").ThrowAsJavaScriptException(); throw Bad{}; }
    int64_t events = len(info, 3) / a.sizes[0];
    float* t = f32(info, 6, events);
    float* w = f32(info, 7, events, true);
    float* grads = f32(info, 8, nParams(a));
    float* out = f32(info, 9, a.n, true);
    double loss = a.n > 0 ? mlp_run(a, MLP_BCE, out, nullptr, t, w, grads) : 0.0;
    return Napi::Number::New(info.Env(), loss);
  });
}

// gatherRows(src, rowLen, rows, out)
Napi::Value GatherRows(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t rowLen = inum(info, 1), m = len(info, 2), nRows = rowLen > 0 ? len(info, 0) / rowLen : 0;
    float* src = f32(info, 0, 0);
    int32_t* rows = i32(info, 2, m);
    float* out = f32(info, 3, m * rowLen);
    for (int64_t i = 0; i < m; i++) if (rows[i] < 0 || rows[i] >= nRows) { Napi::RangeError::New(info.Env(), "row index out of range").ThrowAsJavaScriptException(); throw Bad{}; }
    for (int64_t i = 0; i < m; i++) {
      if (i + 16 < m) __builtin_prefetch(src + static_cast<int64_t>(rows[i + 16]) * rowLen);
      const float* s = src + static_cast<int64_t>(rows[i]) * rowLen;
      for (int64_t j = 0; j < rowLen; j++) out[i * rowLen + j] = s[j];
    }
    return info.Env().Undefined();
  });
}

// sgdStep(params, grads, velocity, lr, momentum, dampening, weightDecay, nesterov, first)
Napi::Value SgdStep(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t l = len(info, 0);
    sgd_step(f32(info, 0, l), f32(info, 1, l), f32(info, 2, l, true), l, static_cast<float>(num(info, 3)), static_cast<float>(num(info, 4)),
             static_cast<float>(num(info, 5)), static_cast<float>(num(info, 6)), flag(info, 7), flag(info, 8));
    return info.Env().Undefined();
  });
}

// adamStep(params, grads, m, v, step, lr, beta1, beta2, eps, weightDecay, decoupled)
Napi::Value AdamStep(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    int64_t l = len(info, 0);
    adam_step(f32(info, 0, l), f32(info, 1, l), f32(info, 2, l), f32(info, 3, l), l, num(info, 4), static_cast<float>(num(info, 5)),
              static_cast<float>(num(info, 6)), static_cast<float>(num(info, 7)), static_cast<float>(num(info, 8)), static_cast<float>(num(info, 9)), flag(info, 10));
    return info.Env().Undefined();
  });
}

// transformerRun(dims[F, D, H, FF, E], params, x, rows, n, p, seed, mode, out, dOut, target, weight, grads) → loss (BCE mode)
Napi::Value TransformerRun(const Napi::CallbackInfo& info) {
  return guard(info, [&]() -> Napi::Value {
    const int32_t* dims = i32(info, 0, 5);
    TransformerArgs a{dims[0], dims[1], dims[2], dims[3], dims[4], nullptr, nullptr, nullptr, 0, 0.0f, 0u};
    if (a.F < 1 || a.D < 1 || a.H < 1 || a.FF < 1 || a.E < 1 || a.D % a.H != 0) { Napi::RangeError::New(info.Env(), "transformerRun: bad dims").ThrowAsJavaScriptException(); throw Bad{}; }
    const int64_t np = transformer_param_count(a.F, a.D, a.H, a.FF, a.E);
    a.params = f32(info, 1, np);
    a.n = inum(info, 4);
    const int64_t events = len(info, 2) / a.F;
    a.x = f32(info, 2, 0);
    a.rows = i32(info, 3, a.n, true);
    if (!a.rows && a.n > events) { Napi::RangeError::New(info.Env(), "transformerRun: n exceeds the events of x").ThrowAsJavaScriptException(); throw Bad{}; }
    if (a.rows) for (int64_t i = 0; i < a.n; i++) if (a.rows[i] < 0 || a.rows[i] >= events) { Napi::RangeError::New(info.Env(), "row index out of range").ThrowAsJavaScriptException(); throw Bad{}; }
    a.dropP = static_cast<float>(num(info, 5));
    a.seed = static_cast<uint32_t>(inum(info, 6));
    const int mode = static_cast<int>(inum(info, 7));
    float* out = f32(info, 8, a.n, true);
    float* dOut = mode == TF_BACKWARD ? f32(info, 9, a.n) : nullptr;
    float* target = mode == TF_BCE ? f32(info, 10, events) : nullptr;
    float* weight = mode == TF_BCE ? f32(info, 11, events, true) : nullptr;
    float* grads = mode != TF_FORWARD ? f32(info, 12, np) : nullptr;
    if (mode == TF_FORWARD && !out) { Napi::TypeError::New(info.Env(), "transformerRun: forward needs out").ThrowAsJavaScriptException(); throw Bad{}; }
    double loss = a.n > 0 ? transformer_run(a, static_cast<TransformerMode>(mode), out, dOut, target, weight, grads) : 0.0;
    return Napi::Number::New(info.Env(), loss);
  });
}

// float32Fold(values, mins, maxs, j): mins[j] = min(mins[j], values), maxs[j] likewise, over the non-NaN values (NaN is
// skipped, as Parquet's statistics want) — the Parquet writer's column statistics (src/data/writers/parquet.ts
// foldMinMaxPortable is the TypeScript twin). MINPS/MAXPS return their second operand when either is NaN, so a NaN value
// leaves the running bound as it is; 16 lanes in flight.
void float32Fold(const float* v, int64_t n, double* lo, double* hi) {
  float l = static_cast<float>(*lo), h = static_cast<float>(*hi);
  int64_t i = 0;
#ifdef __SSE2__
  if (n >= 16) {
    __m128 l0 = _mm_set1_ps(l), l1 = l0, l2 = l0, l3 = l0, h0 = _mm_set1_ps(h), h1 = h0, h2 = h0, h3 = h0;
    for (; i + 16 <= n; i += 16) {
      const __m128 a = _mm_loadu_ps(v + i), b = _mm_loadu_ps(v + i + 4), c = _mm_loadu_ps(v + i + 8), d = _mm_loadu_ps(v + i + 12);
      l0 = _mm_min_ps(a, l0); l1 = _mm_min_ps(b, l1); l2 = _mm_min_ps(c, l2); l3 = _mm_min_ps(d, l3);
      h0 = _mm_max_ps(a, h0); h1 = _mm_max_ps(b, h1); h2 = _mm_max_ps(c, h2); h3 = _mm_max_ps(d, h3);
    }
    alignas(16) float ls[4], hs[4];
    _mm_store_ps(ls, _mm_min_ps(_mm_min_ps(l0, l1), _mm_min_ps(l2, l3)));
    _mm_store_ps(hs, _mm_max_ps(_mm_max_ps(h0, h1), _mm_max_ps(h2, h3)));
    for (int k = 0; k < 4; k++) {
      if (ls[k] < l) l = ls[k];
      if (hs[k] > h) h = hs[k];
    }
  }
#endif
  for (; i < n; i++) {
    if (v[i] < l) l = v[i];
    if (v[i] > h) h = v[i];
  }
  *lo = l;
  *hi = h;
}

Napi::Value Float32Fold(const Napi::CallbackInfo& info) {
  return guard(info, [&] {
    const float* v = f32(info, 0, 0);
    const int64_t n = len(info, 0);
    const int64_t j = inum(info, 3);
    for (size_t k = 1; k <= 2; k++) {
      if (!info[k].IsTypedArray() || info[k].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array || j < 0 || j >= len(info, k)) {
        Napi::TypeError::New(info.Env(), "float32Fold: mins and maxs must be Float64Arrays longer than j").ThrowAsJavaScriptException();
        throw Bad{};
      }
    }
    double* lo = info[1].As<Napi::Float64Array>().Data() + j;
    double* hi = info[2].As<Napi::Float64Array>().Data() + j;
    float32Fold(v, n, lo, hi);
    return info.Env().Undefined();
  });
}

// crc32(bytes: Uint8Array) → the CRC-32 of the bytes (crc32.cc; registered only where the PCLMULQDQ path runs)
Napi::Value Crc32(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(info.Env(), "crc32: Uint8Array expected").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
  return Napi::Number::New(info.Env(), crc32_ieee(a.Data(), a.ElementLength()));
}

// fileAllocate(fd, offset, length) → true when the file's blocks [offset, offset + length) are reserved (Linux
// fallocate(2), mode 0: the file's size becomes at least offset + length), false — never an exception — when the file
// system cannot (EOPNOTSUPP on e.g. some FUSE/NFS mounts), on another OS, or on any error (bad fd, EINVAL, ENOSPC): the
// write that follows then reports a real error as it does without the reservation. Node's fs has no fallocate. Not
// posix_fallocate: glibc emulates it, where the file system lacks fallocate, by writing a byte into every block — a
// second write of the whole range. The Parquet writer reserves each row group before writing it (parquet.ts), so ext4
// maps the range once instead of reserving space page by page under delayed allocation.
Napi::Value FileAllocate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  for (size_t k = 0; k < 3; k++)
    if (info.Length() <= k || !info[k].IsNumber()) return Napi::Boolean::New(env, false);
  const double fd = info[0].As<Napi::Number>().DoubleValue(), offset = info[1].As<Napi::Number>().DoubleValue(),
               length = info[2].As<Napi::Number>().DoubleValue();
  const bool whole = fd == std::floor(fd) && offset == std::floor(offset) && length == std::floor(length);
  if (!whole || fd < 0 || fd > 2147483647.0 || offset < 0 || length <= 0 || offset + length > 9007199254740992.0)
    return Napi::Boolean::New(env, false);
#ifdef __linux__
  int r;
  do {
    r = fallocate(static_cast<int>(fd), 0, static_cast<off_t>(offset), static_cast<off_t>(length));
  } while (r != 0 && errno == EINTR);
  return Napi::Boolean::New(env, r == 0);
#else
  return Napi::Boolean::New(env, false);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports["gemm"] = Napi::Function::New(env, Gemm);
  exports["denseForward"] = Napi::Function::New(env, DenseForward);
  exports["denseBackward"] = Napi::Function::New(env, DenseBackward);
  exports["activate"] = Napi::Function::New(env, Activate);
  exports["activateBackward"] = Napi::Function::New(env, ActivateBackward);
  exports["segmentSum"] = Napi::Function::New(env, SegmentSum);
  exports["csrSum"] = Napi::Function::New(env, [](const Napi::CallbackInfo& i) { return Csr(i, false); });
  exports["setSerial"] = Napi::Function::New(env, [](const Napi::CallbackInfo& i) {
    fomlab::set_pool_serial(i.Length() > 0 && i[0].ToBoolean().Value());
    return i.Env().Undefined();
  });
  exports["csrSumBackward"] = Napi::Function::New(env, [](const Napi::CallbackInfo& i) { return Csr(i, true); });
  exports["mlpForward"] = Napi::Function::New(env, MlpForward);
  exports["mlpBackward"] = Napi::Function::New(env, MlpBackward);
  exports["mlpBce"] = Napi::Function::New(env, MlpBce);
  exports["gatherRows"] = Napi::Function::New(env, GatherRows);
  exports["sgdStep"] = Napi::Function::New(env, SgdStep);
  exports["adamStep"] = Napi::Function::New(env, AdamStep);
  exports["transformerRun"] = Napi::Function::New(env, TransformerRun);
  exports["float32Fold"] = Napi::Function::New(env, Float32Fold);
  exports["fileAllocate"] = Napi::Function::New(env, FileAllocate);
  if (fomlab::crc32_fast_available()) exports["crc32"] = Napi::Function::New(env, Crc32);
  fomlab::register_simulate(env, exports);
  fomlab::register_gbdt(env, exports);
  fomlab::register_disco(env, exports);
  fomlab::register_batching(env, exports);
  return exports;
}
}  // namespace

NODE_API_MODULE(fomlab_native, Init)
