/**
 * Optimisers with PyTorch's exact update rules (torch.optim docs, "Algorithm" sections):
 * SGD (momentum, dampening, Nesterov, L2 weight decay), Adam (bias-corrected, optional L2 weight
 * decay, AMSGrad) and AdamW (decoupled weight decay, Loshchilov & Hutter 2019). One parameter
 * group; schedulers change `lr`. Parameters without a gradient are skipped, as in PyTorch.
 */
import { FomlabError } from '../errors.js';
import { allocFloat, type FloatArray, type Tensor } from '../tensor.js';

/**
 * Everything an optimiser carries from one step to the next (PyTorch's `optimizer.state_dict()`):
 * its kind (checked on load), lr, step count and per-parameter buffers by PyTorch's state keys
 * (`momentum_buffer.0`, `exp_avg.1`, `exp_avg_sq.1`, `step.1`, …). Restoring it into an optimiser
 * over the same parameters continues the same sequence of updates bit for bit.
 */
export interface OptimizerState {
  kind: string;
  lr: number;
  stepCount: number;
  buffers: Record<string, FloatArray>;
}

export abstract class Optimizer {
  /** the optimiser's name in checkpoints ('sgd', 'adam', 'adamw') */
  abstract readonly kind: string;
  readonly params: Tensor[];
  lr: number;
  /** the lr given at construction (schedulers scale from it) */
  readonly initialLr: number;
  /** number of step() calls so far */
  stepCount = 0;

  constructor(params: Iterable<Tensor>, lr: number) {
    this.params = [...params];
    if (!(lr >= 0)) throw new FomlabError(`learning rate must be ≥ 0, got ${lr}`);
    this.lr = lr;
    this.initialLr = lr;
  }

  /** Drops all gradients (PyTorch's default set_to_none=True). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  step(): void {
    this.stepCount++;
    this.params.forEach((p, i) => { if (p.grad) this.update(p.data, p.grad, i); });
  }

  protected abstract update(p: FloatArray, g: FloatArray, index: number): void;

  /** Per-parameter state buffers by name (for checkpoints): `${kind}.${index}` (PyTorch's state keys). */
  abstract stateBuffers(): Map<string, FloatArray>;

  /** Restores what `stateBuffers()` returned (copies), e.g. to resume training from a checkpoint. */
  abstract loadStateBuffers(state: Map<string, FloatArray>): void;

  /** A copy of the whole state (see OptimizerState). */
  stateDict(): OptimizerState {
    const buffers: Record<string, FloatArray> = {};
    for (const [k, v] of this.stateBuffers()) buffers[k] = v.slice();
    return { kind: this.kind, lr: this.lr, stepCount: this.stepCount, buffers };
  }

  /** Restores a `stateDict()` of an optimiser of the same kind over parameters of the same sizes. */
  loadStateDict(s: OptimizerState): void {
    if (s.kind !== this.kind) throw new FomlabError(`optimiser state of a ${s.kind} optimiser cannot be loaded into ${this.kind}`);
    this.lr = s.lr;
    this.stepCount = s.stepCount;
    this.loadStateBuffers(new Map(Object.entries(s.buffers)));
  }
}

/** For each `${kind}.${i}` entry of `state`, a copy of the array in this optimiser's param dtype. */
function restore(state: Map<string, FloatArray>, kind: string, params: Tensor[]): Array<FloatArray | null> {
  return params.map((p, i) => {
    const a = state.get(`${kind}.${i}`);
    if (!a) return null;
    if (a.length !== p.size) throw new FomlabError(`optimiser state '${kind}.${i}' has ${a.length} values, the parameter ${p.size}`);
    const c = allocFloat(p.dtype, a.length);
    c.set(a);
    return c;
  });
}

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  weightDecay?: number;
}

/**
 * torch.optim.SGD: g ← g + λθ; b ← g (first step) or μb + (1−τ)g; g ← g + μb (Nesterov) or b;
 * θ ← θ − γg.
 */
export class SGD extends Optimizer {
  readonly kind: string = 'sgd';
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private readonly buf: Array<FloatArray | null>;

