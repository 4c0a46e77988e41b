import { readFileSync } from 'node:fs';
import { FomlabError, didYouMean } from '../core/errors.js';
import { RUN_SUMMARY_SCHEMA } from '../evaluate/summary.js';
import type { EpochRecord, FeatureImportance, MassPoint, MethodInfo, MethodResult, OutputDistribution, RunMeta, RunSummary, StageHistory } from '../evaluate/summary.js';
import { judgementsOf } from './validate-judgements.js';

/** Checks field by field; every error names the source and the path of the field. */
export class Checker {
  constructor(private readonly source: string) {}

  fail(path: string, what: string): never {
    throw new FomlabError(`${this.source}: ${path} ${what}`);
  }
  obj(v: unknown, path: string): Record<string, unknown> {
    if (v === undefined) this.fail(path, 'is missing');
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, `must be an object, got ${kind(v)}`);
    return v as Record<string, unknown>;
  }
  arr(v: unknown, path: string): unknown[] {
    if (v === undefined) this.fail(path, 'is missing');
    if (!Array.isArray(v)) this.fail(path, `must be an array, got ${kind(v)}`);
    return v;
  }
  num(v: unknown, path: string): number {
    if (v === undefined) this.fail(path, 'is missing (a number)');
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, `must be a finite number, got ${kind(v)}`);
    return v;
  }
  numOrNull(v: unknown, path: string): number | null {
    return v === null || v === undefined ? null : this.num(v, path);
  }
  str(v: unknown, path: string): string {
    if (v === undefined) this.fail(path, 'is missing (a string)');
    if (typeof v !== 'string') this.fail(path, `must be a string, got ${kind(v)}`);
    return v;
  }
  bool(v: unknown, path: string): boolean {
    if (v === undefined) this.fail(path, 'is missing (true or false)');
    if (typeof v !== 'boolean') this.fail(path, `must be true or false, got ${kind(v)}`);
    return v;
  }
  nums(v: unknown, path: string): number[] {
    return this.arr(v, path).map((x, i) => this.num(x, `${path}[${i}]`));
  }
  numRecord(v: unknown, path: string): Record<string, number> {
    const o = this.obj(v, path);
    const out: Record<string, number> = {};
    for (const [k, x] of Object.entries(o)) out[k] = this.num(x, `${path}.${k}`);
    return out;
  }
  methodName(v: unknown, path: string, names: string[]): string {
    const s = this.str(v, path);
    if (!names.includes(s)) this.fail(path, `'${s}' is not one of the methods (${names.join(', ')})${didYouMean(s, names)}`);
    return s;
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' ? JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v) : typeof v;
}

function meta(c: Checker, v: unknown): RunMeta {
  const o = c.obj(v, 'meta');
  const m: RunMeta = {
    configName: c.str(o.configName, 'meta.configName'),
    seed: c.num(o.seed, 'meta.seed'),
    fomlabVersion: c.str(o.fomlabVersion, 'meta.fomlabVersion'),
    createdAt: c.str(o.createdAt, 'meta.createdAt'),
    events: c.numRecord(o.events, 'meta.events'),
    durations: c.numRecord(o.durations, 'meta.durations'),
  };
  if (o.luminosityFb !== undefined) m.luminosityFb = c.num(o.luminosityFb, 'meta.luminosityFb');
  if (o.massSymbol !== undefined) m.massSymbol = c.str(o.massSymbol, 'meta.massSymbol');
  if (o.notes !== undefined) m.notes = c.str(o.notes, 'meta.notes');
  if (o.figure !== undefined) {
    const f = c.obj(o.figure, 'meta.figure');
    const better = c.str(f.better, 'meta.figure.better');
    if (better !== 'lower' && better !== 'higher') c.fail('meta.figure.better', `is '${better}', must be 'lower' or 'higher'`);
    m.figure = { name: c.str(f.name, 'meta.figure.name'), label: c.str(f.label, 'meta.figure.label'), unit: c.str(f.unit, 'meta.figure.unit'), better: better as 'lower' | 'higher' };
  }
  return m;
}

