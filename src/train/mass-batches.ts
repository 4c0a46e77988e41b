/**
 * What a parameterised net's training does at each epoch (plain data, it crosses to the worker
 * threads with the split): draw the random background masses again (`redraw`), or build balanced
 * mini-batches (`balanced`, Anzalone et al. 2022, arXiv:2202.00424, §3.3): each batch half signal
 * with the same number of events per training mass (small masses' events repeat), half background
 * whose random masses are assigned evenly over the signal masses, so the mass input alone tells
 * nothing about the class.
 */
import type { Rng } from '../core/rng.js';

export interface MassInputEpoch {
  /** the mass input's column in the rows of x (the last one) */
  column: number;
  nFeatures: number;
  /** distinct training signal masses, scaled as x is */
  masses: Float32Array;
  /** the signal's masses one per training signal event, scaled (random draws follow the signal's distribution) */
  pool: Float32Array;
  /** per event: index into `masses` of a signal event's mass, −1 for background or signal of no training mass */
  signalGroup: Int32Array;
  /** per event: 1 for background whose mass is drawn at random */
  free: Uint8Array;
  redraw: boolean;
  balanced: boolean;
}

/** True when the epochs change x (the trainer then trains on its own copy). */
export const changesInputs = (m: MassInputEpoch | undefined): boolean => !!m && (m.balanced || (m.redraw && m.free.some((f) => f === 1)));

/** Draws the random background masses again into x. */
export function redrawMasses(m: MassInputEpoch, x: Float32Array, rng: Rng): void {
  for (let i = 0; i < m.free.length; i++) if (m.free[i]) x[i * m.nFeatures + m.column] = m.pool[rng.int(m.pool.length)];
}

/**
 * The epoch's order of n events in balanced batches of `size` (the last one n mod size): each
 * batch ⌊size/2K⌋ (at least 1) signal events of each of the K masses, drawn without repetition
 * from each mass's shuffled events until they run out (then reshuffled), the rest background from
 * the shuffled background the same way; the random background of batch b gets masses
 * masses in turn (from a random start per batch), so evenly spread, written into x. Rows of a batch
 * ascending when `ascending`.
 */
export function balancedOrder(m: MassInputEpoch, x: Float32Array, n: number, size: number, rng: Rng, ascending: boolean): Int32Array {
  const K = m.masses.length;
  const groups: number[][] = Array.from({ length: K }, () => []);
  const background: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = m.signalGroup[i];
    if (g >= 0) groups[g].push(i);
    else background.push(i);
  }
  const filled = groups.filter((g) => g.length > 0);
  const cyclers = [...filled, background].map((rows) => cycler(rows, rng));
  const G = filled.length;
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += size) {
    const sz = Math.min(size, n - start);
    const perMass = background.length === 0 ? Math.ceil(sz / G) : Math.max(1, Math.floor(sz / (2 * G)));
    const batch: number[] = [];
    for (let g = 0; g < G && batch.length < sz; g++) for (let q = 0; q < perMass && batch.length < sz; q++) batch.push(cyclers[g]());
    let next = rng.int(K); // the random background's masses in turn from a random start
    for (let j = 0; batch.length < sz; j++) {
      const i = background.length ? cyclers[G]() : cyclers[j % G]();
      if (m.free[i]) x[i * m.nFeatures + m.column] = m.masses[next++ % K];
      batch.push(i);
    }
    if (ascending) batch.sort((a, b) => a - b);
    out.set(batch, start);
  }
  return out;
}

/** Draws from `rows` without repetition in a shuffled order, reshuffling when they run out. */
function cycler(rows: number[], rng: Rng): () => number {
  let order: number[] = [], k = 0;
  return () => {
    if (k >= order.length) {
      order = [...rows];
      for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j], order[i]]; }
      k = 0;
    }
    return order[k++];
  };
}
