import { FomlabError } from '../core/errors.js';
import { Incidence } from '../core/index.js';
import type { WindowIncidence } from '../physics/windows.js';
import type { PunziIncidence } from '../losses/punzi.js';
import type { HypothesisRows } from '../models/registry.js';
import { nativeBinding } from '../core/kernels/native.js';
import type { EpochBatches } from './epoch-batches.js';

/** the addon's punziBatch (native/src/batching.cc), the C++ twin of PunziBatcher.batch; null without the addon */
const batchKernel = nativeBinding && typeof nativeBinding.punziBatch === 'function' ? nativeBinding : null;

/**
 * The Punzi loss's view of one split (training or validation): per training hypothesis the
 * signal rows with coefficient 1/N_gen(h) and the background rows with coefficient w_i/f, where
 * f is the split's fraction of the sample (B must be the expected background of the whole
 * sample). Plain typed arrays, so a split crosses to worker threads without a copy.
 */
export interface PunziRows extends HypothesisRows {
  nEvents: number;
  /** the rows event by event (eventTable), when built once for many nets (an ensemble's members share it) */
  byEvent?: ByEvent;
}

/**
 * Rows of the hypotheses `keep` (indices into `inc`) with their coefficients; `eventMap[i]` is the
 * new index of event i (−1: dropped), so rows can refer to a filtered table.
 */
export function punziRows(inc: WindowIncidence, keep: readonly number[], weights: Float32Array, splitFraction: number, eventMap: Int32Array, nEvents: number): PunziRows {
  const pick = (rows: { offsets: Int32Array; events: Int32Array }, coefOf: (event: number, h: number) => number) => {
    const offsets = new Int32Array(keep.length + 1);
    const ev: number[] = [];
    const cf: number[] = [];
    keep.forEach((h, k) => {
      for (let j = rows.offsets[h]; j < rows.offsets[h + 1]; j++) {
        const e = eventMap[rows.events[j]];
        if (e < 0) continue;
        ev.push(e);
        cf.push(coefOf(rows.events[j], h));
      }
      offsets[k + 1] = ev.length;
    });
    return { offsets, events: Int32Array.from(ev), coef: Float64Array.from(cf) };
  };
  const sig = pick(inc.signal, (_e, h) => (inc.nGenerated[h] > 0 ? 1 / inc.nGenerated[h] : 0));
  const bkg = pick(inc.background, (e) => Math.max(weights[e], 0) / splitFraction);
  return {
    nEvents, nHypotheses: keep.length,
    sigOffsets: sig.offsets, sigEvents: sig.events, sigCoef: sig.coef,
    bkgOffsets: bkg.offsets, bkgEvents: bkg.events, bkgCoef: bkg.coef,
  };
}

/** The whole split as one batch. */
export function fullIncidence(r: PunziRows): PunziIncidence {
  return {
    signal: new Incidence(r.sigOffsets, r.sigEvents, r.nEvents, r.sigCoef),
    background: new Incidence(r.bkgOffsets, r.bkgEvents, r.nEvents, r.bkgCoef),
  };
}

/**
 * Event-major copy of the signal and background CSR rows (for cutting batches out in O(entries
 * of the batch)). An entry has a code (h for signal, H + h for background) and a coefficient.
 * Most events sit in one window, so each event's first entry is stored directly at its index, code
 * and coefficient side by side (first[2e] = code | MORE when the event has further entries, −1 when
 * none; first[2e + 1] = its coefficient), and only the further entries go through offsets: a batch
 * row is then one cache line, not a chain offsets → entries (the chain of dependent cache misses
 * was most of a batched epoch; the code and coefficient in two arrays were still two misses).
 */
export interface ByEvent {
  first: Float64Array;
  moreOffsets: Int32Array;
  moreCode: Int32Array;
  moreCoef: Float64Array;
  /** most entries of one event */
  widest: number;
  /** the rows' arrays it was built from: a copy of the rows with other arrays ({...rows, bkgCoef}) does not use it */
  of: Pick<PunziRows, 'sigOffsets' | 'sigEvents' | 'sigCoef' | 'bkgOffsets' | 'bkgEvents' | 'bkgCoef'>;
}

/** r.byEvent when it was built from r's own arrays, else a new table */
function tableOf(r: PunziRows): ByEvent {
  const t = r.byEvent;
  return t && t.of.sigOffsets === r.sigOffsets && t.of.bkgOffsets === r.bkgOffsets && t.of.sigEvents === r.sigEvents && t.of.sigCoef === r.sigCoef && t.of.bkgEvents === r.bkgEvents && t.of.bkgCoef === r.bkgCoef && t.first.length === 2 * r.nEvents ? t : eventTable(r);
}

const MORE = 1 << 20;

