// N-API surface of the simulator (simulate.cc): the job's settings come as one plain object with the
// field names of src/simulate (read once per call), the random state as an Int32Array(4).
#include <napi.h>

#include <string>

#include "simulate.h"
#include "simulate_mumu.h"

namespace fomlab {
namespace {

struct Bad {};

[[noreturn]] void fail(const Napi::Env& env, const std::string& what) {
  Napi::TypeError::New(env, "simulate (native): " + what).ThrowAsJavaScriptException();
  throw Bad{};
}

double field(const Napi::Object& o, const char* name) {
  Napi::Value v = o.Get(name);
  if (!v.IsNumber()) fail(o.Env(), std::string("setting '") + name + "' must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

template <typename T, napi_typedarray_type Want>
const T* table(const Napi::Object& o, const char* name, size_t n) {
  Napi::Value v = o.Get(name);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != Want || v.As<Napi::TypedArray>().ElementLength() < n)
    fail(o.Env(), std::string("setting '") + name + "' must be a typed array of " + std::to_string(n));
  return reinterpret_cast<const T*>(static_cast<const uint8_t*>(v.As<Napi::TypedArray>().ArrayBuffer().Data()) + v.As<Napi::TypedArray>().ByteOffset());
}

// the detector, the nominal beams and the ziggurat tables (every job of either channel)
void readCommon(const Napi::Object& o, SimDetector& det, SimBeams& beams, SimZiggurat& zig) {
#define F(part, name) part.name = field(o, #name)
  F(det, herEnergy); F(det, lerEnergy); F(det, herSpread); F(det, lerSpread); F(det, ptResolutionSlope); F(det, ptResolutionConstant);
  F(det, angleResolution); F(det, angleMultipleScattering); F(det, muonThetaMin); F(det, muonThetaMax); F(det, muonPtMin);
  F(det, trackPtMin); F(det, recoilThetaMin); F(det, recoilThetaMax); F(det, recoilMomentumMin); F(det, eclThetaMin);
  F(det, eclThetaMax); F(det, eclEnergyMin); F(det, photonInefficiency);
  F(beams, energy); F(beams, pz); F(beams, sqrtS); F(beams, beta); F(beams, gamma); F(beams, cosMuonLo); F(beams, cosMuonHi);
  F(beams, cosMuonLoLoose); F(beams, cosMuonHiLoose); F(beams, cosRecoilLo); F(beams, cosRecoilHi); F(beams, cosMuonMin);
  F(beams, sinMuonMin); F(beams, cosMuonMax); F(beams, sinMuonMax); F(beams, cosRecoilMin); F(beams, sinRecoilMin);
  F(beams, cosRecoilMax); F(beams, sinRecoilMax);
#undef F
  zig.k = table<int32_t, napi_int32_array>(o, "zigK", 128);
  zig.w = table<double, napi_float64_array>(o, "zigW", 128);
  zig.f = table<double, napi_float64_array>(o, "zigF", 128);
}

SimJobArgs readJob(const Napi::Value& v) {
  if (!v.IsObject()) fail(v.Env(), "job settings must be an object");
  const Napi::Object o = v.As<Napi::Object>();
  SimJobArgs a{};
  readCommon(o, a.det, a.beams, a.zig);
#define F(part, name) a.part.name = field(o, #name)
  F(gen, zprimeMass); F(gen, photonEnergyMin); F(gen, cosThetaMin); F(gen, cosThetaMax); F(gen, betaE);
  F(gen, wMin); F(gen, rapidityMax); F(gen, leptonAngleMax); F(gen, boostBeta); F(gen, bandR); F(gen, cosEclMinus); F(gen, cosEclPlus);
  F(gen, cotRecoilLo); F(gen, cotRecoilHi); F(gen, gammaCm); F(gen, rawNorm); F(gen, logThetaMax2); F(gen, edgeMinus); F(gen, edgePlus);
  F(gen, logEdgeMinus2); F(gen, logEdgePlus2); F(gen, cap);
#undef F
  const double kind = field(o, "kind");
  if (!(kind == SIM_SIGNAL || kind == SIM_MUMU_GAMMA || kind == SIM_TAU_TAU || kind == SIM_EE_MUMU)) fail(o.Env(), "setting 'kind' must be 0-3");
  a.gen.kind = static_cast<int>(kind);
  a.gen.hasDetector = field(o, "hasDetector") != 0;
  a.gen.importance = field(o, "importance") != 0;
  a.gen.restrictAcceptance = field(o, "restrictAcceptance") != 0;
  a.weightPerUnit = field(o, "weightPerUnit");
  a.unweightCap = field(o, "unweightCap");
  return a;
}

uint32_t* stateOf(const Napi::Value& v) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array || v.As<Napi::TypedArray>().ElementLength() != 4)
    fail(v.Env(), "random state must be an Int32Array(4)");
  return reinterpret_cast<uint32_t*>(v.As<Napi::Int32Array>().Data());
}

// simulateRun(job, state, trials, cols: Float32Array[SC_COUNT], row, capacity) → [collisions consumed, next row]
Napi::Value SimulateRun(const Napi::CallbackInfo& info) {
  try {
    const SimJobArgs a = readJob(info[0]);
    uint32_t* state = stateOf(info[1]);
    const int64_t trials = info[2].As<Napi::Number>().Int64Value();
    int64_t row = info[4].As<Napi::Number>().Int64Value();
    const int64_t capacity = info[5].As<Napi::Number>().Int64Value();
    if (!info[3].IsArray() || info[3].As<Napi::Array>().Length() != SC_COUNT) fail(info.Env(), "cols must be an array of " + std::to_string(SC_COUNT) + " Float32Arrays");
    float* cols[SC_COUNT];
    const Napi::Array arr = info[3].As<Napi::Array>();
    for (uint32_t j = 0; j < SC_COUNT; j++) {
      Napi::Value c = arr.Get(j);
      if (!c.IsTypedArray() || c.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
          static_cast<int64_t>(c.As<Napi::TypedArray>().ElementLength()) < capacity)
        fail(info.Env(), "cols[" + std::to_string(j) + "] must be a Float32Array of at least capacity rows");
      cols[j] = c.As<Napi::Float32Array>().Data();
    }
    if (row < 0 || row > capacity || trials < 0) fail(info.Env(), "row, capacity or trials out of range");
    const int64_t consumed = simulateRun(a, state, trials, cols, &row, capacity);
    Napi::Array out = Napi::Array::New(info.Env(), 2);
    out.Set(0u, Napi::Number::New(info.Env(), static_cast<double>(consumed)));
    out.Set(1u, Napi::Number::New(info.Env(), static_cast<double>(row)));
    return out;
  } catch (Bad&) {
    return info.Env().Undefined();
  }
}

// twoPhotonWeightSum(job, state, n, sqrtS) → Σ raw weights [GeV⁻²]
Napi::Value TwoPhotonWeightSum(const Napi::CallbackInfo& info) {
  try {
    const SimJobArgs a = readJob(info[0]);
    uint32_t* state = stateOf(info[1]);
    return Napi::Number::New(info.Env(), twoPhotonWeightSum(a, state, info[2].As<Napi::Number>().Int64Value(), info[3].As<Napi::Number>().DoubleValue()));
  } catch (Bad&) {
    return info.Env().Undefined();
  }
}

// the zprime-mumu job (src/simulate/zprime-mumu/native.ts mumuJobSettings)
MumuJobArgs readMumuJob(const Napi::Value& v) {
  if (!v.IsObject()) fail(v.Env(), "zprime-mumu job settings must be an object");
  const Napi::Object o = v.As<Napi::Object>();
  MumuJobArgs a{};
  readCommon(o, a.det, a.beams, a.zig);
  const double kind = field(o, "kind");
  if (!(kind == MUMU_SIGNAL || kind == MUMU_FOUR_MUON || kind == MUMU_EE_MUMU || kind == MUMU_CONVERSION)) fail(o.Env(), "setting 'kind' must be 0-3");
  a.kind = static_cast<int>(kind);
  a.zprimeMass = field(o, "zprimeMass");
  a.radiatorMass = field(o, "radiatorMass");
  const double points = field(o, "spectrumPoints");
  if (a.kind == MUMU_FOUR_MUON || a.kind == MUMU_EE_MUMU) {
    if (!(points >= 2)) fail(o.Env(), "setting 'spectrumPoints' must be ≥ 2");
    a.spectrumPoints = static_cast<int>(points);
    a.lnM2 = table<double, napi_float64_array>(o, "lnM2", a.spectrumPoints);
    a.cdf = table<double, napi_float64_array>(o, "cdf", a.spectrumPoints);
  }
  a.atanhMax = field(o, "atanhMax");
  const double layers = field(o, "nLayers");
  if (a.kind == MUMU_CONVERSION) {
    if (!(layers >= 1 && layers <= MUMU_MAX_LAYERS)) fail(o.Env(), "setting 'nLayers' must be 1-16");
    a.nLayers = static_cast<int>(layers);
    const double points2 = field(o, "tablePoints");
    if (!(points2 >= 2)) fail(o.Env(), "setting 'tablePoints' must be ≥ 2");
    a.tablePoints = static_cast<int>(points2);
    const double* l = table<double, napi_float64_array>(o, "layers", 11 * a.nLayers);
    for (int i = 0; i < a.nLayers; i++, l += 11) a.layers[i] = {l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9], l[10]};
    a.kTable = table<double, napi_float64_array>(o, "kTable", static_cast<size_t>(a.nLayers) * a.tablePoints);
    a.lnE0 = field(o, "lnE0");
    a.dLnE = field(o, "dLnE");
  }
  a.weightPerUnit = field(o, "weightPerUnit");
  a.genMass = field(o, "genMass");
  a.label = field(o, "label");
  a.category = field(o, "category");
  a.nGen = field(o, "nGen");
  a.muonFourVectors = field(o, "muonFourVectors") != 0;
  return a;
}

