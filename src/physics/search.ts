import { FomlabError } from '../core/errors.js';
import type { EventTable } from '../data/table.js';
import type { ResolutionTable } from './resolution.js';
import {
  type MassWindows, type ScannedVariable, type WindowColumns, type WindowIncidence,
  fixedWindows, generatedHypothesis, percentileWindows, rangeWindows, resolutionWindows, windowIncidence,
} from './windows.js';

/** Which hypotheses are trained on: all, every k-th starting at `offset` (seed: every 2nd), or an explicit mask. */
export type TrainSelection = 'all' | { every: number; offset?: number } | readonly boolean[];

/** Mass hypotheses (GeV): an explicit list, or a range `from`…`to` (inclusive) in steps of `step`. */
export type HypothesisSpec =
  | { masses: readonly number[]; train?: TrainSelection }
  | { from: number; to: number; step: number; train?: TrainSelection };

/** How each hypothesis gets its window on the scanned variable. */
export type WindowSpec =
  | { kind: 'resolution'; table: ResolutionTable; nSigma: number }
  | { kind: 'fixed'; halfWidth: number }
  /** one window [from, to] on the mass (GeV) for a one-hypothesis search */
  | { kind: 'range'; from: number; to: number }
  /** the central from–to percent of the hypothesis's signal (default 5–95) */
  | { kind: 'percentile'; from?: number; to?: number };

/** A search definition as plain data (can be validated, saved, put in a grid). */
export interface SearchDefinition {
  hypotheses: HypothesisSpec;
  /** the scanned variable (default mass2, as in the seed study's recoil mass²) */
  variable?: ScannedVariable;
  window: WindowSpec;
  /** relative tolerance when matching a signal event's genMass to a hypothesis (default 1e-5) */
  genMassTolerance?: number;
  /** true numbers of generated signal events per hypothesis (default: count them in the data) */
  nGenerated?: readonly number[];
}

export interface Hypothesis {
  index: number;
  /** GeV */
  mass: number;
  /** used for training (else held out) */
  train: boolean;
}

/** The hypotheses of a spec, with their train flags; validation errors name the setting. */
export function massHypotheses(spec: HypothesisSpec): Hypothesis[] {
  let masses: number[];
  if ('masses' in spec) {
    masses = [...spec.masses];
    if (masses.length === 0) throw new FomlabError('search.hypotheses.masses is empty');
  } else {
    const { from, to, step } = spec;
    if (![from, to, step].every(Number.isFinite)) throw new FomlabError(`search.hypotheses: from, to and step must be numbers, got ${from}, ${to}, ${step}`);
    if (!(step > 0)) throw new FomlabError(`search.hypotheses.step must be > 0, got ${step}`);
    if (to < from) throw new FomlabError(`search.hypotheses.to (${to}) is below from (${from})`);
    const count = Math.floor((to - from) / step + 1e-9) + 1;
    if (count > 100000) throw new FomlabError(`search.hypotheses: ${count} hypotheses from ${from} to ${to} in steps of ${step}; is the step in GeV?`);
    masses = Array.from({ length: count }, (_, i) => Number((from + i * step).toPrecision(12)));
  }
  for (const m of masses) if (!(Number.isFinite(m) && m > 0)) throw new FomlabError(`search.hypotheses: mass ${m} is not a positive number (GeV)`);
  const seen = new Set<number>();
  for (const m of masses) {
    if (seen.has(m)) throw new FomlabError(`search.hypotheses: mass ${m} GeV is listed twice`);
    seen.add(m);
  }
  const train = spec.train ?? 'all';
  return masses.map((mass, index) => ({ index, mass, train: isTrained(train, index, masses.length) }));
}

function isTrained(t: TrainSelection, i: number, n: number): boolean {
  if (t === 'all') return true;
  if (Array.isArray(t)) {
    if (t.length !== n) throw new FomlabError(`search.hypotheses.train has ${t.length} flags for ${n} hypotheses`);
    return Boolean(t[i]);
  }
  const { every, offset = 0 } = t as { every: number; offset?: number };
  if (!(Number.isInteger(every) && every >= 1)) throw new FomlabError(`search.hypotheses.train.every must be a positive integer, got ${every}`);
  return (i - offset) % every === 0 && i >= offset;
}

