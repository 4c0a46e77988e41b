// The event classifier transformer, fused: per event forward (+ backward) of the whole network, events split in
// fixed parts over the addon's pool (TypeScript twin and the equations: src/core/kernels/ts-transformer.ts).
#pragma once
#include <cstdint>

namespace fomlab {
struct TransformerArgs {
  int F, D, H, FF, E;      // feature tokens, d_model, heads, FFN width, embedding hidden width
  const float* params;     // flat, in the order of src/core/kernels/transformer-layout.ts
  const float* x;          // events × F row-major
  const int32_t* rows;     // n event indices, or null: events 0..n-1
  int64_t n;
  float dropP;             // dropout probability (0: off)
  uint32_t seed;           // the step's dropout seed
};
enum TransformerMode { TF_FORWARD = 0, TF_BACKWARD = 1, TF_BCE = 2 };
int64_t transformer_param_count(int F, int D, int H, int FF, int E);
/** FORWARD: out = y. BACKWARD: grads += ∂(Σ dOut·y)/∂θ. BCE: grads += ∂L/∂θ, L = Σ w·bce(y, t)/Σ w returned, out if non-null. */
double transformer_run(const TransformerArgs& a, TransformerMode mode, float* out, const float* dOut, const float* target, const float* weight, float* grads);
}  // namespace fomlab
