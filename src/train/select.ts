import { Tensor } from '../core/index.js';
import { binnedSignificance } from '../evaluate/binned.js';
import type { TrainableModel } from '../models/registry.js';

/**
 * Model selection of the H→Zγ study (arXiv:2401.00428 §4): the checkpoint with the highest
 * expected significance on the validation split — 8 bins of the output holding equal signal, in
 * each a mass window holding the central 5–95 % of that bin's signal, Asimov Z per bin combined
 * in quadrature (evaluate/binned.ts) — evaluated every 5 epochs for the first 50 and every 10
 * after; or the checkpoint with the lowest validation loss.
 */
export interface SelectConfig {
  by: 'significance' | 'loss';
  /** [[until, step], …]: up to epoch `until` (null: for ever) evaluate every `step` epochs */
  every: Array<[number | null, number]>;
  /** equal-signal output bins of the significance (default 8) */
  bins: number;
}

/** The whole validation split as the significance reads it (mass window per bin from its signal). */
export interface SignificanceSplit {
  /** scaled features, n × nFeatures */
  x: Float32Array;
  labels: Float32Array;
  /** luminosity weights / split fraction (negative ones at 0) */
  weights: Float32Array;
  mass: Float32Array;
}

/** True when the significance is due after `epoch` (1-based) of a stage of `epochs`: on the schedule, and at the stage's last epoch. */
export function significanceDue(epoch: number, epochs: number, every: SelectConfig['every']): boolean {
  if (epoch === epochs) return true;
  let from = 0;
  for (const [until, step] of every) {
    if (until === null || epoch <= until) return (epoch - from) % step === 0;
    from = until;
  }
  return false;
}

/** Expected significance √(Σ Z_i²) of the net on the split (Asimov discovery Z per bin). */
export function validationSignificance(net: TrainableModel, s: SignificanceSplit, nFeatures: number, bins: number): number {
  const n = s.labels.length;
  const p = net.forwardRows(new Tensor(s.x, [n, nFeatures]), null).data;
  return binnedSignificance({ output: p, label: s.labels, weight: s.weights, mass: s.mass }, { bins }).z;
}