/**
 * A search: mass hypotheses, the scanned variable and a window per hypothesis. Windows from a
 * resolution table or a fixed width are known at once; percentile windows need the events.
 */
export class Search {
  readonly hypotheses: readonly Hypothesis[];
  readonly variable: ScannedVariable;
  readonly definition: SearchDefinition;
  private fixed: MassWindows | null;

  constructor(def: SearchDefinition) {
    this.definition = def;
    this.hypotheses = massHypotheses(def.hypotheses);
    this.variable = def.variable ?? 'mass2';
    if (this.variable !== 'mass' && this.variable !== 'mass2') throw new FomlabError(`search.variable must be 'mass' or 'mass2', got '${String(this.variable)}'`);
    const w = def.window;
    if (w.kind === 'resolution') this.fixed = resolutionWindows(this.masses, w.table, w.nSigma, this.variable);
    else if (w.kind === 'fixed') this.fixed = fixedWindows(this.masses, w.halfWidth, this.variable);
    else if (w.kind === 'range') this.fixed = rangeWindows(this.masses, w.from, w.to, this.variable);
    else if (w.kind === 'percentile') this.fixed = null;
    else throw new FomlabError(`search.window.kind must be 'resolution', 'fixed', 'range' or 'percentile', got '${String((w as { kind: unknown }).kind)}'`);
    if (def.nGenerated && def.nGenerated.length !== this.hypotheses.length) {
      throw new FomlabError(`search.nGenerated has ${def.nGenerated.length} entries for ${this.hypotheses.length} hypotheses`);
    }
  }

  get masses(): Float64Array {
    return Float64Array.from(this.hypotheses, (h) => h.mass);
  }

  /** training flag per hypothesis (1 trained, 0 held out) */
  get trainMask(): Uint8Array {
    return Uint8Array.from(this.hypotheses, (h) => (h.train ? 1 : 0));
  }

  /** The windows on the scanned variable; percentile windows need `events`. */
  windows(events?: EventTable): MassWindows {
    if (this.fixed) return this.fixed;
    if (!events) throw new FomlabError('search.window.kind is percentile: the windows need the signal events (pass the event table)');
    const w = this.definition.window as { from?: number; to?: number };
    return percentileWindows(this.masses, windowColumns(events), this.variable, { from: w.from, to: w.to, genMassTolerance: this.definition.genMassTolerance });
  }

  /** The window (low, high) on the scanned variable of one hypothesis (a `Hypothesis` or its index). */
  windowOf(hypothesis: number | Hypothesis, events?: EventTable): { low: number; high: number } {
    const h = typeof hypothesis === 'number' ? hypothesis : hypothesis.index;
    if (!(Number.isInteger(h) && h >= 0 && h < this.hypotheses.length)) throw new FomlabError(`search: no hypothesis with index ${h} (there are ${this.hypotheses.length})`);
    const w = this.windows(events);
    return { low: w.low[h], high: w.high[h] };
  }

  /** The hypothesis at `massGeV` (within 1e-9 relative); an error when there is none. */
  hypothesisAt(massGeV: number): Hypothesis {
    const found = this.hypotheses.find((h) => Math.abs(h.mass - massGeV) <= 1e-9 * Math.max(1, massGeV));
    if (!found) throw new FomlabError(`search: no hypothesis at ${massGeV} GeV`);
    return found;
  }

  /** Event → hypothesis incidence of `events` (see `WindowIncidence` for the layout). */
  incidence(events: EventTable, windows?: MassWindows): WindowIncidence {
    const cols = windowColumns(events);
    const generated = generatedHypothesis(this.masses, cols, this.definition.genMassTolerance);
    const pw = this.definition.window as { from?: number; to?: number };
    const w = windows ?? this.fixed ?? percentileWindows(this.masses, cols, this.variable, { from: pw.from, to: pw.to, generated });
    return windowIncidence(this.masses, w, cols, { generated, nGenerated: this.definition.nGenerated });
  }
}

/** The role columns the windows need; errors name the missing role. */
export function windowColumns(events: EventTable): WindowColumns {
  return {
    mass: events.mass(),
    label: events.labels(),
    genMass: events.hasRole('genMass') ? events.genMass() : null,
    weight: events.hasRole('weight') ? events.weights() : null,
  };
}
