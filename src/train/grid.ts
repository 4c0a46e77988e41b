import { FomlabError } from '../core/errors.js';
import { modelSchema, type ModelConfig, type StageConfig } from '../config/training.js';
import type { GridConfig } from '../config/grid.js';
import { scoreMatrix, type FitInputs } from '../models/registry.js';
import { optimalCuts } from '../evaluate/cuts.js';
import { rocAuc } from '../evaluate/roc.js';
import { type FigureSpec, figureOf } from '../physics/figures.js';
import type { WindowIncidence } from '../physics/windows.js';
import type { PunziLossOptions } from '../losses/punzi.js';
import type { GridSearchRecord } from '../evaluate/summary.js';
import { foldRows, stratifiedFolds, subsetSplit } from './folds.js';
import { memberSeed } from './ensemble.js';
import { trainNet, type SplitArrays } from './trainer.js';
import { meanVariance } from '../evaluate/spread.js';

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** One grid point: a value for each swept model option. */
export type GridPoint = Record<string, number | string | boolean>;

/** Every combination of the swept values, the first key varying slowest (as sklearn's ParameterGrid, keys in file order). */
export function gridPoints(params: Record<string, ReadonlyArray<number | string | boolean>>): GridPoint[] {
  let points: GridPoint[] = [{}];
  for (const [key, values] of Object.entries(params)) points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  return points;
}

/**
 * The model section with one grid point's options; checked by the kind's schema, so a misspelt or
 * out-of-range value is one error naming the point. A dotted key sets an option of a nested
 * section (`model.max_depth`: the inner model of a regions model). (Give gbdt's canonical names in
 * a grid — learning_rate, reg_lambda, reg_alpha, gamma — since the section already holds those.)
 */