  constructor(params: Iterable<Tensor>, o: SGDOptions) {
    super(params, o.lr);
    this.momentum = o.momentum ?? 0;
    this.dampening = o.dampening ?? 0;
    this.nesterov = o.nesterov ?? false;
    this.weightDecay = o.weightDecay ?? 0;
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) throw new FomlabError('SGD: Nesterov momentum requires a momentum and zero dampening');
    this.buf = this.params.map(() => null);
  }

  protected update(p: FloatArray, g: FloatArray, i: number): void {
    const { lr, momentum: mu, dampening: tau, nesterov, weightDecay: wd } = this;
    const n = p.length;
    if (mu === 0) {
      for (let j = 0; j < n; j++) p[j] -= lr * (g[j] + wd * p[j]);
      return;
    }
    let b = this.buf[i];
    const first = b === null;
    if (b === null) b = this.buf[i] = allocFloat(p instanceof Float64Array ? 'float64' : 'float32', n);
    for (let j = 0; j < n; j++) {
      const gj = g[j] + wd * p[j];
      const bj = first ? gj : mu * b[j] + (1 - tau) * gj;
      b[j] = bj;
      p[j] -= lr * (nesterov ? gj + mu * bj : bj);
    }
  }

  stateBuffers(): Map<string, FloatArray> {
    const m = new Map<string, FloatArray>();
    this.buf.forEach((b, i) => { if (b) m.set(`momentum_buffer.${i}`, b); });
    return m;
  }

  loadStateBuffers(state: Map<string, FloatArray>): void {
    restore(state, 'momentum_buffer', this.params).forEach((b, i) => { this.buf[i] = b; });
  }
}

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
}

/**
 * torch.optim.Adam: g ← g + λθ (Adam) or θ ← θ(1 − γλ) (AdamW); m ← β₁m + (1−β₁)g;
 * v ← β₂v + (1−β₂)g²; θ ← θ − (γ/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε)  (PyTorch's form of the
 * bias-corrected step; with AMSGrad v is replaced by its running maximum).
 */
export class Adam extends Optimizer {
  readonly kind: string = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  protected readonly decoupled: boolean = false;
  private readonly m: Array<FloatArray | null>;
  private readonly v: Array<FloatArray | null>;
  private readonly vMax: Array<FloatArray | null>;
  private readonly steps: number[];

  constructor(params: Iterable<Tensor>, o: AdamOptions = {}, defaultWeightDecay = 0) {
    super(params, o.lr ?? 1e-3);
    [this.beta1, this.beta2] = o.betas ?? [0.9, 0.999];
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weightDecay ?? defaultWeightDecay;
    this.amsgrad = o.amsgrad ?? false;
    this.m = this.params.map(() => null);
    this.v = this.params.map(() => null);
    this.vMax = this.params.map(() => null);
    this.steps = this.params.map(() => 0);
  }

  protected update(p: FloatArray, g: FloatArray, i: number): void {
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const dtype = p instanceof Float64Array ? 'float64' : 'float32';
    const n = p.length;
    const m = (this.m[i] ??= allocFloat(dtype, n));
    const v = (this.v[i] ??= allocFloat(dtype, n));
    const vMax = this.amsgrad ? (this.vMax[i] ??= allocFloat(dtype, n)) : null;
    const t = ++this.steps[i];
    const bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
    const stepSize = lr / bc1, sqrtBc2 = Math.sqrt(bc2);
    const l2 = this.decoupled ? 0 : wd;
    const shrink = this.decoupled ? 1 - lr * wd : 1;
    for (let j = 0; j < n; j++) {
      const gj = g[j] + l2 * p[j];
      if (shrink !== 1) p[j] *= shrink;
      m[j] = b1 * m[j] + (1 - b1) * gj;
      v[j] = b2 * v[j] + (1 - b2) * gj * gj;
      let vj = v[j];
      if (vMax) { if (vj > vMax[j]) vMax[j] = vj; vj = vMax[j]; }
      p[j] -= (stepSize * m[j]) / (Math.sqrt(vj) / sqrtBc2 + eps);
    }
  }

  stateBuffers(): Map<string, FloatArray> {
    const out = new Map<string, FloatArray>();
    this.params.forEach((_, i) => {
      const m = this.m[i], v = this.v[i], vm = this.vMax[i];
      if (m) out.set(`exp_avg.${i}`, m);
      if (v) out.set(`exp_avg_sq.${i}`, v);
      if (vm) out.set(`max_exp_avg_sq.${i}`, vm);
      if (m) out.set(`step.${i}`, Float64Array.of(this.steps[i]));
    });
    return out;
  }

  loadStateBuffers(state: Map<string, FloatArray>): void {
    restore(state, 'exp_avg', this.params).forEach((a, i) => { this.m[i] = a; });
    restore(state, 'exp_avg_sq', this.params).forEach((a, i) => { this.v[i] = a; });
    restore(state, 'max_exp_avg_sq', this.params).forEach((a, i) => { this.vMax[i] = a; });
    this.params.forEach((_, i) => { this.steps[i] = state.get(`step.${i}`)?.[0] ?? 0; });
  }
}

/** torch.optim.AdamW: Adam with decoupled weight decay θ ← θ(1 − γλ), default λ = 0.01. */
export class AdamW extends Adam {
  override readonly kind: string = 'adamw';
  protected override readonly decoupled: boolean = true;
  constructor(params: Iterable<Tensor>, o: AdamOptions = {}) {
    super(params, o, 0.01);
  }
}
