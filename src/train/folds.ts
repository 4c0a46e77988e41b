import { FomlabError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { bceWeights } from '../losses/bce.js';
import type { PunziRows } from './punzi-data.js';
import type { SplitArrays } from './trainer.js';

/**
 * k-fold cross-validation of the training split (training.grid.cv.folds), as scikit-learn's
 * StratifiedKFold(shuffle=True): the signal and the background events are each shuffled by the
 * seed and dealt round-robin into k folds, so every event is in exactly one validation fold and
 * each fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ events of class c. Same seed, same folds.
 */
export function stratifiedFolds(labels: Float32Array, k: number, seed: number, groups?: Float32Array): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new FomlabError(`training.grid.cv.folds: expected a whole number ≥ 2, got ${k}`);
  if (groups) return groupedFolds(labels, k, seed, groups);
  const fold = new Int32Array(labels.length);
  const rng = new Rng(seed);
  for (const cls of [1, 0]) {
    const members: number[] = [];
    for (let i = 0; i < labels.length; i++) if ((labels[i] >= 0.5 ? 1 : 0) === cls) members.push(i);
    if (members.length < k) throw new FomlabError(`training.grid.cv.folds: ${k} folds but only ${members.length} ${cls ? 'signal' : 'background'} events in the training windows`);
    const order = rng.permutation(members.length);
    for (let p = 0; p < order.length; p++) fold[members[order[p]]] = p % k;
  }
  return fold;
}

/**
 * stratifiedFolds dealing whole groups (data.split.group, e.g. the four candidate rows of an event):
 * per class (a group's class is that of its first row) the distinct ids, ascending, are shuffled by
 * the seed and dealt round-robin; every row gets its group's fold.
 */
function groupedFolds(labels: Float32Array, k: number, seed: number, groups: Float32Array): Int32Array {
  const classOf = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) if (!classOf.has(groups[i])) classOf.set(groups[i], labels[i] >= 0.5 ? 1 : 0);
  const foldOf = new Map<number, number>();
  const rng = new Rng(seed);
  for (const cls of [1, 0]) {
    const ids = [...classOf].filter(([, c]) => c === cls).map(([g]) => g).sort((a, b) => a - b);
    if (ids.length < k) throw new FomlabError(`training.grid.cv.folds: ${k} folds but only ${ids.length} ${cls ? 'signal' : 'background'} groups (data.split.group) in the training windows`);
    const order = rng.permutation(ids.length);
    for (let p = 0; p < order.length; p++) foldOf.set(ids[order[p]], p % k);
  }
  return Int32Array.from(groups, (g) => foldOf.get(g)!);
}

/** Indices of the events inside (`inside` true) or outside fold f. */
export function foldRows(fold: Int32Array, f: number, inside: boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < fold.length; i++) if ((fold[i] === f) === inside) out.push(i);
  return Int32Array.from(out);
}

/**
 * The events `rows` of a split as a split of their own. ε and B stay estimates for the whole
 * sample: each hypothesis's signal coefficients 1/N_gen are divided by the kept fraction of the
 * split's signal, the background's w/f by the kept fraction of its background (the folds are
 * stratified, so both are ≈ the fold's share). BCE weights are rebalanced on the subset.
 */
export function subsetSplit(s: SplitArrays, rows: Int32Array): SplitArrays {
  const nf = s.nFeatures, n = rows.length;
  const map = new Int32Array(s.n).fill(-1);
  rows.forEach((e, k) => { map[e] = k; });
  const x = new Float32Array(n * nf);
  const labels = new Float32Array(n), weights = new Float32Array(n), mass = new Float32Array(n);
  let sig = 0, sigAll = 0;
  for (let i = 0; i < s.n; i++) if (s.labels[i] >= 0.5) sigAll++;
  rows.forEach((e, k) => {
    x.set(s.x.subarray(e * nf, (e + 1) * nf), k * nf);
    labels[k] = s.labels[e]; weights[k] = s.weights[e]; mass[k] = s.mass[e];
    if (labels[k] >= 0.5) sig++;
  });
  const qSig = sigAll > 0 ? sig / sigAll : 1, qBkg = s.n - sigAll > 0 ? (n - sig) / (s.n - sigAll) : 1;
  const out: SplitArrays = {
    n, nFeatures: nf, x, labels, weights, bceWeights: bceWeights(labels, weights, true), mass, punzi: subsetRows(s.punzi, map, n, qSig, qBkg),
  };
  if (s.processes) out.processes = { ...s.processes, category: Int32Array.from(rows, (e) => s.processes!.category[e]) };
  return out;
}

function subsetRows(r: PunziRows, map: Int32Array, nEvents: number, qSig: number, qBkg: number): PunziRows {
  const pick = (offsets: Int32Array, events: Int32Array, coef: Float64Array, q: number) => {
    const o = new Int32Array(offsets.length);
    const ev: number[] = [], cf: number[] = [];
    for (let h = 0; h + 1 < offsets.length; h++) {
      for (let j = offsets[h]; j < offsets[h + 1]; j++) {
        const e = map[events[j]];
        if (e < 0) continue;
        ev.push(e);
        cf.push(q > 0 ? coef[j] / q : 0);
      }
      o[h + 1] = ev.length;
    }
    return { offsets: o, events: Int32Array.from(ev), coef: Float64Array.from(cf) };
  };
  const sg = pick(r.sigOffsets, r.sigEvents, r.sigCoef, qSig), bg = pick(r.bkgOffsets, r.bkgEvents, r.bkgCoef, qBkg);
  return {
    nEvents, nHypotheses: r.nHypotheses,
    sigOffsets: sg.offsets, sigEvents: sg.events, sigCoef: sg.coef, bkgOffsets: bg.offsets, bkgEvents: bg.events, bkgCoef: bg.coef,
  };
}