export function modelAt(model: ModelConfig, point: GridPoint): ModelConfig {
  const section: Record<string, unknown> = structuredClone(model);
  for (const [key, v] of Object.entries(point)) {
    const path = key.split('.');
    let at = section;
    for (const p of path.slice(0, -1)) {
      const next = at[p];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) throw new FomlabError(`training.grid.params.${key}: the model section has no mapping '${p}'`);
      at = next as Record<string, unknown>;
    }
    at[path[path.length - 1]] = v;
  }
  const r = modelSchema.safeParse(section);
  if (!r.success) throw new FomlabError(`training.grid.params: the point ${describePoint(point)}: model.${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function describePoint(p: GridPoint): string {
  return Object.entries(p).map(([k, v]) => `${k} = ${v}`).join(', ') || '(no option swept)';
}

/** What a grid point is chosen by: the weighted AUC, or a figure of merit at each hypothesis's optimal cut. */
export type GridSelection = { kind: 'auc' } | { kind: 'figure'; figure: FigureSpec };

/**
 * The number a grid point scores on one validation split: the weighted ROC AUC, or the geometric
 * mean over the training hypotheses of the figure at each one's optimal cut (the trainer's
 * validation figure, train/trainer.ts hardFigure), with ε and B from the split's Punzi rows.
 */
export function validationScore(sel: GridSelection, p: Float32Array, s: SplitArrays): number {
  if (sel.kind === 'auc') return rocAuc({ output: p, label: s.labels, weight: s.weights });
  const { inc, weight } = incidenceOfRows(s);
  const f = figureOf(sel.figure);
  const cuts = optimalCuts(p, weight, inc, { params: sel.figure.params, form: sel.figure.params.form, figure: f });
  let sum = 0, k = 0;
  for (let h = 0; h < inc.nHypotheses; h++) {
    if (inc.nGenerated[h] <= 0) continue;
    sum += Math.log(cuts.value[h]);
    k++;
  }
  return Math.exp(sum / Math.max(k, 1));
}

/**
 * The split's Punzi rows as a window incidence: N_gen(h) = 1/(signal coefficient) and the
 * per-event weight w·(coefficient/w) = max(w, 0)/f, the sample's expected B (and S).
 */
function incidenceOfRows(s: SplitArrays): { inc: WindowIncidence; weight: Float32Array } {
  const r = s.punzi;
  const nGenerated = new Float64Array(r.nHypotheses);
  for (let h = 0; h < r.nHypotheses; h++) nGenerated[h] = r.sigOffsets[h + 1] > r.sigOffsets[h] && r.sigCoef[r.sigOffsets[h]] > 0 ? 1 / r.sigCoef[r.sigOffsets[h]] : 0;
  let perWeight = 1;
  for (let j = 0; j < r.bkgEvents.length; j++) {
    const w = s.weights[r.bkgEvents[j]];
    if (w > 0) { perWeight = r.bkgCoef[j] / w; break; }
  }
  const weight = Float32Array.from(s.weights, (w) => Math.max(w, 0) * perWeight);
  return {
    inc: {
      nHypotheses: r.nHypotheses, nEvents: s.n, nGenerated, unmatchedSignal: 0,
      signal: { offsets: r.sigOffsets, events: r.sigEvents }, background: { offsets: r.bkgOffsets, events: r.bkgEvents },
    },
    weight,
  };
}

export interface GridSearchInput {
  train: SplitArrays;
  validation: SplitArrays;
  model: ModelConfig;
  stages: StageConfig[];
  sensitivity: PunziLossOptions;
  grid: GridConfig;
  selection: GridSelection;
  /** training.seed: the folds and every fit derive from it */
  seed: number;
  /** the feature names and scaling (for kinds that read a feature by name) */
  inputs?: FitInputs;
  log?: (line: string) => void;
}

/**
 * Grid search (issue 14): every point is trained on each fold's complement and scored on the fold
 * (k-fold, stratified by class, deterministic from the seed), or trained on the training split and
 * scored on the validation split (hold-out). The point with the best mean wins; the run then trains
 * it on the whole training split (the refit). Returns the table of every point and the chosen model.
 */
export function gridSearch(inp: GridSearchInput): { record: GridSearchRecord; model: ModelConfig } {
  const points = gridPoints(inp.grid.params);
  const models = points.map((p) => modelAt(inp.model, p));
  const cv = inp.grid.cv;
  const splits: Array<{ train: SplitArrays; validation: SplitArrays }> = [];
  if ('folds' in cv) {
    const fold = stratifiedFolds(inp.train.labels, cv.folds, inp.seed, inp.train.groups);
    for (let f = 0; f < cv.folds; f++) splits.push({ train: subsetSplit(inp.train, foldRows(fold, f, false)), validation: subsetSplit(inp.train, foldRows(fold, f, true)) });
  } else {
    splits.push({ train: inp.train, validation: inp.validation });
  }
  const higher = inp.selection.kind === 'auc' || figureOf(inp.selection.figure).better === 'higher';
  const rows = points.map((point, k) => {
    const values = splits.map((sp) => {
      const net = trainNet({ train: sp.train, validation: sp.validation, model: models[k], stages: inp.stages, seed: memberSeed(inp.seed, 0), sensitivity: inp.sensitivity, ...(inp.inputs ? { inputs: inp.inputs } : {}) });
      return validationScore(inp.selection, scoreMatrix(models[k], net.params, sp.validation.x, sp.validation.nFeatures), sp.validation);
    });
    const { mean, variance } = meanVariance(values);
    const std = Math.sqrt(variance);
    inp.log?.(`grid ${k + 1}/${points.length}: ${describePoint(point)}: ${mean.toPrecision(5)} ± ${std.toPrecision(2)}`);
    return { point, mean, std, folds: values };
  });
  let best = 0;
  rows.forEach((r, k) => {
    const better = higher ? r.mean > rows[best].mean : r.mean < rows[best].mean;
    if (better || !Number.isFinite(rows[best].mean)) best = k;
  });
  const label = inp.selection.kind === 'auc' ? 'AUC' : figureOf(inp.selection.figure).label;
  const record: GridSearchRecord = {
    select: inp.selection.kind === 'auc' ? 'auc' : inp.selection.figure.name, label, better: higher ? 'higher' : 'lower',
    validation: 'folds' in cv ? `${cv.folds}-fold cross-validation of the training split (stratified, seed ${inp.seed})` : 'hold-out: the validation split',
    chosen: best, points: rows.map((r) => ({ point: r.point, mean: finite(r.mean), std: finite(r.std), folds: r.folds.map(finite) })),
  };
  return { record, model: models[best] };
}
