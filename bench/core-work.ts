// The work timed by bench/core.bench.ts: the Punzi-net recipe of ../shared/anchors/torch_punzi_bench.py on the
// fused kernels (mlpBce / mlpForward → Punzi gradient → mlpBackward, then sgdStep/adamStep) and through the autograd.
import { Rng } from '../src/core/rng.js';
import { mlpParamCount, type Kernels, type MlpShape } from '../src/core/kernels/index.js';
import { MLP, SGD, Tensor, add, binaryCrossEntropy, clamp, div, indexSelect, mean, mul, noGrad, reshape, segmentSum, sqrt } from '../src/core/index.js';

export const H = 44;
export const PUNZI_NET: MlpShape = { sizes: [4, 8, 4, 1], acts: ['tanh', 'tanh', 'sigmoid'] };

export interface Data { n: number; nIn: number; x: Float32Array; y: Float32Array; w: Float32Array; hyp: Int32Array }

/** the anchor's data: uniform features, 10 % signal, unit weights, each event in one of 44 windows */
export function makeData(n: number, nIn: number, seed = 1): Data {
  const rng = new Rng(seed);
  const x = new Float32Array(n * nIn), y = new Float32Array(n), w = new Float32Array(n).fill(1), hyp = new Int32Array(n);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  for (let i = 0; i < n; i++) { y[i] = rng.uniform() < 0.1 ? 1 : 0; hyp[i] = rng.int(H); }
  return { n, nIn, x, y, w, hyp };
}

/** PyTorch nn.Linear default init (U(±1/√fan_in)) into one flat buffer */
export function initParams(net: MlpShape, rng: Rng): Float32Array {
  const p = new Float32Array(mlpParamCount(net));
  let off = 0;
  for (let l = 0; l + 1 < net.sizes.length; l++) {
    const bound = 1 / Math.sqrt(net.sizes[l]), len = net.sizes[l] * net.sizes[l + 1] + net.sizes[l + 1];
    for (let i = 0; i < len; i++) p[off + i] = rng.range(-bound, bound);
    off += len;
  }
  return p;
}

/**
 * Uniform random permutation (Fisher–Yates). The draws come from a local xoshiro128** seeded by `rng`, kept in int32
 * locals: Rng.nextUint32 stores uint32 state in object fields (heap numbers), ~25 ns a draw, 40 ms per 1 M events.
 */
export function permutation(n: number, rng: Rng, out: Int32Array): Int32Array {
  let s0 = rng.nextUint32() | 0, s1 = rng.nextUint32() | 0, s2 = rng.nextUint32() | 0, s3 = rng.nextUint32() | 1;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0, t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    const j = Math.floor(r * (i + 1) / 4294967296), v = out[i];
    out[i] = out[j]; out[j] = v;
  }
  return out;
}
const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

export interface Trainer { epoch(): void }

/** weighted BCE, shuffled mini-batches, SGD (or Adam) — one fused kernel call per batch plus the update */
export function fusedBce(K: Kernels, net: MlpShape, d: Data, batch: number, optimiser: 'sgd' | 'adam', lr: number): Trainer {
  const rng = new Rng(7), params = initParams(net, rng), grads = new Float32Array(params.length);
  const m = new Float32Array(params.length), v = new Float32Array(params.length), perm = new Int32Array(d.n);
  let step = 0;
  return {
    epoch() {
      permutation(d.n, rng, perm);
      for (let s = 0; s < d.n; s += batch) {
        const nb = Math.min(batch, d.n - s);
        grads.fill(0);
        K.mlpBce(net, params, d.x, perm.subarray(s, s + nb), nb, d.y, d.w, grads, null);
        if (optimiser === 'sgd') K.sgdStep(params, grads, null, { lr });
        else K.adamStep(params, grads, m, v, ++step, { lr });
      }
    },
  };
}

const A = 3, BB = 1.28155, LUMI = 50, NGEN = 20000;

