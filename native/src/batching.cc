// Per-epoch batching kernels of the trainer (twins: src/train/punzi-data.ts PunziBatcher.batch, src/core/rng.ts
// Rng.permutation and src/train/epoch-batches.ts). Same operations in the same order as the twins, so the numbers are
// bit-identical with or without the addon:
//   batchOrder  — the epoch's shuffled event order (Rng.permutation: Fisher–Yates driven by the xoshiro128** state of Rng);
//   batchLayout — the epoch's ascending batches (batch labels shuffled with Lemire's bounded draws) and, in the same
//                 pass, the rows of the arrays that follow the epoch (features, the Punzi table's first entries) laid
//                 out in that order, so each batch's data is one contiguous slice;
//   punziBatch  — one batch's Punzi incidence cut out of the event-major table (gather, then counting sort by code).
// In TypeScript the batch cut took half of a batched Punzi epoch (2.6 M events, batches of 50 000): the table reads
// are one dependent cache miss per event, which C++ hides with prefetches.
#include <napi.h>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
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

/** Fisher–Yates over p[0, n) (i = n−1 … 1, j = draw(s, i + 1)). The draws do not depend on the array, so they are made
 *  AHEAD swaps early and p[j] prefetched: the swaps (and their order) are Fisher–Yates's, only the cache misses overlap. */
template <typename T, typename Draw>
void fisherYatesAhead(uint32_t* s, T* p, int64_t n, Draw draw) {
  constexpr int64_t AHEAD = 32;
  uint32_t js[AHEAD];
  const int64_t drawn = std::min<int64_t>(AHEAD, n > 0 ? n - 1 : 0);
  for (int64_t k = 0; k < drawn; k++) { js[k] = draw(s, uint32_t(n - k)); __builtin_prefetch(p + js[k], 1); }
  for (int64_t i = n - 1, k = 0; i > 0; i--, k++) {
    const uint32_t j = js[k % AHEAD];
    const int64_t ahead = i - AHEAD;  // the draw for position i − AHEAD replaces this one in the ring
    if (ahead > 0) { js[k % AHEAD] = draw(s, uint32_t(ahead + 1)); __builtin_prefetch(p + js[k % AHEAD], 1); }
    const T t = p[i]; p[i] = p[j]; p[j] = t;
  }
}

/** Fisher–Yates over p[0, n) with Rng.shuffle's draws (j = Rng.int(i + 1)) */
template <typename T>
void fisherYates(uint32_t* s, T* p, int64_t n) { fisherYatesAhead(s, p, n, below); }

/** Lemire's nearly divisionless bounded integer (Lemire 2019, "Fast random integer generation in an interval", ACM TOMACS
 *  29(1):3, algorithm 5): uniform in [0, range) from one 32-bit draw x as ⌊x·range / 2³²⁾⌋, redrawing while the low word
 *  of x·range is below 2³² mod range (the few x that would make some values one draw more likely). Twin: epoch-batches.ts
 *  lemireBelow. One draw per swap where below() takes two and a double division. */
inline uint32_t lemireBelow(uint32_t* s, uint32_t range) {
  uint64_t m = uint64_t(next(s)) * range;
  uint32_t low = uint32_t(m);
  if (low < range) {
    const uint32_t t = (0u - range) % range;  // 2³² mod range
    while (low < t) { m = uint64_t(next(s)) * range; low = uint32_t(m); }
  }
  return uint32_t(m >> 32);
}

/** The slots' batch labels ⌊k/size⌋ shuffled by Fisher–Yates (i = n−1 … 1, j = lemireBelow(i + 1), fisherYatesAhead).
 *  Twin: epoch-batches.ts shuffledLabels. Event e's batch is label[e]: a uniformly random split into batches of `size`
 *  (the last shorter), as PyTorch's shuffled DataLoader draws them. 1-byte labels (≤ 256 batches) or 2 keep the random
 *  swaps in cache. */
template <typename L>
void shuffledLabels(uint32_t* s, int64_t n, int64_t size, L* label) {
  const int64_t nb = (n + size - 1) / size;
  for (int64_t b = 0; b < nb; b++) std::fill(label + b * size, label + std::min(n, (b + 1) * size), L(b));
  fisherYatesAhead(s, label, n, lemireBelow);
}

