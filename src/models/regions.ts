/**
 * The 'regions' model kind (issue 14, the dark-photon slides' "one model per training region"):
 * the reconstructed mass axis is cut at `edges` into regions [−∞, e₁), [e₁, e₂), …, [e_k, ∞); one
 * model of the inner kind (`model:`, e.g. gbdt) is fitted per region on the training events whose
 * mass (the feature `variable`) lies in it, with the hypotheses that have signal there. Each event
 * is scored by the model of its own region — so a hypothesis whose window straddles an edge has
 * its events below the edge scored by one model and those above by the next, and its one cut
 * applies to the merged score. (A NaN mass counts as below every edge: the first region.)
 * The routing column is not an input of the region models. One model file holds all of them.
 *
 *   model: {kind: regions, variable: M, edges: [1, 4, 7], model: {kind: gbdt, max_depth: 6, …}}
 */
import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { section } from '../config/section.js';
import type { FitInput, FitResult, FitSplit, HypothesisRows, ModelConfig, ModelKind, SavedModel } from './registry.js';
import { modelFromJson, modelKind, modelOptions } from './registry.js';

export interface RegionsOptions {
  /** the feature that routes each event (the reconstructed mass), in its own units */
  variable: string;
  /** strictly increasing region edges */
  edges: number[];
  /** the inner model section, validated */
  model: ModelConfig;
}

const schema = section({
  variable: z.string({ error: 'expected the name of a feature (the reconstructed mass)' }),
  edges: z.array(z.number({ error: 'expected a number' }), { error: 'expected a list of region edges' }).min(1, { error: 'expected at least one edge' }),
  model: z.looseObject({ kind: z.string({ error: 'expected a model kind' }) }, { error: 'expected a model section {kind, …}' }),
}).transform((o, ctx): RegionsOptions => {
  if (o.edges.some((e, i) => i > 0 && !(e > o.edges[i - 1]))) ctx.addIssue({ code: 'custom', input: o.edges, path: ['edges'], message: 'expected strictly increasing edges' });
  if (o.model.kind === 'regions') ctx.addIssue({ code: 'custom', input: o.model, path: ['model', 'kind'], message: 'regions inside regions: give the edges in one list' });
  try {
    const { kind, options } = modelOptions(o.model as ModelConfig);
    if (!kind.fit || !kind.scoreParams) ctx.addIssue({ code: 'custom', input: o.model, path: ['model', 'kind'], message: `per-region models are fitted kinds (gbdt); '${kind.kind}' trains by epochs and is not supported yet` });
    return { variable: o.variable, edges: o.edges, model: { kind: kind.kind, ...(options as Record<string, unknown>) } };
  } catch (e) {
    ctx.addIssue({ code: 'custom', input: o.model, path: ['model'], message: (e as Error).message.replace(/^model: /, '') });
    return z.NEVER;
  }
});

/** Region of a mass value: the number of edges ≤ m (NaN: 0). */
export function regionOf(m: number, edges: ArrayLike<number>): number {
  let r = 0;
  while (r < edges.length && m >= edges[r]) r++;
  return r;
}

const PREFIX = (r: number): string => `r${r}/`;

/** The rows of each region and the matrix without the routing column. */
function byRegion(x: Float32Array, n: number, nf: number, j: number, edges: ArrayLike<number>): Array<{ rows: Int32Array; x: Float32Array }> {
  const region = new Int32Array(n);
  const counts = new Int32Array(edges.length + 1);
  for (let i = 0; i < n; i++) counts[(region[i] = regionOf(x[i * nf + j], edges))]++;
  return Array.from(counts, (c, r) => {
    const rows = new Int32Array(c), sub = new Float32Array(c * (nf - 1));
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (region[i] !== r) continue;
      rows[k] = i;
      for (let f = 0, g = 0; f < nf; f++) if (f !== j) sub[k * (nf - 1) + g++] = x[i * nf + f];
      k++;
    }
    return { rows, x: sub };
  });
}