/** full-batch Punzi loss (improved σ_min averaged over the hypotheses): forward, per-window sums, gradient, backward */
export function fusedPunzi(K: Kernels, d: Data): Trainer {
  const net = PUNZI_NET, rng = new Rng(7), params = initParams(net, rng), grads = new Float32Array(params.length);
  const out = new Float32Array(d.n), dOut = new Float32Array(d.n);
  const eff = new Float64Array(H), bkg = new Float64Array(H), gEff = new Float64Array(H), gBkg = new Float64Array(H);
  return {
    epoch() {
      K.mlpForward(net, params, d.x, null, d.n, out);
      eff.fill(0); bkg.fill(0);
      const { y, w, hyp } = d;
      for (let i = 0; i < d.n; i++) { // branch-free: signal is 10 % at random, a branch mispredicts
        const h = hyp[i], o = out[i], yi = y[i];
        eff[h] += o * yi;
        bkg[h] += o * (1 - yi) * w[i];
      }
      for (let h = 0; h < H; h++) {
        const e = eff[h] / NGEN, b = bkg[h], sb = Math.sqrt(b), r = Math.sqrt(BB * BB + 4 * A * sb + 4 * b);
        const num = A * A / 8 + 9 * BB * BB / 13 + A * sb + BB * r / 2;
        const ec = Math.max(e, 1e-6);
        gBkg[h] = (A / (2 * sb) + BB * (A / sb + 2) / (2 * r)) / ec / LUMI / H;
        gEff[h] = e > 1e-6 ? -num / (ec * ec) / LUMI / H / NGEN : 0;
      }
      for (let i = 0; i < d.n; i++) {
        const h = hyp[i], yi = y[i];
        dOut[i] = gEff[h] * yi + gBkg[h] * (1 - yi) * w[i];
      }
      grads.fill(0);
      K.mlpBackward(net, params, d.x, null, d.n, dOut, grads);
      K.sgdStep(params, grads, null, { lr: 1 });
    },
  };
}

/**
 * the same BCE epoch through the nn/optim API: `fused` uses MLP.bceStep (one fused kernel call per batch), otherwise
 * layer by layer through the autograd (indexSelect, linear ×3, binaryCrossEntropy, backward)
 */
export function autogradBce(d: Data, batch: number, fused: boolean): Trainer {
  const rng = new Rng(7), mlp = new MLP(PUNZI_NET.sizes, PUNZI_NET.acts, rng), opt = new SGD(mlp.parameters(), { lr: 1 });
  const X = new Tensor(d.x, [d.n, d.nIn]), Y = new Tensor(d.y, [d.n]), W = new Tensor(d.w, [d.n]), perm = new Int32Array(d.n);
  return {
    epoch() {
      permutation(d.n, rng, perm);
      for (let s = 0; s < d.n; s += batch) {
        const rows = perm.subarray(s, Math.min(d.n, s + batch));
        if (fused) {
          opt.zeroGrad();
          mlp.bceStep(X, d.y, d.w, rows);
          opt.step();
          continue;
        }
        const [xb, yb, wb] = noGrad(() => [indexSelect(X, 0, rows), indexSelect(Y, 0, rows), indexSelect(W, 0, rows)]);
        opt.zeroGrad();
        const out = mlp.forward(xb);
        binaryCrossEntropy(reshape(out, [rows.length]), yb, wb).backward();
        opt.step();
      }
    },
  };
}

/** the same full-batch Punzi epoch through the autograd (segmentSum, sqrt, clamp, mean; the anchor's formula) */
export function autogradPunzi(d: Data, fused: boolean): Trainer {
  const rng = new Rng(7), mlp = new MLP(PUNZI_NET.sizes, PUNZI_NET.acts, rng), opt = new SGD(mlp.parameters(), { lr: 1 });
  const X = new Tensor(d.x, [d.n, d.nIn]), Y = new Tensor(d.y, [d.n]);
  const bw = new Tensor(d.y.map((y, i) => (1 - y) * d.w[i]), [d.n]);
  return {
    epoch() {
      opt.zeroGrad();
      const out = reshape(fused ? mlp.forwardRows(X) : mlp.forward(X), [d.n]);
      const eff = div(segmentSum(mul(out, Y), d.hyp, H), NGEN), bkg = segmentSum(mul(out, bw), d.hyp, H);
      const sb = sqrt(bkg);
      const r = sqrt(add(add(mul(sb, 4 * A), mul(bkg, 4)), BB * BB));
      const num = add(add(mul(sb, A), mul(r, BB / 2)), A * A / 8 + 9 * BB * BB / 13);
      mean(div(div(num, clamp(eff, 1e-6)), LUMI)).backward();
      opt.step();
    },
  };
}