/** an array laid out with the epoch: rows of `bytes` bytes copied from src to dst in the epoch's order */
struct Follower { const char* src; char* dst; int64_t bytes; };

/** a row of B bytes (B known at compile time for the common widths: an inlined copy) */
template <int64_t B>
inline void copyRow(const char* s, char* d) { std::memcpy(d, s, B); }
inline void copyRow(const char* s, char* d, int64_t bytes) {
  switch (bytes) {
    case 4: copyRow<4>(s, d); break;
    case 8: copyRow<8>(s, d); break;
    case 12: copyRow<12>(s, d); break;
    case 16: copyRow<16>(s, d); break;
    case 24: copyRow<24>(s, d); break;
    case 32: copyRow<32>(s, d); break;
    default: std::memcpy(d, s, size_t(bytes));
  }
}

/** One pass over the events in event order: event i goes to the next place of its batch (order[place] = i) and each
 *  follower's row i to the same place of its dst — sequential reads, a few sequential write streams per batch, where a
 *  pass per array re-read the batch of every event. Parts of the events on the addon's pool (each part counts its
 *  events per batch, then writes after the earlier parts' ones): the same layout on any number of threads. Twin:
 *  EpochBatches.layOut in epoch-batches.ts. */
template <typename L>
void layOut(const L* label, int64_t n, int64_t size, int32_t* order, const std::vector<Follower>& follow, bool pool) {
  const int64_t nb = (n + size - 1) / size;
  int64_t rowBytes = 4;
  for (const Follower& f : follow) rowBytes += f.bytes;
  const int parts = pool && n * rowBytes >= (int64_t(1) << 22) ? pool_threads() : 1;
  std::vector<int64_t> fill(int64_t(parts) * nb, 0);
  // on the pool only when asked (a background layout, batchLayoutStart, runs serially beside the pool's jobs)
  auto run = [&](const std::function<void(int, int)>& fn) { if (parts > 1) parallel_run(parts, fn); else fn(0, 1); };
  if (parts > 1)
    run([&](int p, int np) {
      int64_t* f = fill.data() + int64_t(p) * nb;
      for (int64_t i = n * p / np; i < n * (p + 1) / np; i++) f[label[i]]++;
    });
  for (int64_t b = 0; b < nb; b++) {
    int64_t at = b * size;  // one part: batch b from b·size on
    for (int p = 0; p < parts; p++) { const int64_t c = fill[int64_t(p) * nb + b]; fill[int64_t(p) * nb + b] = at; at += c; }
  }
  run([&](int p, int np) {
    int64_t* f = fill.data() + int64_t(p) * nb;
    for (int64_t i = n * p / np; i < n * (p + 1) / np; i++) {
      const int64_t at = f[label[i]]++;
      order[at] = int32_t(i);
      for (const Follower& fw : follow) copyRow(fw.src + i * fw.bytes, fw.dst + at * fw.bytes, fw.bytes);
    }
  });
}

template <typename L>
void shuffleAndLayOut(uint32_t* s, int64_t n, int64_t size, int32_t* order, const std::vector<Follower>& follow, bool pool) {
  std::vector<L> label(n);
  shuffledLabels(s, n, size, label.data());
  layOut(label.data(), n, size, order, follow, pool);
}

/** the epoch's layout by the number of batches' label width */
void layOutEpoch(uint32_t* s, int64_t n, int64_t size, int32_t* order, const std::vector<Follower>& follow, bool pool) {
  const int64_t nb = (n + size - 1) / size;
  if (nb <= 256) shuffleAndLayOut<uint8_t>(s, n, size, order, follow, pool);
  else if (nb <= 65536) shuffleAndLayOut<uint16_t>(s, n, size, order, follow, pool);
  else shuffleAndLayOut<int32_t>(s, n, size, order, follow, pool);
}

