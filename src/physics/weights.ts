import { FomlabError } from '../core/errors.js';
import type { EventTable } from '../data/table.js';

/**
 * How one simulated process is scaled to the target luminosity L. Give either
 * - `crossSection` (fb) and `nGenerated`: weight = σ·L / N_gen, or
 * - `simulatedLumi` (fb⁻¹): weight = L / L_sim (seed study: 1000 fb⁻¹ → 50 fb⁻¹ gives 0.05),
 * times `scale` (trigger efficiency, data/MC scale factors; default 1).
 */
export interface ProcessWeight {
  crossSection?: number;
  nGenerated?: number;
  simulatedLumi?: number;
  scale?: number;
}

/** Config keys named in errors: where the process and the luminosity are set (the defaults are the config's). */
export interface WeightKeys {
  /** the process's entry, e.g. 'data.processes.2' or 'data.files[1]' */
  process: string;
  /** the target luminosity's key */
  lumi: string;
}

const KEYS = (name: string): WeightKeys => ({ process: `data.processes.${name}`, lumi: 'search.sensitivity.lumi' });

/** Per-event weight of one process at target luminosity `targetLumi` (fb⁻¹): σ·L/N_gen·scale or L/L_sim·scale. */
export function processWeight(p: ProcessWeight, targetLumi: number, name: string | WeightKeys = 'process'): number {
  const k = typeof name === 'string' ? KEYS(name) : name;
  if (!(targetLumi > 0)) throw new FomlabError(`${k.lumi} must be > 0 (fb⁻¹), got ${targetLumi}`);
  const scale = p.scale ?? 1;
  if (!(Number.isFinite(scale) && scale >= 0)) throw new FomlabError(`${k.process}.scale must be ≥ 0, got ${scale}`);
  if (p.simulatedLumi !== undefined) {
    if (p.crossSection !== undefined) throw new FomlabError(`${k.process}: give either simulatedLumi or crossSection with nGenerated, not both`);
    if (!(p.simulatedLumi > 0)) throw new FomlabError(`${k.process}.simulatedLumi must be > 0 (fb⁻¹), got ${p.simulatedLumi}`);
    return (targetLumi / p.simulatedLumi) * scale;
  }
  if (p.crossSection !== undefined) {
    if (!(p.crossSection >= 0)) throw new FomlabError(`${k.process}.crossSection must be ≥ 0 (fb), got ${p.crossSection}`);
    if (!(p.nGenerated !== undefined && p.nGenerated > 0)) throw new FomlabError(`${k.process}.nGenerated must be > 0 when a crossSection is given`);
    return (p.crossSection * targetLumi / p.nGenerated) * scale;
  }
  throw new FomlabError(`${k.process}: needs simulatedLumi, or crossSection and nGenerated`);
}

/**
 * Per-event luminosity weights from the process id of each event (`category`), times an
 * optional per-event factor (e.g. a trigger-efficiency column). Every process id present must
 * be configured; an unknown id is an error naming it.
 */
export function luminosityWeights(
  category: ArrayLike<number>, processes: ReadonlyMap<number, ProcessWeight> | Readonly<Record<string, ProcessWeight>>,
  targetLumi: number, perEventFactor?: ArrayLike<number>,
): Float32Array {
  const entries: Array<[number, ProcessWeight]> = processes instanceof Map
    ? [...processes.entries()]
    : Object.entries(processes as Record<string, ProcessWeight>).map(([k, v]) => [Number(k), v]);
  const lut = new Map<number, number>();
  for (const [id, p] of entries) {
    if (!Number.isFinite(id)) throw new FomlabError(`data.processes: key '${id}' is not a process id (a number in the category column)`);
    lut.set(id, processWeight(p, targetLumi, String(id)));
  }
  if (perEventFactor && perEventFactor.length !== category.length) throw new FomlabError(`data.processes: factor column has ${perEventFactor.length} rows, category has ${category.length}`);
  const out = new Float32Array(category.length);
  let lastId = NaN, lastW = 0;
  for (let i = 0; i < category.length; i++) {
    const id = category[i];
    if (id !== lastId) {
      const w = lut.get(id);
      if (w === undefined) throw new FomlabError(`data.processes: no entry for process id ${id} (category column, event ${i}); configured: ${[...lut.keys()].join(', ')}`);
      lastId = id;
      lastW = w;
    }
    out[i] = perEventFactor ? lastW * perEventFactor[i] : lastW;
  }
  return out;
}

/**
 * The table with a weight column (role `weight`) from its `category` role and the process table;
 * `factorColumn` names an optional per-event factor column (trigger efficiency, scale factors).
 */
export function withLuminosityWeights(
  events: EventTable, processes: ReadonlyMap<number, ProcessWeight> | Readonly<Record<string, ProcessWeight>>,
  targetLumi: number, opts: { column?: string; factorColumn?: string } = {},
): EventTable {
  const factor = opts.factorColumn !== undefined ? events.column(opts.factorColumn) : undefined;
  const w = luminosityWeights(events.roleColumn('category'), processes, targetLumi, factor);
  const name = opts.column ?? 'weight';
  return events.withColumn(name, w).withRoles({ weight: name });
}
