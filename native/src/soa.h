// Layer kernels on feature-major ("SoA") blocks: a block holds up to `ld` events, feature f of event i at [f*ld + i],
// so every inner loop runs over events with unit stride and vectorises whatever the layer widths (4-8-4-1 included).
// `nbp` is the event count rounded up to a multiple of 32; padding lanes hold zeros.
#pragma once
#include <cstdint>

namespace fomlab {
enum Act { IDENTITY = 0, TANH, SIGMOID, RELU, LEAKY_RELU, GELU, MISH };
inline bool act_needs_z(int act) { return act == GELU || act == MISH; }
inline int round32(int n) { return (n + 31) & ~31; }

/** y = act(z) over len values (y may alias z) */
void act_forward(int act, const float* z, float* y, int64_t len);
/** dz = dy·act'(z) (z used only when act_needs_z) */
void act_dz(int act, const float* z, const float* y, const float* dy, float* dz, int64_t len);
/** zT[o] = W[o,:]·xT + b[o] over nbp lanes */
void layer_fwd(const float* W, const float* b, const float* xT, float* zT, int nbp, int ld, int nIn, int nOut);
/** dW[o,q] += dzT[o]·xT[q], db[o] += Σ dzT[o] (double accumulators) */
void layer_bwd_w(const float* dzT, const float* xT, double* dW, double* db, int nbp, int ld, int nIn, int nOut);
/** weighted BCE of probabilities p vs targets t (PyTorch clamps): dH = w(p−t)/max(p(1−p), 1e−12)·invW; returns Σ w·bce */
float bce_block(const float* p, const float* t, const float* w, float* dH, int nb, float invW);
/** xT[q*ld+i] = x[row(i)*nIn+q], row(i) = rows ? rows[i] : i; zero padding up to nbp */
void gather_t(const float* x, const int32_t* rows, int64_t row0, int nb, int nbp, int nIn, float* xT, int ld);
/** y[(row0+i)*nOut+o] = yT[o*ld+i] for i < nb */
void scatter_t(const float* yT, int ld, int nb, int nOut, float* y, int64_t row0);
}  // namespace fomlab
