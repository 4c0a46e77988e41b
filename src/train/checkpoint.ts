import { existsSync } from 'node:fs';
import { loadSafetensors, saveSafetensors, type NamedArray } from '../core/index.js';
import { FomlabError } from '../core/errors.js';
import type { StageLog, TrainedNet, TrainerState } from './trainer.js';

/**
 * Checkpoints in safetensors files: parameter sets as tensors named `<set>/<parameter>`, the rest
 * of the state as JSON in the metadata. Written atomically, so a Ctrl-C never leaves half a file.
 */
type ParamSet = Record<string, Float32Array>;

function entries(sets: Record<string, ParamSet>): Array<[string, NamedArray]> {
  const out: Array<[string, NamedArray]> = [];
  for (const [set, params] of Object.entries(sets)) {
    for (const [name, data] of Object.entries(params)) out.push([`${set}/${name}`, { data, shape: [data.length] }]);
  }
  return out;
}

function sets(path: string): { sets: Record<string, ParamSet>; meta: Record<string, string> } {
  const st = loadSafetensors(path);
  const out: Record<string, ParamSet> = {};
  for (const [key, a] of st.tensors) {
    const cut = key.indexOf('/');
    const set = key.slice(0, cut), name = key.slice(cut + 1);
    (out[set] ??= {})[name] = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data);
  }
  return { sets: out, meta: st.metadata };
}

/** A training in progress (written after epochs and on Ctrl-C). */
export function saveTrainerState(path: string, s: TrainerState): void {
  const snapshots = Object.fromEntries(Object.entries(s.snapshots).map(([k, v]) => [`snapshot:${k}`, v]));
  const { params, best, snapshots: _s, ...rest } = s;
  saveSafetensors(path, entries({ params, best, ...snapshots }), { kind: 'fomlab.trainer-state/1', state: JSON.stringify(rest) });
}

export function loadTrainerState(path: string): TrainerState {
  const { sets: p, meta } = sets(path);
  if (meta.kind !== 'fomlab.trainer-state/1' || !meta.state) throw new FomlabError(`${path}: not a fomlab training checkpoint`);
  const rest = JSON.parse(meta.state) as Omit<TrainerState, 'params' | 'best' | 'snapshots'>;
  const snapshots: Record<string, ParamSet> = {};
  for (const [k, v] of Object.entries(p)) if (k.startsWith('snapshot:')) snapshots[k.slice(9)] = v;
  if (!p.params || !p.best) throw new FomlabError(`${path}: checkpoint lacks its parameters`);
  return { ...rest, params: p.params, best: p.best, snapshots };
}

/** A finished net: final parameters, the parameters after each stage, the training logs. */
export function saveTrainedNet(path: string, net: TrainedNet): void {
  const snapshots = Object.fromEntries(Object.entries(net.snapshots).map(([k, v]) => [`snapshot:${k}`, v]));
  saveSafetensors(path, entries({ params: net.params, ...snapshots }), {
    kind: 'fomlab.trained-net/1', logs: JSON.stringify(net.logs), ...(net.stopped ? { stopped: net.stopped } : {}),
  });
}

export function loadTrainedNet(path: string): TrainedNet {
  if (!existsSync(path)) throw new FomlabError(`no trained net at ${path}`);
  const { sets: p, meta } = sets(path);
  if (meta.kind !== 'fomlab.trained-net/1') throw new FomlabError(`${path}: not a fomlab trained net`);
  const snapshots: Record<string, ParamSet> = {};
  for (const [k, v] of Object.entries(p)) if (k.startsWith('snapshot:')) snapshots[k.slice(9)] = v;
  return { params: p.params, snapshots, logs: JSON.parse(meta.logs ?? '[]') as StageLog[], ...(meta.stopped ? { stopped: meta.stopped } : {}) };
}