/** The region's events of a split, with the hypotheses that have signal in it (ε, B coefficients unchanged) and rebalanced BCE weights. */
function regionSplit(s: FitSplit, part: { rows: Int32Array; x: Float32Array }): FitSplit {
  const n = part.rows.length;
  const map = new Int32Array(s.n).fill(-1);
  part.rows.forEach((e, k) => { map[e] = k; });
  const labels = Float32Array.from(part.rows, (e) => s.labels[e]), weights = Float32Array.from(part.rows, (e) => s.weights[e]);
  const bce = Float32Array.from(part.rows, (e) => s.bceWeights[e]);
  let ws = 0, wb = 0;
  for (let i = 0; i < n; i++) if (labels[i] >= 0.5) ws += bce[i]; else wb += bce[i];
  if (ws > 0 && wb > 0) for (let i = 0; i < n; i++) if (labels[i] >= 0.5) bce[i] *= wb / ws;
  return { n, nFeatures: s.nFeatures - 1, x: part.x, labels, weights, bceWeights: bce, punzi: regionRows(s.punzi, map) };
}

function regionRows(r: HypothesisRows, map: Int32Array): HypothesisRows {
  const keep: number[] = [];
  for (let h = 0; h < r.nHypotheses; h++) {
    let any = false;
    for (let q = r.sigOffsets[h]; q < r.sigOffsets[h + 1] && !any; q++) any = map[r.sigEvents[q]] >= 0;
    if (any) keep.push(h);
  }
  const pick = (offsets: Int32Array, events: Int32Array, coef: Float64Array) => {
    const o = new Int32Array(keep.length + 1), ev: number[] = [], cf: number[] = [];
    keep.forEach((h, k) => {
      for (let q = offsets[h]; q < offsets[h + 1]; q++) if (map[events[q]] >= 0) { ev.push(map[events[q]]); cf.push(coef[q]); }
      o[k + 1] = ev.length;
    });
    return { o, ev: Int32Array.from(ev), cf: Float64Array.from(cf) };
  };
  const sg = pick(r.sigOffsets, r.sigEvents, r.sigCoef), bg = pick(r.bkgOffsets, r.bkgEvents, r.bkgCoef);
  return { nHypotheses: keep.length, sigOffsets: sg.o, sigEvents: sg.ev, sigCoef: sg.cf, bkgOffsets: bg.o, bkgEvents: bg.ev, bkgCoef: bg.cf };
}

function routingColumn(o: RegionsOptions, names: readonly string[] | undefined, where: string): number {
  const j = names ? names.indexOf(o.variable) : -1;
  if (j < 0) throw new FomlabError(`${where}: variable '${o.variable}' must be one of the features (data.columns.features${names ? `: ${names.join(', ')}` : ''}); the regions are cut on it`);
  if (names!.length < 2) throw new FomlabError(`${where}: the region models need a feature besides '${o.variable}'`);
  return j;
}

function paramsOfRegion(params: Record<string, Float32Array>, r: number): Record<string, Float32Array> {
  const p = PREFIX(r), out: Record<string, Float32Array> = {};
  for (const [k, v] of Object.entries(params)) if (k.startsWith(p)) out[k.slice(p.length)] = v;
  return out;
}

function fit(inp: FitInput<RegionsOptions>): FitResult {
  const o = inp.options;
  const j = routingColumn(o, inp.inputs?.names, 'model');
  const offset = inp.inputs?.offset[j] ?? 0, scale = inp.inputs?.scale[j] ?? 1;
  // the edges in the scaled units of the trainer's matrix, as the scaler maps a float32 value
  const scaled = Float32Array.from(o.edges, (e) => (Math.fround(e) - offset) / scale);
  const inner = modelKind(o.model.kind);
  const { options: innerOptions } = modelOptions(o.model);
  const trainParts = byRegion(inp.train.x, inp.train.n, inp.train.nFeatures, j, scaled);
  const validParts = byRegion(inp.validation.x, inp.validation.n, inp.validation.nFeatures, j, scaled);
  const params: Record<string, Float32Array> = { column: Float32Array.of(j), edges: scaled, rawEdges: Float32Array.from(o.edges) };
  const snapshots: FitResult['snapshots'] = {};
  let logs: FitResult['logs'] = [];
  trainParts.forEach((part, r) => {
    const train = regionSplit(inp.train, part), validation = regionSplit(inp.validation, validParts[r]);
    const sig = train.labels.reduce((a, b) => a + b, 0);
    const where = `model.edges: region ${r + 1} (${r === 0 ? '−∞' : o.edges[r - 1]} ≤ ${o.variable} < ${r === o.edges.length ? '∞' : o.edges[r]})`;
    if (sig === 0 || sig === train.n) throw new FomlabError(`${where} has ${sig} signal and ${train.n - sig} background training events: a model needs both; move or drop the edge`);
    if (validation.n === 0) throw new FomlabError(`${where} has no validation event`);
    // the trainer's hard validation figure scores the whole validation split, not one region's part: the region's
    // inner model stops on its own soft figure instead
    const { inputs: _all, figure: _whole, ...rest } = inp;
    const res = inner.fit!({ ...rest, train, validation, options: innerOptions });
    for (const [k, v] of Object.entries(res.params)) params[PREFIX(r) + k] = v;
    for (const [stage, p] of Object.entries(res.snapshots)) {
      snapshots[stage] ??= { column: params.column, edges: params.edges, rawEdges: params.rawEdges };
      for (const [k, v] of Object.entries(p)) snapshots[stage][PREFIX(r) + k] = v;
    }
    if (r === 0) logs = res.logs; // the history shows the first region's curves
  });
  return { params, snapshots, logs };
}

