/**
 * The event classifier transformer as a trainable model: all parameters in one flat Float32Array in the
 * kernels' layout (src/core/kernels/transformer-layout.ts; each parameter tensor is a view into it), the
 * whole network one autograd op (`forwardRows`) or one fused BCE step (`bceStep`) of the kernels
 * (native/src/transformer.cc, TypeScript twin ts-transformer.ts).
 *
 * Dropout is on while gradients are recorded (training steps) and off under noGrad (validation,
 * scoring); each step draws a fresh 32-bit mask seed from the trainer's random stream.
 */
import { kernels, type DropoutDraw } from '../../core/kernels/index.js';
import { transformerLayout, transformerParamCount, type TransformerShape } from '../../core/kernels/transformer-layout.js';
import { isGradEnabled, pointGradsAt, Tensor, type Rng } from '../../core/index.js';
import { result } from '../../core/tensor.js';
import type { TrainableModel } from '../registry.js';

export class TransformerNet implements TrainableModel {
  readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly named: Array<[string, Tensor]>;
  private readonly views: Float32Array[];

  constructor(readonly shape: TransformerShape, readonly dropout: number, private readonly rng: Rng) {
    this.params = new Float32Array(transformerParamCount(shape));
    this.grads = new Float32Array(this.params.length);
    const layout = transformerLayout(shape);
    this.named = layout.map((s): [string, Tensor] => [s.name, new Tensor(this.params.subarray(s.offset, s.offset + s.size), s.shape, true)]);
    this.views = layout.map((s) => this.grads.subarray(s.offset, s.offset + s.size));
    initLikePyTorch(this.named, shape.dModel, rng);
  }

  namedParameters(): Array<[string, Tensor]> {
    return this.named;
  }
  parameters(): Tensor[] {
    return this.named.map(([, t]) => t);
  }

  /** Points every parameter's `.grad` at its slot of the flat gradient, keeping what it held. */
  private syncGrads(): Float32Array {
    pointGradsAt(this.parameters(), this.views);
    return this.grads;
  }

  /** a fresh dropout draw while training (gradients recorded), none otherwise */
  private draw(training: boolean): DropoutDraw | null {
    return training && this.dropout > 0 ? { p: this.dropout, seed: this.rng.nextUint32() >>> 0 } : null;
  }

  forward(x: Tensor): Tensor {
    return this.forwardRows(x, null);
  }

  /** y [n, 1] of rows of x [events, features] (null: all), one autograd op; its backward recomputes the forward with the same masks */
  forwardRows(x: Tensor, rows: Int32Array | null): Tensor {
    const n = rows ? rows.length : x.shape[0];
    const drop = this.draw(isGradEnabled());
    const out = new Float32Array(n), xd = x.data as Float32Array;
    kernels.transformerForward(this.shape, this.params, xd, rows, n, drop, out);
    return result(out, [n, 1], this.parameters(), 'transformer', () => (g) => kernels.transformerBackward(this.shape, this.params, xd, rows, n, drop, g, this.syncGrads()));
  }

  /** fused forward + weighted BCE + backward (dropout on): adds ∂L/∂θ into the parameters' `.grad`, returns L */
  bceStep(x: Tensor, target: Float32Array, weight: Float32Array | null, rows: Int32Array | null): number {
    const n = rows ? rows.length : x.shape[0];
    return kernels.transformerBce(this.shape, this.params, x.data as Float32Array, rows, n, this.draw(true), target, weight, this.syncGrads(), null);
  }
}

/**
 * PyTorch's initialisation of the anchor's modules: nn.Linear U(±1/√in) for weights and biases
 * (kaiming_uniform a = √5), LayerNorm γ = 1, β = 0, MultiheadAttention in_proj Xavier uniform with
 * zero bias and out_proj a Linear with zero bias, the class token zero.
 */
function initLikePyTorch(named: Array<[string, Tensor]>, D: number, rng: Rng): void {
  const fill = (t: Tensor, f: () => number): void => { for (let i = 0; i < t.size; i++) t.data[i] = f(); };
  const linearBound = new Map<string, number>();
  for (const [name, t] of named) {
    if (name.endsWith('.weight') && t.ndim === 2 && !/^n\d\./.test(name)) linearBound.set(name.slice(0, -'.weight'.length), 1 / Math.sqrt(t.shape[1]));
  }
  for (const [name, t] of named) {
    if (/^n\d\.weight$/.test(name)) t.data.fill(1);
    else if (/^n\d\.bias$/.test(name) || name === 'cls' || name.endsWith('in_proj_bias') || name.endsWith('out_proj.bias')) t.data.fill(0);
    else if (name.endsWith('in_proj_weight')) { const b = Math.sqrt(6 / (D + 3 * D)); fill(t, () => rng.range(-b, b)); }
    else {
      const b = linearBound.get(name.replace(/\.(weight|bias)$/, ''));
      if (b === undefined) throw new Error(`transformer init: no rule for parameter ${name}`);
      fill(t, () => rng.range(-b, b));
    }
  }
}
