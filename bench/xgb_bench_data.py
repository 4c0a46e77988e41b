#!/usr/bin/python3
"""The very arrays of ../shared/anchors/xgb_bench.py (its recipe and numpy seed, repeated here) written as raw float32
for bench/gbdt.bench.ts, so that fomlab trains and is tested on the anchor's own events. Usage: xgb_bench_data.py N F DIR
writes DIR/{train_x,train_y,test_x,test_y}.f32, x column after column."""
import sys, numpy as np
n, f, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(2)
X = rng.normal(size=(n, f)).astype(np.float32)
logit = X[:, 0] - 0.5 * X[:, 1] ** 2 + 0.8 * X[:, 2] * X[:, 3]
y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.float32)
Xt = rng.normal(size=(200_000, f)).astype(np.float32)
lt = Xt[:, 0] - 0.5 * Xt[:, 1] ** 2 + 0.8 * Xt[:, 2] * Xt[:, 3]
yt = (rng.random(200_000) < 1 / (1 + np.exp(-lt))).astype(np.float32)
for name, a in (("train_x", X.T), ("train_y", y), ("test_x", Xt.T), ("test_y", yt)):
    np.ascontiguousarray(a).tofile(f"{out}/{name}.f32")