function methods(c: Checker, v: unknown): MethodInfo[] {
  const list = c.arr(v, 'methods').map((x, i): MethodInfo => {
    const p = `methods[${i}]`;
    const o = c.obj(x, p);
    const m: MethodInfo = { name: c.str(o.name, `${p}.name`), nNets: c.num(o.nNets, `${p}.nNets`), commonCut: c.num(o.commonCut, `${p}.commonCut`) };
    if (m.commonCut < 0 || m.commonCut > 1) c.fail(`${p}.commonCut`, `is ${m.commonCut}, must be in [0, 1] (a cut on the sigmoid output)`);
    if (o.label !== undefined) m.label = c.str(o.label, `${p}.label`);
    return m;
  });
  if (list.length === 0) c.fail('methods', 'is empty (need at least one method)');
  const seen = new Set<string>();
  list.forEach((m, i) => {
    if (seen.has(m.name)) c.fail(`methods[${i}].name`, `'${m.name}' appears twice`);
    seen.add(m.name);
  });
  return list;
}

const RESULT_FIELDS = ['sigmaMinMean', 'sigmaMinSe', 'sigmaMinBest', 'cut', 'efficiency', 'background', 'sigmaMinCommon'] as const;
const FIGURE_FIELDS = ['figureMean', 'figureSe', 'figureBest', 'figureCommon', 'figureValidationCut'] as const;

function massPoint(c: Checker, v: unknown, p: string, names: string[]): MassPoint {
  const o = c.obj(v, p);
  const r = c.obj(o.results, `${p}.results`);
  const results: Record<string, MethodResult> = {};
  for (const name of names) {
    const q = `${p}.results.${name}`;
    const ro = c.obj(r[name], q);
    const res = {} as MethodResult;
    for (const f of RESULT_FIELDS) res[f] = c.num(ro[f], `${q}.${f}`);
    if (ro.sigmaMinValidationCut !== undefined) res.sigmaMinValidationCut = c.numOrNull(ro.sigmaMinValidationCut, `${q}.sigmaMinValidationCut`);
    for (const f of FIGURE_FIELDS) if (ro[f] !== undefined) res[f] = c.numOrNull(ro[f], `${q}.${f}`);
    for (const f of ['cut', 'efficiency'] as const) if (res[f] < 0 || res[f] > 1) c.fail(`${q}.${f}`, `is ${res[f]}, must be in [0, 1] (a cut on the sigmoid output / a fraction)`);
    results[name] = res;
  }
  const mp: MassPoint = { mass: c.num(o.mass, `${p}.mass`), heldOut: c.bool(o.heldOut, `${p}.heldOut`), results };
  if (o.ratio !== undefined) mp.ratio = c.numRecord(o.ratio, `${p}.ratio`);
  return mp;
}

function epochRecord(c: Checker, v: unknown, p: string): EpochRecord {
  const o = c.obj(v, p);
  return {
    epoch: c.num(o.epoch, `${p}.epoch`),
    trainLoss: c.num(o.trainLoss, `${p}.trainLoss`),
    validLoss: c.numOrNull(o.validLoss, `${p}.validLoss`),
    validFom: c.numOrNull(o.validFom, `${p}.validFom`),
    lr: c.num(o.lr, `${p}.lr`),
  };
}

function stage(c: Checker, v: unknown, p: string, names: string[]): StageHistory {
  const o = c.obj(v, p);
  const h: StageHistory = {
    method: c.methodName(o.method, `${p}.method`, names),
    stage: c.str(o.stage, `${p}.stage`),
    epochs: c.arr(o.epochs, `${p}.epochs`).map((e, i) => epochRecord(c, e, `${p}.epochs[${i}]`)),
  };
  if (o.loss !== undefined) h.loss = c.str(o.loss, `${p}.loss`);
  if (o.net !== undefined) h.net = c.num(o.net, `${p}.net`);
  if (o.bestEpoch !== undefined) h.bestEpoch = c.num(o.bestEpoch, `${p}.bestEpoch`);
  return h;
}

