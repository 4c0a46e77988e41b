// Fused MLP: a whole fully connected net over a batch per call, block by block (256 events) in L1/L2-resident
// feature-major buffers, forward recomputed inside the backward so no activations are kept between calls.
#pragma once
#include <cstdint>
#include <vector>

namespace fomlab {
struct MlpArgs {
  int layers;               // number of Linear layers
  const int32_t* sizes;     // layers+1 widths
  const int32_t* acts;      // layers activation codes
  const float* params;      // W0 (s1×s0), b0, W1, b1, … (PyTorch order)
  const float* x;           // events × s0 row-major
  const int32_t* rows;      // n event indices, or null: events 0..n-1
  int64_t n;
  std::vector<const float*> w, b;  // optional per-layer W/b pointers (b may be null); default: slices of params
};
enum MlpMode { MLP_FORWARD, MLP_BACKWARD, MLP_BCE };
/**
 * FORWARD: out (n×sL) = net(x[rows]). BACKWARD: grads += ∂(Σ dOut·out)/∂params. BCE: grads += ∂L/∂params for
 * L = Σ w·bce(out, t) / Σ w over the batch (t, w indexed like x; w may be null), returns L; out written if non-null.
 */
double mlp_run(const MlpArgs& a, MlpMode mode, float* out, const float* dOut, const float* target, const float* weight, float* grads);
}  // namespace fomlab
