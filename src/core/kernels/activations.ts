/**
 * Scalar activations and their derivatives for the TypeScript kernels (float64 arithmetic, so the
 * finite-difference tests of the float64 path are exact to ~1e-10).
 */
import type { Activation } from './types.js';

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327;
const TWO_OVER_SQRT_PI = 1.1283791670955126;

/**
 * erf(x) to ~1e-15: JavaScript has no Math.erf. Taylor series for |x| < 3 (terms peak near e^9,
 * so ~1e-12 absolute at worst), Lentz continued fraction for erfc beyond.
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    const x2 = x * x;
    let term = x, sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return TWO_OVER_SQRT_PI * sum;
  }
  if (ax > 6) return x > 0 ? 1 : -1;
  // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) via modified Lentz
  const tiny = 1e-300;
  let f = ax, c = ax, d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? tiny : 1 / d;
    c = ax + an / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return x > 0 ? 1 - erfc : erfc - 1;
}

function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

export function actScalar(act: Activation, x: number): number {
  switch (act) {
    case 'identity': return x;
    case 'tanh': return Math.tanh(x);
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'relu': return x > 0 ? x : 0;
    case 'leaky_relu': return x > 0 ? x : 0.01 * x;
    case 'gelu': return 0.5 * x * (1 + erf(x * SQRT1_2));
    case 'mish': return x * Math.tanh(softplus(x));
  }
}

/** act'(x), given x and y = act(x) (y is used where it is cheaper) */
export function actDerivative(act: Activation, x: number, y: number): number {
  switch (act) {
    case 'identity': return 1;
    case 'tanh': return 1 - y * y;
    case 'sigmoid': return y * (1 - y);
    case 'relu': return x > 0 ? 1 : 0;
    case 'leaky_relu': return x > 0 ? 1 : 0.01;
    case 'gelu': return 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    case 'mish': {
      const t = Math.tanh(softplus(x));
      const s = 1 / (1 + Math.exp(-x));
      return t + x * s * (1 - t * t);
    }
  }
}

/** true when act'(z) can be computed from y = act(z) alone (so denseBackward needs no bias) */
export function derivativeFromOutput(act: Activation): boolean {
  return act !== 'gelu' && act !== 'mish';
}

/** act'(z) from y alone, for the activations where derivativeFromOutput(act) */
export function actDerivativeFromY(act: Activation, y: number): number {
  switch (act) {
    case 'tanh': return 1 - y * y;
    case 'sigmoid': return y * (1 - y);
    case 'relu': return y > 0 ? 1 : 0;
    case 'leaky_relu': return y > 0 ? 1 : 0.01;
    default: return 1;
  }
}