function output(c: Checker, v: unknown, p: string, names: string[]): OutputDistribution {
  const o = c.obj(v, p);
  const edges = c.nums(o.edges, `${p}.edges`);
  if (edges.length < 2) c.fail(`${p}.edges`, 'needs at least 2 edges');
  for (let i = 1; i < edges.length; i++) if (!(edges[i] > edges[i - 1])) c.fail(`${p}.edges[${i}]`, 'edges must increase');
  const nBins = edges.length - 1;
  const counts = (x: unknown, q: string): number[] => {
    const a = c.nums(x, q);
    if (a.length !== nBins) c.fail(q, `has ${a.length} bins, edges give ${nBins}`);
    return a;
  };
  const d: OutputDistribution = {
    method: c.methodName(o.method, `${p}.method`, names),
    edges,
    background: counts(o.background, `${p}.background`),
    signal: c.arr(o.signal, `${p}.signal`).map((s, i) => {
      const q = `${p}.signal[${i}]`;
      const so = c.obj(s, q);
      return { mass: c.num(so.mass, `${q}.mass`), counts: counts(so.counts, `${q}.counts`) };
    }),
  };
  if (o.net !== undefined) d.net = c.num(o.net, `${p}.net`);
  return d;
}

/** Validates parsed JSON as a RunSummary; errors name `source` and the offending field. */
export function parseRunSummary(json: unknown, source = 'summary'): RunSummary {
  const c = new Checker(source);
  const o = c.obj(json, '(top level)');
  const schema = c.str(o.schema, 'schema');
  if (schema !== RUN_SUMMARY_SCHEMA) c.fail('schema', `is '${schema}', expected '${RUN_SUMMARY_SCHEMA}'`);
  const ms = methods(c, o.methods);
  const names = ms.map((m) => m.name);
  const s: RunSummary = {
    schema,
    meta: meta(c, o.meta),
    methods: ms,
    masses: c.arr(o.masses, 'masses').map((m, i) => massPoint(c, m, `masses[${i}]`, names)),
    history: c.arr(o.history ?? [], 'history').map((h, i) => stage(c, h, `history[${i}]`, names)),
    outputs: c.arr(o.outputs ?? [], 'outputs').map((d, i) => output(c, d, `outputs[${i}]`, names)),
  };
  if (s.masses.length === 0) c.fail('masses', 'is empty (need at least one mass hypothesis)');
  if (o.reference !== undefined) s.reference = c.methodName(o.reference, 'reference', names);
  if (o.judgements !== undefined) s.judgements = judgementsOf(c, o.judgements, names);
  if (o.importances !== undefined) s.importances = c.arr(o.importances, 'importances').map((d, i) => importance(c, d, `importances[${i}]`, names));
  return s;
}

function importance(c: Checker, v: unknown, p: string, names: string[]): FeatureImportance {
  const o = c.obj(v, p);
  const features = c.arr(o.features, `${p}.features`).map((f, i) => c.str(f, `${p}.features[${i}]`));
  const column = (k: string): number[] => {
    const a = c.arr(o[k], `${p}.${k}`).map((x, i) => c.num(x, `${p}.${k}[${i}]`));
    if (a.length !== features.length) c.fail(`${p}.${k}`, `has ${a.length} values for ${features.length} features`);
    return a;
  };
  return {
    method: c.methodName(o.method, `${p}.method`, names), features, frequency: column('frequency'), gain: column('gain'), cover: column('cover'),
    meanAbsShap: column('meanAbsShap'), shapEvents: c.num(o.shapEvents, `${p}.shapEvents`),
  };
}

/** Reads and validates a summary.json; errors name the file. */
export function readRunSummary(path: string): RunSummary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FomlabError(code === 'ENOENT' ? `${path}: no such file (run 'fomlab evaluate RUN' first to write it)` : `${path}: cannot read (${code ?? String(e)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FomlabError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseRunSummary(json, path);
}
