// N-API surface of the simulator (simulate.cc): the job's settings come as one plain object with the
// field names of src/simulate (read once per call), the random state as an Int32Array(4).
#include <napi.h>

#include <string>

#include "simulate.h"

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

SimJobArgs readJob(const Napi::Value& v) {
  if (!v.IsObject()) fail(v.Env(), "job settings must be an object");
  const Napi::Object o = v.As<Napi::Object>();
  SimJobArgs a{};
#define F(part, name) a.part.name = field(o, #name)
  F(det, herEnergy); F(det, lerEnergy); F(det, herSpread); F(det, lerSpread); F(det, ptResolutionSlope); F(det, ptResolutionConstant);
  F(det, angleResolution); F(det, angleMultipleScattering); F(det, muonThetaMin); F(det, muonThetaMax); F(det, muonPtMin);
  F(det, trackPtMin); F(det, recoilThetaMin); F(det, recoilThetaMax); F(det, recoilMomentumMin); F(det, eclThetaMin);
  F(det, eclThetaMax); F(det, eclEnergyMin); F(det, photonInefficiency);
  F(beams, energy); F(beams, pz); F(beams, sqrtS); F(beams, beta); F(beams, gamma); F(beams, cosMuonLo); F(beams, cosMuonHi);
  F(beams, cosMuonLoLoose); F(beams, cosMuonHiLoose); F(beams, cosRecoilLo); F(beams, cosRecoilHi); F(beams, cosMuonMin);
  F(beams, sinMuonMin); F(beams, cosMuonMax); F(beams, sinMuonMax); F(beams, cosRecoilMin); F(beams, sinRecoilMin);
  F(beams, cosRecoilMax); F(beams, sinRecoilMax);
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
  a.zig.k = table<int32_t, napi_int32_array>(o, "zigK", 128);
  a.zig.w = table<double, napi_float64_array>(o, "zigW", 128);
  a.zig.f = table<double, napi_float64_array>(o, "zigF", 128);
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

}  // namespace

void register_simulate(Napi::Env env, Napi::Object exports) {
  exports["simulateRun"] = Napi::Function::New(env, SimulateRun);
  exports["twoPhotonWeightSum"] = Napi::Function::New(env, TwoPhotonWeightSum);
}

}  // namespace fomlab
