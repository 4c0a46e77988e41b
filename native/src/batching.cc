// Per-epoch batching kernels of the trainer (twins: src/train/punzi-data.ts PunziBatcher.batch, src/core/rng.ts
// Rng.permutation and src/train/epoch-batches.ts batchesOfDraws). Same operations in the same order as the twins, so the
// numbers are bit-identical with or without the addon:
//   batchOrder — the epoch's shuffled event order (Fisher–Yates driven by the xoshiro128** state of Rng), or its
//                ascending batches (each event's batch from the same draws, listed batch by batch in event order);
//   punziBatch — one batch's Punzi incidence cut out of the event-major table (gather, then counting sort by code);
//   gatherBatches — an array's rows in the epoch's batch order (twin: src/train/epoch-batches.ts), so each batch's
//                features and table entries are one contiguous slice.
// In TypeScript the batch cut took half of a batched Punzi epoch (2.6 M events, batches of 50 000): the table reads
// are one dependent cache miss per event, which C++ hides with prefetches.
#include <napi.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>
#include "pool.h"

namespace fomlab {
namespace {
struct Bad {};

template <typename A>
auto* arr(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type want, int64_t need, const char* what) {
  Napi::Value v = info[i];
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != want || int64_t(v.As<A>().ElementLength()) < need) {
    Napi::TypeError::New(info.Env(), std::string(what) + ": wrong typed array or too short").ThrowAsJavaScriptException();
    throw Bad{};
  }
  return v.As<A>().Data();
}
int64_t elements(const Napi::CallbackInfo& info, size_t i) { return info[i].IsTypedArray() ? int64_t(info[i].As<Napi::TypedArray>().ElementLength()) : -1; }

inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
/** xoshiro128** as Rng.nextUint32 */
inline uint32_t next(uint32_t* s) {
  const uint32_t s1 = s[1], result = rotl(s1 * 5u, 7) * 9u, t = s1 << 9;
  s[2] ^= s[0]; s[3] ^= s1; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return result;
}
/** Rng.int(n) = ⌊uniform · n⌋ with uniform = (27 bits · 2²⁶ + 26 bits) / 2⁵³, the same double operations */
inline uint32_t below(uint32_t* s, uint32_t n) {
  const double hi = double(next(s) >> 5), lo = double(next(s) >> 6);
  return uint32_t(std::floor((hi * 67108864.0 + lo) / 9007199254740992.0 * double(n)));
}

/** Fisher–Yates over p[0, n) with Rng.shuffle's draws (i = n−1 … 1, j = Rng.int(i + 1)). The draws do not depend on
 *  the array, so they are made AHEAD swaps early and p[j] prefetched: the swaps (and their order) are Fisher–Yates's,
 *  only the cache misses overlap. */
template <typename T>
void fisherYates(uint32_t* s, T* p, int64_t n) {
  constexpr int64_t AHEAD = 32;
  uint32_t js[AHEAD];
  const int64_t drawn = std::min<int64_t>(AHEAD, n > 0 ? n - 1 : 0);
  for (int64_t k = 0; k < drawn; k++) { js[k] = below(s, uint32_t(n - k)); __builtin_prefetch(p + js[k], 1); }
  for (int64_t i = n - 1, k = 0; i > 0; i--, k++) {
    const uint32_t j = js[k % AHEAD];
    const int64_t ahead = i - AHEAD;  // the draw for position i − AHEAD replaces this one in the ring
    if (ahead > 0) { js[k % AHEAD] = below(s, uint32_t(ahead + 1)); __builtin_prefetch(p + js[k % AHEAD], 1); }
    const T t = p[i]; p[i] = p[j]; p[j] = t;
  }
}

/** Ascending batches (twin: epoch-batches.ts batchesOfDraws): the slots' batch labels ⌊k/size⌋ shuffled as Rng.permutation
 *  shuffles 0…n−1, so event e's batch is ⌊perm[e]/size⌋ — a uniformly random split into batches of `size` (the inverse
 *  of a uniform permutation is uniform). The labels take 1 byte (≤ 256 batches) or 2 where the permutation took 4: the
 *  random swaps stay in cache, and each event's batch comes out in event order, so no scattered pass over the
 *  permutation follows. out: batch b's events ascending at [b·size, …). */
template <typename L>
void ascendingBatches(uint32_t* s, int64_t n, int64_t size, int32_t* batchOf, int32_t* out) {
  const int64_t nb = (n + size - 1) / size;
  std::vector<L> label(n);
  for (int64_t b = 0; b < nb; b++) std::fill(label.begin() + b * size, label.begin() + std::min(n, (b + 1) * size), L(b));
  fisherYates(s, label.data(), n);
  std::vector<int32_t> fill(nb);
  for (int64_t b = 0; b < nb; b++) fill[b] = int32_t(b * size);
  for (int64_t i = 0; i < n; i++) {
    const L b = label[i];
    if (batchOf) batchOf[i] = int32_t(b);
    out[fill[b]++] = int32_t(i);
  }
}

// batchOrder(state: Int32Array(4) xoshiro words (updated), n, size, ascending, out: Int32Array(n)[, batchOfOut: Int32Array(n)])
//   not ascending: out = Rng.permutation(n); ascending: ascendingBatches; batchOfOut: each event's batch (gatherBatches)
Napi::Value BatchOrder(const Napi::CallbackInfo& info) {
  try {
    uint32_t* s = reinterpret_cast<uint32_t*>(arr<Napi::Int32Array>(info, 0, napi_int32_array, 4, "batchOrder: state"));
    const int64_t n = info[1].As<Napi::Number>().Int64Value(), size = info[2].As<Napi::Number>().Int64Value();
    const bool ascending = info[3].ToBoolean().Value();
    int32_t* out = arr<Napi::Int32Array>(info, 4, napi_int32_array, n, "batchOrder: out");
    int32_t* batchOf = info.Length() > 5 && info[5].IsTypedArray() ? arr<Napi::Int32Array>(info, 5, napi_int32_array, n, "batchOrder: batchOf") : nullptr;
    if (n < 0 || n > INT32_MAX || size < 1) { Napi::RangeError::New(info.Env(), "batchOrder: n ≥ 0 and size ≥ 1 expected").ThrowAsJavaScriptException(); return info.Env().Undefined(); }
    if (!ascending) {
      for (int64_t i = 0; i < n; i++) out[i] = int32_t(i);
      fisherYates(s, out, n);
      return info.Env().Undefined();
    }
    const int64_t nb = (n + size - 1) / size;
    if (nb <= 256) ascendingBatches<uint8_t>(s, n, size, batchOf, out);
    else if (nb <= 65536) ascendingBatches<uint16_t>(s, n, size, batchOf, out);
    else ascendingBatches<int32_t>(s, n, size, batchOf, out);
    return info.Env().Undefined();
  } catch (Bad&) { return info.Env().Undefined(); }
}

template <typename T>
void gatherInto(const int32_t* batchOf, int64_t n, int64_t size, const T* src, int64_t width, T* dst) {
  // parts of the events on the addon's pool (each part counts its events per batch, then copies them after the
  // earlier parts' ones): the same layout on any number of threads
  const int64_t nb = (n + size - 1) / size;
  const int parts = n * width >= (int64_t(1) << 20) ? pool_threads() : 1;
  std::vector<int64_t> fill(int64_t(parts) * nb, 0);
  parallel_run(parts, [&](int p, int np) {
    int64_t* f = fill.data() + int64_t(p) * nb;
    for (int64_t i = n * p / np; i < n * (p + 1) / np; i++) f[batchOf[i]]++;
  });
  for (int64_t b = 0; b < nb; b++) {
    int64_t at = b * size;
    for (int p = 0; p < parts; p++) { const int64_t c = fill[int64_t(p) * nb + b]; fill[int64_t(p) * nb + b] = at; at += c; }
  }
  parallel_run(parts, [&](int p, int np) {
    int64_t* f = fill.data() + int64_t(p) * nb;
    for (int64_t i = n * p / np; i < n * (p + 1) / np; i++) {
      const T* s = src + i * width;
      T* d = dst + f[batchOf[i]]++ * width;
      for (int64_t j = 0; j < width; j++) d[j] = s[j];
    }
  });
}

// gatherBatches(batchOf: Int32Array(n), size, src, width, dst): dst's rows (width elements each) are src's rows in the
// epoch's batch order (batchOrder with ascending: batch b holds its events ascending at [b·size, …)). One sequential
// pass over src and batchOf writing nb sequential streams: no random reads, where gathering each batch's rows
// (ascending but ~n/size rows apart) cost a cache miss per row, in the forward, the backward and the Punzi cut.
// src and dst both Float32Array or both Float64Array.
Napi::Value GatherBatches(const Napi::CallbackInfo& info) {
  try {
    Napi::Env env = info.Env();
    const int64_t n = elements(info, 0);
    const int32_t* batchOf = arr<Napi::Int32Array>(info, 0, napi_int32_array, 0, "gatherBatches: batchOf");
    const int64_t size = info[1].As<Napi::Number>().Int64Value(), width = info[3].As<Napi::Number>().Int64Value();
    if (size < 1 || width < 1) { Napi::RangeError::New(env, "gatherBatches: size ≥ 1 and width ≥ 1 expected").ThrowAsJavaScriptException(); return env.Undefined(); }
    const int64_t nb = (n + size - 1) / size;
    for (int64_t i = 0; i < n; i++)
      if (batchOf[i] < 0 || batchOf[i] >= nb) { Napi::RangeError::New(env, "gatherBatches: batch " + std::to_string(batchOf[i]) + " out of range").ThrowAsJavaScriptException(); return env.Undefined(); }
    if (info[2].IsTypedArray() && info[2].As<Napi::TypedArray>().TypedArrayType() == napi_float64_array) {
      const double* src = arr<Napi::Float64Array>(info, 2, napi_float64_array, n * width, "gatherBatches: src");
      gatherInto(batchOf, n, size, src, width, arr<Napi::Float64Array>(info, 4, napi_float64_array, n * width, "gatherBatches: dst"));
    } else {
      const float* src = arr<Napi::Float32Array>(info, 2, napi_float32_array, n * width, "gatherBatches: src");
      gatherInto(batchOf, n, size, src, width, arr<Napi::Float32Array>(info, 4, napi_float32_array, n * width, "gatherBatches: dst"));
    }
    return env.Undefined();
  } catch (Bad&) { return info.Env().Undefined(); }
}

// punziBatch(first, moreOffsets, moreCode, moreCoef, H, rows, scale[, firstRows[, into]]) →  (first: code, coefficient per event)
//   [sigOffsets, sigEvents, sigCoef, bkgOffsets, bkgEvents, bkgCoef, sigCoef32, bkgCoef32] (see PunziBatcher in
//   punzi-data.ts; the last two: the coefficients rounded to float32, as Incidence.coefFor('float32') rounds them)
//   firstRows: the rows' entries of first already gathered (2 per row, in row order; gatherBatches), read in place of
//   first[2·rows[i]] — the batch cut then reads memory in order (rows only for the rare further entries)
Napi::Value PunziBatch(const Napi::CallbackInfo& info) {
  try {
    Napi::Env env = info.Env();
    const int64_t n = elements(info, 0) / 2;
    const double* first = arr<Napi::Float64Array>(info, 0, napi_float64_array, 0, "punziBatch: first");
    const int32_t* moreOff = arr<Napi::Int32Array>(info, 1, napi_int32_array, n + 1, "punziBatch: moreOffsets");
    const int64_t nMore = moreOff[n];
    const int32_t* moreCode = arr<Napi::Int32Array>(info, 2, napi_int32_array, nMore, "punziBatch: moreCode");
    const double* moreCoef = arr<Napi::Float64Array>(info, 3, napi_float64_array, nMore, "punziBatch: moreCoef");
    const int64_t H = info[4].As<Napi::Number>().Int64Value();
    const int64_t nRows = elements(info, 5);
    const int32_t* rows = arr<Napi::Int32Array>(info, 5, napi_int32_array, 0, "punziBatch: rows");
    const double scale = info[6].As<Napi::Number>().DoubleValue();
    const double* firstRows = info.Length() > 7 && info[7].IsTypedArray() ? arr<Napi::Float64Array>(info, 7, napi_float64_array, 2 * nRows, "punziBatch: firstRows") : nullptr;
    constexpr int32_t MORE = 1 << 20;  // punzi-data.ts MORE
    for (int64_t i = 0; i < nRows; i++)
      if (rows[i] < 0 || rows[i] >= n) { Napi::RangeError::New(env, "punziBatch: row " + std::to_string(rows[i]) + " out of range").ThrowAsJavaScriptException(); return env.Undefined(); }
    for (int64_t j = 0; j < nMore; j++)
      if (moreCode[j] < 0 || moreCode[j] >= 2 * H) { Napi::RangeError::New(env, "punziBatch: code out of range").ThrowAsJavaScriptException(); return env.Undefined(); }
    // visit(i, code, coefficient) for each entry of the batch rows in row order (an event's further entries after its first)
    auto entries = [&](auto&& visit) {
      constexpr int64_t AHEAD = 24;
      for (int64_t i = 0; i < nRows; i++) {
        const double* fe = firstRows ? firstRows + 2 * i : first + 2 * int64_t(rows[i]);
        if (!firstRows && i + AHEAD < nRows) __builtin_prefetch(first + 2 * int64_t(rows[i + AHEAD]));
        const int32_t c0 = int32_t(fe[0]);
        if (c0 < 0) continue;
        visit(i, c0 & (MORE - 1), fe[1]);
        if (c0 >= MORE) for (int32_t j = moreOff[rows[i]]; j < moreOff[rows[i] + 1]; j++) visit(i, moreCode[j], moreCoef[j]);
      }
    };
    // pass 1: entries per code; pass 2: each entry straight to its place (a counting sort by code: within a
    // hypothesis the events stay in row order). With the rows' first entries gathered (firstRows) both passes read
    // memory in order, cheaper than the one random pass into batch-local triples and their sort that it replaces.
    std::vector<int32_t> count(2 * H + 1, 0);
    bool bad = false;
    entries([&](int64_t, int32_t c, double) { if (c >= 2 * H) bad = true; else count[c + 1]++; });
    if (bad) { Napi::RangeError::New(env, "punziBatch: code out of range").ThrowAsJavaScriptException(); return env.Undefined(); }
    int64_t total[2] = {0, 0};
    for (int64_t h = 0; h < H; h++) { total[0] += count[h + 1]; total[1] += count[H + h + 1]; }
    // into (an array of the 8 outputs, reused from batch to batch): filled when they are long enough, else only the
    // entry counts [signal, background] are returned, for the caller to grow them and call again. Without: new arrays.
    const bool reuse = info.Length() > 8 && info[8].IsArray();
    int32_t *so, *bo, *ev[2];
    double* cf[2];
    float* cf32[2];
    Napi::Array out = Napi::Array::New(env, 8);
    if (reuse) {
      Napi::Array into = info[8].As<Napi::Array>();
      auto need = [&](uint32_t k, napi_typedarray_type t, int64_t len) {
        Napi::Value v = into[k];
        return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == t && int64_t(v.As<Napi::TypedArray>().ElementLength()) >= len;
      };
      const bool fits = need(0, napi_int32_array, H + 1) && need(3, napi_int32_array, H + 1) && need(1, napi_int32_array, total[0]) && need(4, napi_int32_array, total[1]) &&
                        need(2, napi_float64_array, total[0]) && need(5, napi_float64_array, total[1]) && need(6, napi_float32_array, total[0]) && need(7, napi_float32_array, total[1]);
      if (!fits) {
        Napi::Array counts = Napi::Array::New(env, 2);
        counts[uint32_t(0)] = Napi::Number::New(env, double(total[0]));
        counts[uint32_t(1)] = Napi::Number::New(env, double(total[1]));
        return counts;
      }
      auto data = [&](uint32_t k) { return Napi::Value(into[k]).As<Napi::TypedArray>().ArrayBuffer().Data(); };
      auto at = [&](uint32_t k) { return Napi::Value(into[k]).As<Napi::TypedArray>().ByteOffset(); };
      so = reinterpret_cast<int32_t*>(static_cast<char*>(data(0)) + at(0));
      bo = reinterpret_cast<int32_t*>(static_cast<char*>(data(3)) + at(3));
      for (int k = 0; k < 2; k++) {
        ev[k] = reinterpret_cast<int32_t*>(static_cast<char*>(data(1 + 3 * k)) + at(1 + 3 * k));
        cf[k] = reinterpret_cast<double*>(static_cast<char*>(data(2 + 3 * k)) + at(2 + 3 * k));
        cf32[k] = reinterpret_cast<float*>(static_cast<char*>(data(6 + k)) + at(6 + k));
      }
      out = into;
    } else {
      Napi::Int32Array sigOff = Napi::Int32Array::New(env, H + 1), bkgOff = Napi::Int32Array::New(env, H + 1);
      Napi::Int32Array sigEv = Napi::Int32Array::New(env, total[0]), bkgEv = Napi::Int32Array::New(env, total[1]);
      Napi::Float64Array sigCf = Napi::Float64Array::New(env, total[0]), bkgCf = Napi::Float64Array::New(env, total[1]);
      Napi::Float32Array sigCf32 = Napi::Float32Array::New(env, total[0]), bkgCf32 = Napi::Float32Array::New(env, total[1]);
      so = sigOff.Data(); bo = bkgOff.Data();
      ev[0] = sigEv.Data(); ev[1] = bkgEv.Data(); cf[0] = sigCf.Data(); cf[1] = bkgCf.Data(); cf32[0] = sigCf32.Data(); cf32[1] = bkgCf32.Data();
      out[uint32_t(0)] = sigOff; out[uint32_t(1)] = sigEv; out[uint32_t(2)] = sigCf;
      out[uint32_t(3)] = bkgOff; out[uint32_t(4)] = bkgEv; out[uint32_t(5)] = bkgCf;
      out[uint32_t(6)] = sigCf32; out[uint32_t(7)] = bkgCf32;
    }
    so[0] = bo[0] = 0;
    for (int64_t h = 0; h < H; h++) { so[h + 1] = so[h] + count[h + 1]; bo[h + 1] = bo[h] + count[H + h + 1]; }
    std::vector<int32_t> fill(2 * H);
    for (int64_t h = 0; h < H; h++) { fill[h] = so[h]; fill[H + h] = bo[h]; }
    entries([&](int64_t i, int32_t c, double coef) {
      const int k = c < H ? 0 : 1;
      const int32_t p = fill[c]++;
      const double v = coef * scale;
      ev[k][p] = int32_t(i); cf[k][p] = v; cf32[k][p] = float(v);
    });
    return out;
  } catch (Bad&) { return info.Env().Undefined(); }
}
}  // namespace

void register_batching(Napi::Env env, Napi::Object exports) {
  exports.Set("batchOrder", Napi::Function::New(env, BatchOrder));
  exports.Set("punziBatch", Napi::Function::New(env, PunziBatch));
  exports.Set("gatherBatches", Napi::Function::New(env, GatherBatches));
}
}  // namespace fomlab