// simulateMumuRun(job, state, trials, cols: Float32Array[], overflow: Float32Array(3 × cols), capacity, run: Float64Array(3)
// [row, event, maxEvents]) → [collisions consumed, next row (> capacity: rows in overflow), next event, 1 if stopped at maxEvents]
Napi::Value SimulateMumuRun(const Napi::CallbackInfo& info) {
  try {
    const MumuJobArgs a = readMumuJob(info[0]);
    uint32_t* state = stateOf(info[1]);
    const int64_t trials = info[2].As<Napi::Number>().Int64Value();
    const int64_t capacity = info[5].As<Napi::Number>().Int64Value();
    const int want = a.muonFourVectors ? MC_COUNT : MC_MU0;
    if (!info[3].IsArray() || static_cast<int>(info[3].As<Napi::Array>().Length()) != want) fail(info.Env(), "cols must be an array of " + std::to_string(want) + " Float32Arrays");
    float* cols[MC_COUNT];
    const Napi::Array arr = info[3].As<Napi::Array>();
    for (int j = 0; j < want; j++) {
      Napi::Value c = arr.Get(static_cast<uint32_t>(j));
      if (!c.IsTypedArray() || c.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
          static_cast<int64_t>(c.As<Napi::TypedArray>().ElementLength()) < capacity)
        fail(info.Env(), "cols[" + std::to_string(j) + "] must be a Float32Array of at least capacity rows");
      cols[j] = c.As<Napi::Float32Array>().Data();
    }
    if (!info[4].IsTypedArray() || info[4].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array ||
        info[4].As<Napi::TypedArray>().ElementLength() < static_cast<size_t>(3 * want))
      fail(info.Env(), "overflow must be a Float32Array of 3 rows");
    if (!info[6].IsTypedArray() || info[6].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array || info[6].As<Napi::TypedArray>().ElementLength() != 3)
      fail(info.Env(), "run must be a Float64Array(3)");
    const double* r = info[6].As<Napi::Float64Array>().Data();
    MumuRunState run{static_cast<int64_t>(r[0]), static_cast<int64_t>(r[1]), false};
    if (run.row < 0 || run.row >= capacity || trials < 0) fail(info.Env(), "row, capacity or trials out of range");
    const int64_t consumed = simulateMumuRun(a, state, trials, cols, want, info[4].As<Napi::Float32Array>().Data(), capacity, static_cast<int64_t>(r[2]), &run);
    Napi::Array out = Napi::Array::New(info.Env(), 4);
    out.Set(0u, Napi::Number::New(info.Env(), static_cast<double>(consumed)));
    out.Set(1u, Napi::Number::New(info.Env(), static_cast<double>(run.row)));
    out.Set(2u, Napi::Number::New(info.Env(), static_cast<double>(run.event)));
    out.Set(3u, Napi::Number::New(info.Env(), run.tooManyEvents ? 1 : 0));
    return out;
  } catch (Bad&) {
    return info.Env().Undefined();
  }
}

}  // namespace

void register_simulate(Napi::Env env, Napi::Object exports) {
  exports["simulateRun"] = Napi::Function::New(env, SimulateRun);
  exports["twoPhotonWeightSum"] = Napi::Function::New(env, TwoPhotonWeightSum);
  exports["simulateMumuRun"] = Napi::Function::New(env, SimulateMumuRun);
}

}  // namespace fomlab
