import { FomlabError, didYouMean } from '../core/errors.js';
import { checkSpec, forwardSpec, type FeedForwardSpec } from './spec.js';

/**
 * Scores events given as named columns with a feed-forward model: picks the model's input
 * columns (errors name a missing one and its near matches, or NaN/Inf values with their count),
 * and runs the reference forward pass. Returns one score per event.
 */
export function scoreColumns(spec: FeedForwardSpec, columns: ReadonlyMap<string, Float32Array>, source: string): Float32Array {
  checkSpec(spec, 'model');
  const inputs = spec.inputNames.map((name) => {
    const c = columns.get(name);
    if (!c) throw new FomlabError(`${source}: the model needs column '${name}'${didYouMean(name, columns.keys())}`);
    let bad = 0;
    for (const v of c) if (!Number.isFinite(v)) bad++;
    if (bad) throw new FomlabError(`${source}: column '${name}' has ${bad} NaN or infinite values; the model cannot score them`);
    return c;
  });
  const n = inputs.length ? inputs[0].length : 0;
  const nf = inputs.length;
  const x = new Float32Array(n * nf);
  for (let j = 0; j < nf; j++) for (let i = 0; i < n; i++) x[i * nf + j] = inputs[j][i];
  return forwardSpec(spec, x, n);
}
