/**
 * gradcheck: compares the autograd gradient of a function with central finite differences
 * (float64 inputs). The output is reduced to a scalar with fixed pseudo-random weights so every
 * output element is checked.
 */
import { FomlabError } from './errors.js';
import { Rng } from './rng.js';
import { noGrad, type Tensor } from './tensor.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  seed?: number;
}

export interface GradcheckResult {
  /** largest |analytic − numeric| / (atol + rtol·|numeric|) over all inputs (≤ 1 passes) */
  worst: number;
  where: string;
}

/**
 * Throws a FomlabError naming the input and element when a gradient is off. Inputs must be
 * float64 leaves; those with requiresGrad are checked. Extra inputs after fn's own arguments
 * (e.g. a module's parameters, which fn reaches through its closure) are checked too.
 */
export function gradcheck<A extends Tensor[]>(fn: (...xs: A) => Tensor, inputs: [...A, ...Tensor[]], opts: GradcheckOptions = {}): GradcheckResult {
  const eps = opts.eps ?? 1e-6, atol = opts.atol ?? 1e-6, rtol = opts.rtol ?? 1e-5;
  for (const x of inputs) if (x.dtype !== 'float64') throw new FomlabError('gradcheck needs float64 inputs');
  const call = (): Tensor => fn(...(inputs as unknown as A));
  const probe = noGrad(call);
  const rng = new Rng(opts.seed ?? 12345);
  const r = Array.from({ length: probe.size }, () => rng.range(0.5, 1.5) * (rng.uniform() < 0.5 ? -1 : 1));
  const scalar = (): number => {
    const y = noGrad(call);
    let s = 0;
    for (let i = 0; i < y.size; i++) s += y.data[i] * r[i];
    return s;
  };
  for (const x of inputs) x.grad = null;
  const y = call();
  y.backward(Float64Array.from(r));
  let worst = 0, where = '';
  inputs.forEach((x, k) => {
    if (!x.requiresGrad) return;
    for (let i = 0; i < x.size; i++) {
      const old = x.data[i];
      x.data[i] = old + eps;
      const up = scalar();
      x.data[i] = old - eps;
      const down = scalar();
      x.data[i] = old;
      const numeric = (up - down) / (2 * eps);
      const analytic = x.grad ? x.grad[i] : 0;
      const err = Math.abs(analytic - numeric) / (atol + rtol * Math.abs(numeric));
      if (err > worst) { worst = err; where = `input ${k} element ${i}: analytic ${analytic}, numeric ${numeric}`; }
    }
  });
  if (worst > 1) throw new FomlabError(`gradcheck failed at ${where}`);
  return { worst, where };
}