/** the addon's punziBatch outputs: [sigOffsets, sigEvents, sigCoef, bkgOffsets, bkgEvents, bkgCoef, sigCoef32, bkgCoef32] */
type BatchArrays = [Int32Array, Int32Array, Float64Array, Int32Array, Int32Array, Float64Array, Float32Array, Float32Array];
const batchArrays = (H: number, nSig: number, nBkg: number): BatchArrays => [
  new Int32Array(H + 1), new Int32Array(nSig), new Float64Array(nSig), new Int32Array(H + 1), new Int32Array(nBkg), new Float64Array(nBkg), new Float32Array(nSig), new Float32Array(nBkg),
];

export function eventTable(r: PunziRows): ByEvent {
  const H = r.nHypotheses, n = r.nEvents;
  if (2 * H >= MORE) throw new FomlabError(`PunziBatcher: ${H} hypotheses, at most ${MORE / 2 - 1}`);
  const count = new Int32Array(n);
  for (const events of [r.sigEvents, r.bkgEvents]) for (let j = 0; j < events.length; j++) count[events[j]]++;
  const moreOffsets = new Int32Array(n + 1);
  let widest = 0;
  for (let i = 0; i < n; i++) {
    moreOffsets[i + 1] = moreOffsets[i] + Math.max(count[i] - 1, 0);
    widest = Math.max(widest, count[i]);
  }
  const first = new Float64Array(2 * n);
  for (let e = 0; e < n; e++) first[2 * e] = -1;
  const moreCode = new Int32Array(moreOffsets[n]), moreCoef = new Float64Array(moreOffsets[n]);
  const fill = moreOffsets.slice(0, n);
  const put = (offsets: Int32Array, events: Int32Array, coef: Float64Array, codeBase: number): void => {
    for (let h = 0; h < H; h++) {
      for (let j = offsets[h]; j < offsets[h + 1]; j++) {
        const e = events[j];
        if (first[2 * e] < 0) {
          first[2 * e] = codeBase + h + (count[e] > 1 ? MORE : 0);
          first[2 * e + 1] = coef[j];
        } else {
          const p = fill[e]++;
          moreCode[p] = codeBase + h;
          moreCoef[p] = coef[j];
        }
      }
    }
  };
  put(r.sigOffsets, r.sigEvents, r.sigCoef, 0);
  put(r.bkgOffsets, r.bkgEvents, r.bkgCoef, H);
  return { first, moreOffsets, moreCode, moreCoef, widest, of: { sigOffsets: r.sigOffsets, sigEvents: r.sigEvents, sigCoef: r.sigCoef, bkgOffsets: r.bkgOffsets, bkgEvents: r.bkgEvents, bkgCoef: r.bkgCoef } };
}

/**
 * Cuts mini-batches out of a split: the incidence of the events `rows` (batch-local indices
 * 0..rows.length-1) with every coefficient multiplied by `scale` (= split size / batch size: the
 * batch stands for the whole split, as in the seed study's batched Punzi training).
 */
export class PunziBatcher {
  private readonly table: ByEvent;
  readonly nHypotheses: number;
  /** batch-local (event, code, coefficient) triples, reused from batch to batch */
  private local = { event: new Int32Array(0), code: new Int32Array(0), coef: new Float64Array(0) };
  /** the table's first entries in the current epoch's batch order (gatherEpoch), and that order */
  private epoch: { first: Float64Array; order: Int32Array } | null = null;

  constructor(r: PunziRows) {
    this.table = tableOf(r);
    this.nHypotheses = r.nHypotheses;
  }

  /** lays the table's first entries out in the epoch's batch order (one sequential pass), for batch(rows, scale, at) */
  gatherEpoch(batches: EpochBatches): void {
    const first = batches.gather(this.table.first, 2, this.epoch?.first ?? new Float64Array(this.table.first.length));
    this.epoch = { first, order: batches.order };
  }

  /**
   * One gather pass over the rows (the only random reads) into batch-local triples in row order,
   * then a counting sort of the triples by code into the two CSR incidences: within a hypothesis
   * the events stay in row order, and an event's entries keep their order (signal, then
   * background by hypothesis). `at`: the rows are the epoch's order from position `at` on
   * (gatherEpoch), so their first entries are read in order from the gathered copy.
   */
  batch(rows: ArrayLike<number>, scale: number, at?: number): PunziIncidence {
    const firstRows = this.gathered(rows, at);
    if (batchKernel && rows instanceof Int32Array) {
      const t = this.table;
      if (firstRows) return this.batchInto(rows, scale, firstRows);
      const [so, se, sc, bo, be, bc, sc32, bc32] = batchKernel.punziBatch(t.first, t.moreOffsets, t.moreCode, t.moreCoef, this.nHypotheses, rows, scale, firstRows);
      return { signal: new Incidence(so, se, rows.length, sc, { coef32: sc32 }), background: new Incidence(bo, be, rows.length, bc, { coef32: bc32 }) };
    }
    return this.batchTs(rows, scale, at);
  }

  /** two sets of the addon's outputs, used in turn by the batches of a gathered epoch */
  private reused: [BatchArrays, BatchArrays] | null = null;
  private turn = 0;

