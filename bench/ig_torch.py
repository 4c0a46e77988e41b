"""PyTorch twin of bench/attributions.bench.ts: integrated gradients (trapezoid, m steps, one baseline
per event) of the same net shapes in eval mode, float32, CPU, in chunks of 256 events. Prints
`NAME seconds_per_epoch=S` lines (one pass over the events), as bench/anchor.ts reads them.
Usage: /usr/bin/python3 bench/ig_torch.py EVENTS STEPS"""
import sys, time
import torch

n, m = int(sys.argv[1]), int(sys.argv[2])
torch.manual_seed(1)
nets = {
    "ig-mlp-4-8-4-1": torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1), torch.nn.Sigmoid()),
    "ig-thesis-dnn": torch.nn.Sequential(torch.nn.Linear(4, 128), torch.nn.BatchNorm1d(128), torch.nn.Mish(), torch.nn.Dropout(0.2),
                                         torch.nn.Linear(128, 128), torch.nn.BatchNorm1d(128), torch.nn.Mish(), torch.nn.Dropout(0.2),
                                         torch.nn.Linear(128, 1), torch.nn.Sigmoid()),
}
x, base = torch.rand(n, 4), torch.rand(n, 4)
w = torch.full((m + 1,), 1.0 / m); w[0] = w[-1] = 0.5 / m
alpha = torch.arange(m + 1, dtype=torch.float32) / m
for name, net in nets.items():
    net.eval()
    t = time.perf_counter()
    for e0 in range(0, n, 256):
        xe, be = x[e0:e0 + 256], base[e0:e0 + 256]
        pts = (be[:, None, :] + alpha[None, :, None] * (xe - be)[:, None, :]).reshape(-1, 4).requires_grad_(True)
        out = net(pts).reshape(-1, m + 1)
        (out * w).sum().backward()
        ig = (xe - be) * pts.grad.reshape(-1, m + 1, 4).sum(1)
    print(f"{name} seconds_per_epoch={time.perf_counter() - t}")
