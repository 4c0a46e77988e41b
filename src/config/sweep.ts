import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { section } from './section.js';

/**
 * The `sweep:` section: many trainings of one config. Every combination of the grid's values,
 * times every seed, times every mass region, is one job (a `fomlab train` of a derived config):
 *
 *   sweep:
 *     grid: {"training.stages[1].lr": [0.001, 0.002], "model.hidden": [[8, 4], [16, 8]]}
 *     seeds: [1, 2, 3]                      # training.seed of each job (an ensemble of runs)
 *     regions:                              # search.hypotheses of each job (one model per region)
 *       - {name: low, hypotheses: {masses: [1, 2]}}
 *       - {name: high, hypotheses: {from: 3, to: 6, step: 1}}
 *     retries: 2                            # a failed or lost job is resubmitted this many times
 *
 * A grid key is a path into the config, as in error messages (`data.split.seed`,
 * `training.stages[1].lr`); each derived config is validated like any config, so a wrong value
 * is reported against its job.
 */
const gridKey = z.string().regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\[\d+\])*$/, { error: 'expected a key path like training.stages[1].lr' });

export const sweepSchema = section({
  grid: z.record(gridKey, z.array(z.unknown(), { error: 'expected a list of values' }).min(1, { error: 'expected at least one value' })).default({}),
  seeds: z.array(z.number({ error: 'expected whole numbers' }).int({ error: 'expected whole numbers' })).min(1).optional(),
  regions: z.array(section({ name: z.string().regex(/^[\w.-]+$/, { error: 'expected a name of letters, digits, _ . -' }), hypotheses: z.record(z.string(), z.unknown()) })).min(1).optional(),
  retries: z.number().int().min(0).default(2),
});

export type SweepConfig = z.infer<typeof sweepSchema>;

/** One point of the sweep: the settings it changes (key path → value) and a short label. */
export interface SweepPoint {
  label: string;
  settings: Record<string, unknown>;
}

type PathKey = string | number;

/** `training.stages[1].lr` → ['training', 'stages', 1, 'lr'] */
export function parseKeyPath(path: string): PathKey[] {
  const keys: PathKey[] = [];
  for (const m of path.matchAll(/([A-Za-z_]\w*)|\[(\d+)\]/g)) keys.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return keys;
}

/**
 * A deep copy of `raw` with `value` at `path`. Every container on the way must exist (a list
 * index inside the list) so that a misspelt path is an error, not a silently added key; the
 * last key may be new (an optional setting left at its default in the base config).
 */
export function setAtPath(raw: unknown, path: string, value: unknown, where: string): unknown {
  const keys = parseKeyPath(path);
  const copy: unknown = structuredClone(raw);
  let node: unknown = copy;
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    const shown = `${where}: ${path}`;
    if (typeof k === 'number') {
      if (!Array.isArray(node)) throw new FomlabError(`${shown}: ${keysText(keys.slice(0, i))} is not a list in the config`);
      if (k >= node.length) throw new FomlabError(`${shown}: ${keysText(keys.slice(0, i))} has ${node.length} item${node.length === 1 ? '' : 's'}, no [${k}]`);
    } else if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw new FomlabError(`${shown}: ${keysText(keys.slice(0, i)) || 'the config'} is not a mapping in the config`);
    } else if (!last && !(k in node)) {
      throw new FomlabError(`${shown}: the config has no ${keysText(keys.slice(0, i + 1))}`);
    }
    const holder = node as Record<PathKey, unknown>;
    if (last) holder[k] = structuredClone(value);
    else node = holder[k];
  });
  return copy;
}

function keysText(keys: PathKey[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');
}

/** `0.001` → `0.001`, `[8, 4]` → `8x4`, `{masses: [1]}` → its JSON with unsafe characters dropped */
function valueLabel(v: unknown): string {
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v.join('x');
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(/[^\w.-]+/g, '').slice(0, 24) || 'v';
}

/** The last key of a path, for labels: `training.stages[1].lr` → `lr1` */
function keyLabel(path: string): string {
  const keys = parseKeyPath(path);
  const name = [...keys].reverse().find((k) => typeof k === 'string') as string;
  const index = keys.filter((k) => typeof k === 'number').join('.');
  return name + index;
}

/** Every point of the sweep, in a fixed order: grid (first key slowest), then regions, then seeds. */
export function sweepPoints(sweep: SweepConfig): SweepPoint[] {
  let points: SweepPoint[] = [{ label: '', settings: {} }];
  const extend = (values: unknown[], path: string, label: (v: unknown) => string): void => {
    points = points.flatMap((p) => values.map((v) => ({ label: [p.label, label(v)].filter(Boolean).join('_'), settings: { ...p.settings, [path]: v } })));
  };
  for (const [path, values] of Object.entries(sweep.grid)) extend(values, path, (v) => `${keyLabel(path)}-${valueLabel(v)}`);
  if (sweep.regions) {
    points = points.flatMap((p) => sweep.regions!.map((r) => ({ label: [p.label, r.name].filter(Boolean).join('_'), settings: { ...p.settings, 'search.hypotheses': r.hypotheses } })));
  }
  if (sweep.seeds) extend(sweep.seeds, 'training.seed', (v) => `seed-${String(v)}`);
  return points.map((p) => ({ ...p, label: p.label || 'base' }));
}