// batchOrder(state: Int32Array(4) xoshiro words (updated), n, out: Int32Array(n)): out = Rng.permutation(n)
Napi::Value BatchOrder(const Napi::CallbackInfo& info) {
  try {
    uint32_t* s = reinterpret_cast<uint32_t*>(arr<Napi::Int32Array>(info, 0, napi_int32_array, 4, "batchOrder: state"));
    const int64_t n = info[1].As<Napi::Number>().Int64Value();
    if (n < 0 || n > INT32_MAX) { Napi::RangeError::New(info.Env(), "batchOrder: 0 ≤ n < 2³¹ expected").ThrowAsJavaScriptException(); return info.Env().Undefined(); }
    int32_t* out = arr<Napi::Int32Array>(info, 2, napi_int32_array, n, "batchOrder: out");
    for (int64_t i = 0; i < n; i++) out[i] = int32_t(i);
    fisherYates(s, out, n);
    return info.Env().Undefined();
  } catch (Bad&) { return info.Env().Undefined(); }
}

/** batchLayout's arguments from info[1…4]: n, size, order, follow [src, width, dst, …]; false after throwing */
struct LayoutArgs { int64_t n, size; int32_t* order; std::vector<Follower> follow; };
bool layoutArgs(const Napi::CallbackInfo& info, const char* what, LayoutArgs& a) {
  Napi::Env env = info.Env();
  a.n = info[1].As<Napi::Number>().Int64Value();
  a.size = info[2].As<Napi::Number>().Int64Value();
  if (a.n < 0 || a.n > INT32_MAX || a.size < 1) { Napi::RangeError::New(env, std::string(what) + ": 0 ≤ n < 2³¹ and size ≥ 1 expected").ThrowAsJavaScriptException(); return false; }
  a.order = arr<Napi::Int32Array>(info, 3, napi_int32_array, a.n, what);
  if (info.Length() > 4 && info[4].IsArray()) {
    Napi::Array f = info[4].As<Napi::Array>();
    if (f.Length() % 3 != 0) { Napi::TypeError::New(env, std::string(what) + ": follow is [src, width, dst, …]").ThrowAsJavaScriptException(); return false; }
    for (uint32_t k = 0; k < f.Length(); k += 3) {
      Napi::Value src = f[k], dst = f[k + 2];
      const int64_t width = Napi::Value(f[k + 1]).As<Napi::Number>().Int64Value();
      const std::string which = std::string(what) + ": follower " + std::to_string(k / 3);
      if (!src.IsTypedArray() || !dst.IsTypedArray() || width < 1) { Napi::TypeError::New(env, which + ": typed arrays and width ≥ 1 expected").ThrowAsJavaScriptException(); return false; }
      Napi::TypedArray st = src.As<Napi::TypedArray>(), dt = dst.As<Napi::TypedArray>();
      const napi_typedarray_type t = st.TypedArrayType();
      if ((t != napi_float32_array && t != napi_float64_array) || dt.TypedArrayType() != t || int64_t(st.ElementLength()) < a.n * width || int64_t(dt.ElementLength()) < a.n * width) {
        Napi::TypeError::New(env, which + ": src and dst both Float32Array or both Float64Array of n·width").ThrowAsJavaScriptException();
        return false;
      }
      // the element pointers from napi_get_typedarray_info (ArrayBuffer().Data() is null for a SharedArrayBuffer: the
      // ensemble's workers share their split's arrays)
      auto data = [&](Napi::TypedArray x) {
        void* d = nullptr;
        napi_get_typedarray_info(env, x, nullptr, nullptr, &d, nullptr, nullptr);
        return static_cast<char*>(d);
      };
      a.follow.push_back({data(st), data(dt), width * int64_t(t == napi_float32_array ? 4 : 8)});
    }
  }
  return true;
}

// batchLayout(state: Int32Array(4) xoshiro words (updated), n, size, order: Int32Array(n), follow: [src, width, dst, …])
//   the epoch's ascending batches (shuffledLabels, then layOut): order = batch b's events ascending at [b·size, …), and
//   each follower's rows (width elements; src and dst both Float32Array or both Float64Array, n·width long) in that order
Napi::Value BatchLayout(const Napi::CallbackInfo& info) {
  try {
    uint32_t* s = reinterpret_cast<uint32_t*>(arr<Napi::Int32Array>(info, 0, napi_int32_array, 4, "batchLayout: state"));
    LayoutArgs a;
    if (!layoutArgs(info, "batchLayout", a)) return info.Env().Undefined();
    layOutEpoch(s, a.n, a.size, a.order, a.follow, true);
    return info.Env().Undefined();
  } catch (Bad&) { return info.Env().Undefined(); }
}