function scoreRegions(params: Record<string, Float32Array>, x: Float32Array, nf: number, o: RegionsOptions): Float32Array {
  const n = x.length / nf, j = params.column[0];
  const inner = modelKind(o.model.kind);
  const { options } = modelOptions(o.model);
  const out = new Float32Array(n);
  byRegion(x, n, nf, j, params.edges).forEach((part, r) => {
    if (part.rows.length === 0) return;
    const p = inner.scoreParams!(paramsOfRegion(params, r), part.x, nf - 1, options);
    part.rows.forEach((e, k) => { out[e] = p[k]; });
  });
  return out;
}

/** The model file: the raw edges, the routing feature and one inner model file per region. */
function savedRegions(variable: string, edges: number[], inputNames: string[], models: SavedModel[]): SavedModel {
  const nf = inputNames.length, j = inputNames.indexOf(variable);
  return {
    kind: 'regions',
    inputNames,
    scoresMissing: models.every((m) => m.scoresMissing === true),
    score(x, n) {
      const out = new Float32Array(n);
      byRegion(x, n, nf, j, edges).forEach((part, r) => {
        if (part.rows.length === 0) return;
        const p = models[r].score(part.x, part.rows.length);
        part.rows.forEach((e, k) => { out[e] = p[k]; });
      });
      return out;
    },
    toJson: () => ({ kind: 'regions', variable, edges, inputNames, models: models.map((m) => m.toJson()) }),
    toOnnx() {
      throw new FomlabError('regions: ONNX export of per-region models is not implemented yet (an ONNX graph would need a Where per region); export the region models one by one');
    },
    describe: () => `${models.length} regions on ${variable} (edges ${edges.join(', ')}): ${models[0].describe()} each`,
  };
}

export const regions: ModelKind<RegionsOptions> = {
  kind: 'regions',
  options: schema as unknown as z.ZodType<RegionsOptions>,
  build() {
    throw new FomlabError('regions models are fitted region by region, not built as a net');
  },
  fit,
  scoreParams: (params, x, nFeatures, options) => {
    if (!options) throw new FomlabError('regions: scoring needs the model options (model.model)');
    return scoreRegions(params, x, nFeatures, options);
  },
  save(nf, o, params, inputNames, shift, scale) {
    const j = routingColumn(o, inputNames, 'model');
    const inner = modelKind(o.model.kind);
    const { options } = modelOptions(o.model);
    const drop = <T extends Float32Array>(a: T | undefined): Float32Array | undefined => (a ? Float32Array.from([...a].filter((_, f) => f !== j)) : undefined);
    const names = inputNames.filter((_, f) => f !== j);
    const models = Array.from({ length: o.edges.length + 1 }, (_, r) => inner.save(nf - 1, options, paramsOfRegion(params, r), names, drop(shift), drop(scale)));
    return savedRegions(o.variable, o.edges, inputNames, models);
  },
  load(json, source) {
    const { variable, edges, inputNames, models } = json as { variable?: unknown; edges?: unknown; inputNames?: unknown; models?: unknown };
    if (typeof variable !== 'string') throw new FomlabError(`${source}: variable must be a feature name`);
    if (!Array.isArray(edges) || edges.some((e) => typeof e !== 'number')) throw new FomlabError(`${source}: edges must be a list of numbers`);
    if (!Array.isArray(inputNames) || !inputNames.includes(variable)) throw new FomlabError(`${source}: inputNames must list the features, with '${variable}'`);
    if (!Array.isArray(models) || models.length !== edges.length + 1) throw new FomlabError(`${source}: models must hold ${edges.length + 1} region models (one more than edges)`);
    return savedRegions(variable, edges as number[], inputNames as string[], models.map((m, r) => modelFromJson(m, `${source}: models[${r}]`)));
  },
};
