import { type FigureSpec, figureOf } from '../physics/figures.js';
import type { WindowIncidence } from '../physics/windows.js';
import type { RegionCutsRecord } from './summary.js';
import { bestCommonCut, cutsAt } from './cuts.js';

/** One split's scores with its per-event weights and window incidence (all hypotheses). */
export interface ScoredSplit {
  p: Float32Array;
  weights: Float32Array;
  incidence: WindowIncidence;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Region of a hypothesis mass: the number of edges ≤ m. */
const regionOfMass = (m: number, edges: readonly number[]): number => edges.filter((e) => m >= e).length;

/**
 * The dark-photon slides' comparison (issue 17): one fixed cut on the classifier output (0.5) for
 * every mass against one cut per training region, each chosen on the validation split as the best
 * geometric mean of the figure over the hypotheses whose mass lies in the region; both judged on
 * the test split, per hypothesis. Edges are in the units of the hypothesis mass (GeV).
 */
export function regionCutComparison(masses: readonly number[], edges: readonly number[], validation: ScoredSplit, test: ScoredSplit, figure: FigureSpec, fixedCut = 0.5): RegionCutsRecord {
  const f = figureOf(figure);
  const opts = { figure: f, params: figure.params, form: figure.params.form };
  const region = masses.map((m) => regionOfMass(m, edges));
  const cuts = Array.from({ length: edges.length + 1 }, (_, r) => {
    const include = region.map((x) => x === r);
    if (!include.some(Boolean)) return null;
    const c = bestCommonCut(validation.p, validation.weights, validation.incidence, { ...opts, include, aggregate: 'geometricMean' });
    return finite(c.cut[0]);
  });
  const fixed = cutsAt(test.p, test.weights, test.incidence, fixedCut, opts);
  const atRegion = cuts.map((c) => (c === null ? null : cutsAt(test.p, test.weights, test.incidence, c, opts)));
  return {
    fixedCut, edges: [...edges], label: f.label, better: f.better, regionCuts: cuts,
    masses: masses.map((mass, h) => ({ mass, region: region[h], fixed: finite(fixed.value[h]), regional: finite(atRegion[region[h]]?.value[h] ?? NaN) })),
  };
}
