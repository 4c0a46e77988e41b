/**
 * Sums per group: `segmentSum` (each event in one segment), `scatterAdd` (torch index_add along
 * axis 0), and `csrSum` over an `Incidence` — the sparse event → mass-hypothesis incidence where
 * an event may sit in several overlapping windows. Heavy loops run in `kernels` (C++ for float32).
 */
import { FomlabError } from '../errors.js';
import { kernels } from '../kernels/index.js';
import { allocFloat, result, sameDtype, Tensor, type DType, type FloatArray } from '../tensor.js';

/**
 * Sparse incidence of `nEvents` events in `nHypotheses` groups, stored as CSR rows per hypothesis:
 * the events of hypothesis h are events[offsets[h] .. offsets[h+1]-1], each with an optional
 * coefficient (e.g. a per-entry weight) coef[j].
 */
export class Incidence {
  readonly offsets: Int32Array;
  readonly events: Int32Array;
  readonly coef: Float64Array | null;
  readonly nEvents: number;
  private coef32: Float32Array | null = null;
  private byEvent: { offsets: Int32Array; entries: Int32Array } | null = null;

  /**
   * `kernel`: built by a kernel that guarantees the CSR invariants (native/src/batching.cc punziBatch), so the
   * O(entries) check is skipped, with the coefficients already rounded to float32 (coef32).
   */
  constructor(offsets: Int32Array, events: Int32Array, nEvents: number, coef: Float64Array | null = null, kernel?: { coef32: Float32Array }) {
    this.offsets = offsets;
    this.events = events;
    this.nEvents = nEvents;
    this.coef = coef;
    if (kernel && coef && kernel.coef32.length === coef.length) {
      this.coef32 = kernel.coef32;
      return;
    }
    const nnz = offsets[offsets.length - 1];
    if (offsets[0] !== 0 || nnz !== events.length) throw new FomlabError(`Incidence: offsets must run from 0 to events.length (${events.length}), got ${offsets[0]}..${nnz}`);
    for (let h = 0; h + 1 < offsets.length; h++) if (offsets[h + 1] < offsets[h]) throw new FomlabError(`Incidence: offsets decrease at hypothesis ${h}`);
    for (let j = 0; j < events.length; j++) {
      if (events[j] < 0 || events[j] >= nEvents) throw new FomlabError(`Incidence: event index ${events[j]} outside 0..${nEvents - 1}`);
    }
    if (coef && coef.length !== events.length) throw new FomlabError(`Incidence: ${coef.length} coefficients for ${events.length} entries`);
  }

  get nHypotheses(): number {
    return this.offsets.length - 1;
  }

  /** From (event, hypothesis[, coef]) pairs, in any order. */
  static fromPairs(events: ArrayLike<number>, hypotheses: ArrayLike<number>, nHypotheses: number, nEvents: number, coef: ArrayLike<number> | null = null): Incidence {
    const nnz = events.length;
    const offsets = new Int32Array(nHypotheses + 1);
    for (let j = 0; j < nnz; j++) {
      const h = hypotheses[j];
      if (!(h >= 0 && h < nHypotheses)) throw new FomlabError(`Incidence: hypothesis index ${h} outside 0..${nHypotheses - 1}`);
      offsets[h + 1]++;
    }
    for (let h = 0; h < nHypotheses; h++) offsets[h + 1] += offsets[h];
    const fill = offsets.slice(0, nHypotheses);
    const ev = new Int32Array(nnz);
    const cf = coef ? new Float64Array(nnz) : null;
    for (let j = 0; j < nnz; j++) {
      const p = fill[hypotheses[j]]++;
      ev[p] = events[j];
      if (cf && coef) cf[p] = coef[j];
    }
    return new Incidence(offsets, ev, nEvents, cf);
  }

  /** Each event in at most one hypothesis: hypothesis[i] (negative = in none). */
  static fromAssignment(hypothesis: ArrayLike<number>, nHypotheses: number, coef: ArrayLike<number> | null = null): Incidence {
    const ev: number[] = [], hy: number[] = [], cf: number[] = [];
    for (let i = 0; i < hypothesis.length; i++) {
      if (hypothesis[i] < 0) continue;
      ev.push(i);
      hy.push(hypothesis[i]);
      if (coef) cf.push(coef[i]);
    }
    return Incidence.fromPairs(ev, hy, nHypotheses, hypothesis.length, coef ? cf : null);
  }

  /** Number of events in each hypothesis. */
  counts(): Int32Array {
    const c = new Int32Array(this.nHypotheses);
    for (let h = 0; h < c.length; h++) c[h] = this.offsets[h + 1] - this.offsets[h];
    return c;
  }

