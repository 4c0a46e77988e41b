import { FomlabError } from '../core/errors.js';
import { argsortDescendingExact } from '../physics/ordering.js';
import { type ScoredEvents, checkScored } from './scored.js';

/**
 * Weighted ROC curve as scikit-learn's `roc_curve(drop_intermediate=False)`: one point per distinct
 * output (ties form one step), starting at (0, 0) with threshold +∞; negative weights are set to
 * zero, as in the seed paper. tpr = signal weight with output ≥ threshold / all signal weight.
 */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  thresholds: Float64Array;
  /** area under the curve (trapezoids, = sklearn `roc_auc_score` with `sample_weight`) */
  auc: number;
}

export function rocCurve(ev: ScoredEvents): RocCurve {
  const n = checkScored(ev, 'ROC');
  const { output, label } = ev;
  const weight = ev.weight ?? null;
  const order = argsortDescendingExact(output);
  const fpr: number[] = [0], tpr: number[] = [0], thr: number[] = [Infinity];
  let tp = 0, fp = 0;
  let p = 0;
  while (p < n) {
    const v = output[order[p]];
    do {
      const i = order[p];
      const w = weight ? Math.max(0, weight[i]) : 1;
      if (label[i] >= 0.5) tp += w; else fp += w;
      p++;
    } while (p < n && output[order[p]] === v);
    tpr.push(tp); fpr.push(fp); thr.push(v);
  }
  if (!(tp > 0) || !(fp > 0)) throw new FomlabError(`ROC: needs signal and background with positive weight (signal ${tp}, background ${fp})`);
  const F = Float64Array.from(fpr, (x) => x / fp), T = Float64Array.from(tpr, (x) => x / tp);
  let auc = 0;
  // trapezoids on the unnormalised sums, normalised once (as sklearn's auc on fps/tps)
  for (let k = 1; k < fpr.length; k++) auc += ((fpr[k] - fpr[k - 1]) * (tpr[k] + tpr[k - 1])) / 2;
  return { fpr: F, tpr: T, thresholds: Float64Array.from(thr), auc: auc / (fp * tp) };
}

/** Weighted area under the ROC curve (see `rocCurve`). */
export function rocAuc(ev: ScoredEvents): number {
  return rocCurve(ev).auc;
}
