import { existsSync } from 'node:fs';
import { loadSafetensors, saveSafetensors, type FloatArray, type NamedArray } from '../core/index.js';
import { FomlabError } from '../core/errors.js';
import type { StageLog, TrainedNet, TrainerState } from './trainer.js';

/**
 * Checkpoints in safetensors files: parameter sets as tensors named `<set>/<parameter>`, the
 * optimiser's buffers as `optim/<PyTorch state key>` (float32 moments, float64 step counts), the
 * rest of the state as JSON in the metadata (±Infinity and NaN kept: JSON would turn them into
 * null). Written atomically, so a Ctrl-C or a kill never leaves half a file.
 */
type ParamSet = Record<string, Float32Array>;

const TRAINER_STATE = 'fomlab.trainer-state/2';

function entries(sets: Record<string, Record<string, FloatArray>>): Array<[string, NamedArray]> {
  const out: Array<[string, NamedArray]> = [];
  for (const [set, params] of Object.entries(sets)) {
    for (const [name, data] of Object.entries(params)) out.push([`${set}/${name}`, { data, shape: [data.length] }]);
  }
  return out;
}

function sets(path: string): { sets: Record<string, Record<string, FloatArray>>; meta: Record<string, string> } {
  const st = loadSafetensors(path);
  const out: Record<string, Record<string, FloatArray>> = {};
  for (const [key, a] of st.tensors) {
    const cut = key.indexOf('/');
    const set = key.slice(0, cut), name = key.slice(cut + 1);
    (out[set] ??= {})[name] = a.data instanceof Int32Array ? Float32Array.from(a.data) : a.data;
  }
  return { sets: out, meta: st.metadata };
}

function params(set: Record<string, FloatArray> | undefined): ParamSet | undefined {
  if (!set) return undefined;
  return Object.fromEntries(Object.entries(set).map(([k, v]) => [k, v instanceof Float32Array ? v : Float32Array.from(v)]));
}

const NON_FINITE: Record<string, number> = { Infinity, '-Infinity': -Infinity, NaN };
/** JSON with ±Infinity and NaN as the strings 'Infinity', '-Infinity', 'NaN'. */
function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
}
function fromJson<T>(text: string): T {
  return JSON.parse(text, (_k, x: unknown) => (typeof x === 'string' && x in NON_FINITE ? NON_FINITE[x] : x)) as T;
}

function snapshotsOf(p: Record<string, Record<string, FloatArray>>): Record<string, ParamSet> {
  const out: Record<string, ParamSet> = {};
  for (const [k, v] of Object.entries(p)) if (k.startsWith('snapshot:')) out[k.slice(9)] = params(v)!;
  return out;
}

/** A training in progress (written after epochs and on Ctrl-C). */
export function saveTrainerState(path: string, s: TrainerState): void {
  const snapshots = Object.fromEntries(Object.entries(s.snapshots).map(([k, v]) => [`snapshot:${k}`, v]));
  const { params: p, best, snapshots: _s, optimizer, ...rest } = s;
  const optim = optimizer ? { ...optimizer, buffers: undefined } : null;
  saveSafetensors(path, entries({ params: p, best, ...snapshots, ...(optimizer ? { optim: optimizer.buffers } : {}) }), {
    kind: TRAINER_STATE, state: toJson({ ...rest, optimizer: optim }),
  });
}

export function loadTrainerState(path: string): TrainerState {
  const { sets: p, meta } = sets(path);
  if (meta.kind === 'fomlab.trainer-state/1') {
    throw new FomlabError(`${path}: a checkpoint of an older fomlab without the optimiser's state; it cannot be resumed exactly (delete it to train this net anew)`);
  }
  if (meta.kind !== TRAINER_STATE || !meta.state) throw new FomlabError(`${path}: not a fomlab training checkpoint`);
  const rest = fromJson<Omit<TrainerState, 'params' | 'best' | 'snapshots'>>(meta.state);
  if (!p.params || !p.best) throw new FomlabError(`${path}: checkpoint lacks its parameters`);
  const optimizer = rest.optimizer ? { ...rest.optimizer, buffers: p.optim ?? {} } : null;
  return { ...rest, optimizer, params: params(p.params)!, best: params(p.best)!, snapshots: snapshotsOf(p) };
}

/** A finished net: final parameters, the parameters after each stage, the training logs. */
export function saveTrainedNet(path: string, net: TrainedNet): void {
  const snapshots = Object.fromEntries(Object.entries(net.snapshots).map(([k, v]) => [`snapshot:${k}`, v]));
  saveSafetensors(path, entries({ params: net.params, ...snapshots }), {
    kind: 'fomlab.trained-net/1', logs: toJson(net.logs), kernels: net.kernels.join(','), ...(net.stopped ? { stopped: net.stopped } : {}),
  });
}

export function loadTrainedNet(path: string): TrainedNet {
  if (!existsSync(path)) throw new FomlabError(`no trained net at ${path}`);
  const { sets: p, meta } = sets(path);
  if (meta.kind !== 'fomlab.trained-net/1') throw new FomlabError(`${path}: not a fomlab trained net`);
  if (!p.params) throw new FomlabError(`${path}: trained net lacks its parameters`);
  return {
    params: params(p.params)!, snapshots: snapshotsOf(p), logs: fromJson<StageLog[]>(meta.logs ?? '[]'),
    ...(meta.stopped ? { stopped: meta.stopped } : {}), kernels: meta.kernels ? meta.kernels.split(',') : [],
  };
}