  /** The coefficients in the dtype of the values they multiply (null when none). */
  coefFor(dtype: DType): FloatArray | null {
    if (!this.coef || dtype === 'float64') return this.coef;
    if (!this.coef32) this.coef32 = Float32Array.from(this.coef);
    return this.coef32;
  }

  /**
   * The incidence of a batch: rows[p] is the event at batch position p; the result indexes batch
   * positions (so it sums a batch's outputs). Entries keep their coefficients.
   */
  select(rows: ArrayLike<number>): Incidence {
    if (!this.byEvent) this.byEvent = this.transpose();
    const { offsets: eo, entries } = this.byEvent;
    const hyp = this.hypothesisOfEntry();
    const ev: number[] = [], hy: number[] = [], cf: number[] = [];
    for (let p = 0; p < rows.length; p++) {
      const e = rows[p];
      for (let q = eo[e]; q < eo[e + 1]; q++) {
        const j = entries[q];
        ev.push(p);
        hy.push(hyp[j]);
        if (this.coef) cf.push(this.coef[j]);
      }
    }
    return Incidence.fromPairs(ev, hy, this.nHypotheses, rows.length, this.coef ? cf : null);
  }

  private hypothesisOfEntry(): Int32Array {
    const hyp = new Int32Array(this.events.length);
    for (let h = 0; h < this.nHypotheses; h++) hyp.fill(h, this.offsets[h], this.offsets[h + 1]);
    return hyp;
  }

  /** event → entry lists (CSC), for batch selection */
  private transpose(): { offsets: Int32Array; entries: Int32Array } {
    const offsets = new Int32Array(this.nEvents + 1);
    for (let j = 0; j < this.events.length; j++) offsets[this.events[j] + 1]++;
    for (let e = 0; e < this.nEvents; e++) offsets[e + 1] += offsets[e];
    const fill = offsets.slice(0, this.nEvents);
    const entries = new Int32Array(this.events.length);
    for (let j = 0; j < this.events.length; j++) entries[fill[this.events[j]]++] = j;
    return { offsets, entries };
  }
}

/** out[h] = Σ_{events e of h} values[e]·coef — per-hypothesis sums; values is [nEvents] (or [nEvents, 1]). */
export function csrSum(values: Tensor, inc: Incidence): Tensor {
  if (values.size !== inc.nEvents) throw new FomlabError(`csrSum: ${values.size} values for an incidence over ${inc.nEvents} events`);
  const out = allocFloat(values.dtype, inc.nHypotheses);
  const coef = inc.coefFor(values.dtype);
  kernels.csrSum(inc.offsets, inc.events, coef, values.data, out);
  return result(out, [inc.nHypotheses], [values], 'csr_sum', () => (g) => {
    kernels.csrSumBackward(inc.offsets, inc.events, coef, g, values.gradBuffer());
  });
}

/** out[s] = Σ_{i: seg[i] = s} values[i] for a 1-D values tensor; every seg[i] in 0..nSegments-1. */
export function segmentSum(values: Tensor, seg: Int32Array, nSegments: number): Tensor {
  if (seg.length !== values.size) throw new FomlabError(`segmentSum: ${seg.length} segment ids for ${values.size} values`);
  const out = allocFloat(values.dtype, nSegments);
  kernels.segmentSum(values.data, seg, out);
  return result(out, [nSegments], [values], 'segment_sum', () => (g) => {
    const dv = values.gradBuffer();
    for (let i = 0; i < dv.length; i++) dv[i] += g[seg[i]];
  });
}

/** base + src scattered along axis 0: out[index[i], …] += src[i, …] (torch.index_add, out of place). */
export function scatterAdd(base: Tensor, index: Int32Array, src: Tensor): Tensor {
  sameDtype('scatterAdd', base, src);
  const row = base.size / base.shape[0];
  if (src.shape[0] !== index.length || src.size !== index.length * row) {
    throw new FomlabError(`scatterAdd: src [${src.shape.join(', ')}] does not match ${index.length} indices of rows of ${row}`);
  }
  const out = base.data.slice();
  const S = src.data;
  for (let i = 0; i < index.length; i++) {
    const r = index[i];
    if (r < 0 || r >= base.shape[0]) throw new FomlabError(`scatterAdd: index ${r} outside 0..${base.shape[0] - 1}`);
    for (let j = 0; j < row; j++) out[r * row + j] += S[i * row + j];
  }
  return result(out, base.shape, [base, src], 'scatter_add', () => (g) => {
    if (base.requiresGrad) {
      const db = base.gradBuffer();
      for (let i = 0; i < db.length; i++) db[i] += g[i];
    }
    if (src.requiresGrad) {
      const ds = src.gradBuffer();
      for (let i = 0; i < index.length; i++) for (let j = 0; j < row; j++) ds[i * row + j] += g[index[i] * row + j];
    }
  });
}
