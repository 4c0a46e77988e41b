#pragma once
#include <cstdint>

namespace fomlab {
void gemm(bool tA, bool tB, int m, int n, int k, float alpha, const float* A, const float* Bm, float beta, float* C);
void dense_backward(const float* x, const float* W, const float* bias, const float* y, const float* dy, float* dx, float* dW /* null: not wanted */, float* db,
                    int64_t n, int nIn, int nOut, int act);
void activate(int act, const float* x, float* y, int64_t len);
void activate_backward(int act, const float* x, const float* y, const float* dy, float* dx, int64_t len);
void sgd_step(float* p, const float* g, float* vel, int64_t len, float lr, float momentum, float dampening, float wd, bool nesterov, bool first);
void adam_step(float* p, const float* g, float* m, float* v, int64_t len, double step, float lr, float b1, float b2, float eps, float wd, bool decoupled);
}  // namespace fomlab