/** a layout running on its own thread (batchLayoutStart); it holds its arrays so that they outlive it */
struct LayoutJob {
  uint32_t words[4];
  std::thread thread;
  std::vector<Napi::ObjectReference> keep;
  void join() { if (thread.joinable()) thread.join(); }
  ~LayoutJob() { join(); }
};

// batchLayoutStart(state: Int32Array(4), n, size, order, follow) → job: batchLayout of the next epoch from a copy of the
//   words (state is not advanced), on a thread of its own beside the current epoch's work (the draws depend only on the
//   words, not on the weights). With the pool serial (an ensemble's workers, one per core) it runs before returning.
//   The arrays must not be read or written until batchLayoutJoin; the job keeps them alive.
Napi::Value BatchLayoutStart(const Napi::CallbackInfo& info) {
  try {
    Napi::Env env = info.Env();
    const uint32_t* s = reinterpret_cast<const uint32_t*>(arr<Napi::Int32Array>(info, 0, napi_int32_array, 4, "batchLayoutStart: state"));
    auto job = std::make_unique<LayoutJob>();
    std::copy(s, s + 4, job->words);
    LayoutArgs a;
    if (!layoutArgs(info, "batchLayoutStart", a)) return env.Undefined();
    job->keep.push_back(Napi::Persistent(info[3].As<Napi::Object>()));
    Napi::Array f = info.Length() > 4 && info[4].IsArray() ? info[4].As<Napi::Array>() : Napi::Array::New(env, 0);
    for (uint32_t k = 0; k < f.Length(); k++) if (Napi::Value(f[k]).IsObject()) job->keep.push_back(Napi::Persistent(Napi::Value(f[k]).As<Napi::Object>()));
    LayoutJob* j = job.get();
    if (pool_serial()) layOutEpoch(j->words, a.n, a.size, a.order, a.follow, false);
    else j->thread = std::thread([j, a = std::move(a)] { layOutEpoch(j->words, a.n, a.size, a.order, a.follow, false); });
    return Napi::External<LayoutJob>::New(env, job.release(), [](Napi::Env, LayoutJob* p) { delete p; });
  } catch (Bad&) { return info.Env().Undefined(); }
}

// batchLayoutJoin(job, state: Int32Array(4)): waits for the job; state = its words after the draws
Napi::Value BatchLayoutJoin(const Napi::CallbackInfo& info) {
  try {
    Napi::Env env = info.Env();
    if (!info[0].IsExternal()) { Napi::TypeError::New(env, "batchLayoutJoin: a job of batchLayoutStart expected").ThrowAsJavaScriptException(); return env.Undefined(); }
    LayoutJob* j = info[0].As<Napi::External<LayoutJob>>().Data();
    uint32_t* s = reinterpret_cast<uint32_t*>(arr<Napi::Int32Array>(info, 1, napi_int32_array, 4, "batchLayoutJoin: state"));
    j->join();
    std::copy(j->words, j->words + 4, s);
    for (auto& r : j->keep) r.Reset();
    j->keep.clear();
    return env.Undefined();
  } catch (Bad&) { return info.Env().Undefined(); }
}

// punziBatch(first, moreOffsets, moreCode, moreCoef, H, rows, scale[, firstRows[, into]]) →  (first: code, coefficient per event)
//   [sigOffsets, sigEvents, sigCoef, bkgOffsets, bkgEvents, bkgCoef, sigCoef32, bkgCoef32] (see PunziBatcher in
//   punzi-data.ts; the last two: the coefficients rounded to float32, as Incidence.coefFor('float32') rounds them)
//   firstRows: the rows' entries of first already gathered (2 per row, in row order; batchLayout), read in place of
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
    // the codes checked as they are visited (pass 2 visits the same entries): a check of the whole table's further
    // entries on every batch cost O(table) per batch, 52 times an epoch
    entries([&](int64_t, int32_t c, double) { if (c < 0 || c >= 2 * H) bad = true; else count[c + 1]++; });
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
  exports.Set("batchLayout", Napi::Function::New(env, BatchLayout));
  exports.Set("batchLayoutStart", Napi::Function::New(env, BatchLayoutStart));
  exports.Set("batchLayoutJoin", Napi::Function::New(env, BatchLayoutJoin));
}
}  // namespace fomlab
