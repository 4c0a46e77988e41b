import { FomlabError, didYouMean } from '../core/errors.js';
import { savedFeedForward } from './mlp.js';
import type { SavedModel } from './registry.js';
import type { FeedForwardSpec } from './spec.js';

/**
 * Scores events given as named columns with a model (any kind; a bare feed-forward spec is an
 * MLP): picks the model's input columns (errors name a missing one and its near matches, or
 * NaN/Inf values with their count, unless the model scores missing values) and runs the model. Returns one score per event.
 */
export function scoreColumns(model: SavedModel | FeedForwardSpec, columns: ReadonlyMap<string, Float32Array>, source: string): Float32Array {
  const m = 'layers' in model ? savedFeedForward(model) : model;
  const inputs = m.inputNames.map((name) => {
    const c = columns.get(name);
    if (!c) throw new FomlabError(`${source}: the model needs column '${name}'${didYouMean(name, columns.keys())}`);
    let bad = 0;
    if (!m.scoresMissing) for (const v of c) if (!Number.isFinite(v)) bad++;
    if (bad) throw new FomlabError(`${source}: column '${name}' has ${bad} NaN or infinite values; the model cannot score them`);
    return c;
  });
  const n = inputs.length ? inputs[0].length : 0;
  const nf = inputs.length;
  const x = new Float32Array(n * nf);
  for (let j = 0; j < nf; j++) for (let i = 0; i < n; i++) x[i * nf + j] = inputs[j][i];
  return m.score(x, n);
}
