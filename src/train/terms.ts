import { add, indexSelect, mul, type Tensor } from '../core/index.js';
import type { LossBatch, LossContext, LossScope, LossTerm, FusedModel } from '../losses/registry.js';
import type { PunziIncidence } from '../losses/punzi.js';
import { fullIncidence, PunziBatcher } from './punzi-data.js';
import type { SplitArrays } from './trainer.js';
import type { EpochBatches } from './epoch-batches.js';

/**
 * A stage's loss on one split: L = Σ_t λ_t · L_t(p restricted to term t's scope), each term a loss
 * module of the registry (losses/registry.ts). The trainer asks it for a batch's loss and never
 * looks at which losses the terms are.
 */
export interface StageLoss {
  /** some term gathers window entries per batch: list batches in ascending event order */
  readonly ascendingBatches: boolean;
  /** the fused step of a single unweighted all-events term whose loss and model have one; else undefined */
  fusedStep(model: FusedModel, x: Tensor, rows: Int32Array | null): number | undefined;
  /**
   * the loss of the output p of the batch `rows` (null: the whole split); null when no term has events in it.
   * `at`: rows are the epoch's order (beginEpoch) from position `at` on.
   */
  value(p: Tensor, rows: Int32Array | null, at?: number): Tensor | null;
  /** Punzi's per-hypothesis incidence of the whole split */
  fullIncidence(): PunziIncidence;
  /** a new epoch of ascending batches: lays out what the batches read (Punzi's table) in its order, for value(p, rows, at) */
  beginEpoch(batches: EpochBatches): void;
}

/** The positions in the batch (null: all) and the events of a scope (its events by label, its mass range low ≤ m < high). */
function scopeOf(scope: LossScope, split: SplitArrays, rows: Int32Array | null): { positions: Int32Array | null; rows: Int32Array | null } {
  const inWindow = scope.window === 'training' ? split.inWindow ?? null : null;
  if (scope.events === 'all' && !scope.mass && !inWindow) return { positions: null, rows };
  const want = scope.events === 'signal', byLabel = scope.events !== 'all';
  const [low, high] = scope.mass ?? [-Infinity, Infinity];
  const n = rows ? rows.length : split.n;
  const positions: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = rows ? rows[k] : k, m = split.mass[i];
    if ((!byLabel || (split.labels[i] >= 0.5) === want) && m >= low && m < high && (!inWindow || inWindow[i])) positions.push(k);
  }
  const pos = Int32Array.from(positions);
  return { positions: pos, rows: rows ? pos.map((k) => rows[k]) : pos };
}

export function stageLoss(terms: LossTerm[], split: SplitArrays, ctx: LossContext): StageLoss {
  let full: PunziIncidence | null = null, batcher: PunziBatcher | null = null;
  const fullInc = (): PunziIncidence => (full ??= fullIncidence(split.punzi));
  const gather = (a: Float32Array, rows: Int32Array | null): Float32Array => (rows ? Float32Array.from(rows, (i) => a[i]) : a);
  /** the batch as a term sees it; `scale`: whole split / batch events (Punzi's scale factor k) */
  const view = (rows: Int32Array | null, scale: number, at?: number): LossBatch => ({
    rows,
    scale,
    split: { labels: split.labels, weights: split.weights, balancedWeights: split.bceWeights },
    labels: () => gather(split.labels, rows),
    mass: () => gather(split.mass, rows),
    weights: (balanced) => gather(balanced ? split.bceWeights : split.weights, rows),
    processes: () => (split.processes ? { ...split.processes, category: rows ? Int32Array.from(rows, (i) => split.processes!.category[i]) : split.processes.category } : null),
    incidence: () => (rows === null ? fullInc() : (batcher ??= new PunziBatcher(split.punzi)).batch(rows, scale, at)),
  });
  const lead = terms[0];
  const fusable = terms.length === 1 && lead.weight === 1 && lead.scope.events === 'all' && !lead.scope.mass && (lead.scope.window === 'any' || !split.inWindow) && lead.module.fusedStep !== undefined;
  return {
    ascendingBatches: terms.some((t) => t.module.ascendingBatches === true),
    fusedStep: (model, x, rows) => (fusable ? lead.module.fusedStep!(model, x, view(rows, 1), lead.options) : undefined),
    value(p, rows, at) {
      const scale = rows ? split.n / rows.length : 1;
      let total: Tensor | null = null;
      for (const t of terms) {
        const sc = scopeOf(t.scope, split, rows);
        if (sc.positions && sc.positions.length === 0) continue;
        let v = t.module.value(sc.positions ? indexSelect(p, 0, sc.positions) : p, view(sc.rows, scale, sc.positions ? undefined : at), t.options, ctx);
        if (t.weight !== 1) v = mul(v, t.weight);
        total = total ? add(total, v) : v;
      }
      return total;
    },
    fullIncidence: fullInc,
    beginEpoch(batches) {
      if (terms.some((t) => t.module.ascendingBatches === true)) (batcher ??= new PunziBatcher(split.punzi)).gatherEpoch(batches);
    },
  };
}