  /**
   * The addon's cut of a batch of the gathered epoch into arrays reused from batch to batch (two
   * sets in turn: a batch's incidence stays valid while the next one is cut): a new set of eight
   * arrays per batch was most of the memory a batched epoch allocated, and the garbage collections
   * it set off ran on the other core, beside the ensemble's workers (issue 18).
   */
  private batchInto(rows: Int32Array, scale: number, firstRows: Float64Array): PunziIncidence {
    const t = this.table, H = this.nHypotheses;
    this.reused ??= [batchArrays(H, 0, 0), batchArrays(H, 0, 0)];
    const k = (this.turn ^= 1);
    const call = () => batchKernel!.punziBatch(t.first, t.moreOffsets, t.moreCode, t.moreCoef, H, rows, scale, firstRows, this.reused![k]);
    let got: unknown[] = call();
    if (got.length === 2) { // too short: grown with room to spare, then cut again
      this.reused[k] = batchArrays(H, Math.ceil(1.25 * (got[0] as number)), Math.ceil(1.25 * (got[1] as number)));
      got = call();
    }
    const [so, se, sc, bo, be, bc, sc32, bc32] = got as BatchArrays;
    const ns = so[H], nb = bo[H];
    return {
      signal: new Incidence(so, se.subarray(0, ns), rows.length, sc.subarray(0, ns), { coef32: sc32.subarray(0, ns) }),
      background: new Incidence(bo, be.subarray(0, nb), rows.length, bc.subarray(0, nb), { coef32: bc32.subarray(0, nb) }),
    };
  }

  /** the gathered first entries of rows = the epoch's order from `at` on (undefined: read through rows) */
  private gathered(rows: ArrayLike<number>, at: number | undefined): Float64Array | undefined {
    const e = this.epoch;
    if (at === undefined || !e || rows.length === 0) return undefined;
    if (at + rows.length > e.order.length || e.order[at] !== rows[0] || e.order[at + rows.length - 1] !== rows[rows.length - 1]) {
      throw new FomlabError(`PunziBatcher: rows of a batch at position ${at} are not the gathered epoch's order`);
    }
    return e.first.subarray(2 * at, 2 * (at + rows.length));
  }

  /** the TypeScript twin of the addon's punziBatch (also its fallback) */
  batchTs(rows: ArrayLike<number>, scale: number, at?: number): PunziIncidence {
    const H = this.nHypotheses;
    const { first, moreOffsets, moreCode, moreCoef, widest } = this.table;
    const firstRows = this.gathered(rows, at);
    const count = new Int32Array(2 * H + 1);
    let { event: le, code: lc, coef: lf } = this.local;
    let k = 0;
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i];
      const c0 = firstRows ? firstRows[2 * i] : first[2 * e];
      if (c0 < 0) continue;
      if (k + widest > le.length) {
        const grown = { event: new Int32Array(2 * le.length + widest), code: new Int32Array(2 * le.length + widest), coef: new Float64Array(2 * le.length + widest) };
        grown.event.set(le);
        grown.code.set(lc);
        grown.coef.set(lf);
        this.local = grown;
        ({ event: le, code: lc, coef: lf } = grown);
      }
      const c = c0 & (MORE - 1);
      le[k] = i;
      lc[k] = c;
      lf[k++] = (firstRows ? firstRows[2 * i + 1] : first[2 * e + 1]) * scale;
      count[c + 1]++;
      if (c0 >= MORE) {
        for (let j = moreOffsets[e]; j < moreOffsets[e + 1]; j++) {
          const cj = moreCode[j];
          le[k] = i;
          lc[k] = cj;
          lf[k++] = moreCoef[j] * scale;
          count[cj + 1]++;
        }
      }
    }
    const sigOffsets = new Int32Array(H + 1), bkgOffsets = new Int32Array(H + 1);
    for (let h = 0; h < H; h++) {
      sigOffsets[h + 1] = sigOffsets[h] + count[h + 1];
      bkgOffsets[h + 1] = bkgOffsets[h] + count[H + h + 1];
    }
    const fill = new Int32Array(2 * H);
    for (let h = 0; h < H; h++) {
      fill[h] = sigOffsets[h];
      fill[H + h] = bkgOffsets[h];
    }
    const sigEvents = new Int32Array(sigOffsets[H]), sigCoef = new Float64Array(sigOffsets[H]);
    const bkgEvents = new Int32Array(bkgOffsets[H]), bkgCoef = new Float64Array(bkgOffsets[H]);
    for (let t = 0; t < k; t++) {
      const c = lc[t];
      const p = fill[c]++;
      if (c < H) {
        sigEvents[p] = le[t];
        sigCoef[p] = lf[t];
      } else {
        bkgEvents[p] = le[t];
        bkgCoef[p] = lf[t];
      }
    }
    return {
      signal: new Incidence(sigOffsets, sigEvents, rows.length, sigCoef),
      background: new Incidence(bkgOffsets, bkgEvents, rows.length, bkgCoef),
    };
  }
}
