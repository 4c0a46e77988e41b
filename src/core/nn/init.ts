/**
 * Weight initialisations, as torch.nn.init (same formulas; the numbers come from our Rng):
 * gain table (calculate_gain), Kaiming uniform/normal (He et al. 2015), Xavier uniform/normal
 * (Glorot & Bengio 2010). Each fills a tensor in place and returns it.
 */
import { FomlabError } from '../errors.js';
import type { Rng } from '../rng.js';
import type { Tensor } from '../tensor.js';

export type Nonlinearity = 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** torch.nn.init.calculate_gain */
export function calculateGain(nonlinearity: Nonlinearity, param = 0.01): number {
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': return Math.sqrt(2 / (1 + param * param));
    case 'selu': return 3 / 4;
  }
}

/** [fanIn, fanOut] of a weight [out, in, ...receptive field] */
export function fans(t: Tensor): [number, number] {
  if (t.ndim < 2) throw new FomlabError(`fan in/out needs a weight of at least 2 dims, got [${t.shape.join(', ')}]`);
  let rf = 1;
  for (let i = 2; i < t.ndim; i++) rf *= t.shape[i];
  return [t.shape[1] * rf, t.shape[0] * rf];
}

export interface KaimingOptions {
  /** negative slope of the leaky ReLU after this layer (torch's `a`) */
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, o: KaimingOptions): number {
  const [fi, fo] = fans(t);
  const gain = calculateGain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0);
  return gain / Math.sqrt((o.mode ?? 'fan_in') === 'fan_in' ? fi : fo);
}

/** U(−bound, bound) in place */
export function uniform(t: Tensor, rng: Rng, lo: number, hi: number): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = rng.range(lo, hi);
  return t;
}

/** N(mean, std²) in place */
export function normal(t: Tensor, rng: Rng, mean: number, std: number): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = mean + std * rng.normal();
  return t;
}

/** kaiming_uniform_: bound = gain·√(3/fan) */
export function kaimingUniform(t: Tensor, rng: Rng, o: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, o);
  return uniform(t, rng, -bound, bound);
}

/** kaiming_normal_: std = gain/√fan */
export function kaimingNormal(t: Tensor, rng: Rng, o: KaimingOptions = {}): Tensor {
  return normal(t, rng, 0, kaimingStd(t, o));
}

/** xavier_uniform_: bound = gain·√(6/(fan_in + fan_out)) */
export function xavierUniform(t: Tensor, rng: Rng, gain = 1): Tensor {
  const [fi, fo] = fans(t);
  const bound = gain * Math.sqrt(6 / (fi + fo));
  return uniform(t, rng, -bound, bound);
}

/** xavier_normal_: std = gain·√(2/(fan_in + fan_out)) */
export function xavierNormal(t: Tensor, rng: Rng, gain = 1): Tensor {
  const [fi, fo] = fans(t);
  return normal(t, rng, 0, gain * Math.sqrt(2 / (fi + fo)));
}
