import { Incidence } from '../core/index.js';
import type { WindowIncidence } from '../physics/windows.js';
import type { PunziIncidence } from '../losses/punzi.js';

/**
 * The Punzi loss's view of one split (training or validation): per training hypothesis the
 * signal rows with coefficient 1/N_gen(h) and the background rows with coefficient w_i/f, where
 * f is the split's fraction of the sample (B must be the expected background of the whole
 * sample). Plain typed arrays, so a split crosses to worker threads without a copy.
 */
export interface PunziRows {
  nEvents: number;
  nHypotheses: number;
  sigOffsets: Int32Array;
  sigEvents: Int32Array;
  sigCoef: Float64Array;
  bkgOffsets: Int32Array;
  bkgEvents: Int32Array;
  bkgCoef: Float64Array;
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

/** Event-major copy of CSR rows (for cutting batches out in O(entries of the batch)). */
interface ByEvent {
  offsets: Int32Array;
  hyp: Int32Array;
  coef: Float64Array;
}

function byEvent(offsets: Int32Array, events: Int32Array, coef: Float64Array, nEvents: number): ByEvent {
  const H = offsets.length - 1;
  const off = new Int32Array(nEvents + 1);
  for (let j = 0; j < events.length; j++) off[events[j] + 1]++;
  for (let i = 0; i < nEvents; i++) off[i + 1] += off[i];
  const fill = off.slice(0, nEvents);
  const hyp = new Int32Array(events.length), cf = new Float64Array(events.length);
  for (let h = 0; h < H; h++) {
    for (let j = offsets[h]; j < offsets[h + 1]; j++) {
      const p = fill[events[j]]++;
      hyp[p] = h;
      cf[p] = coef[j];
    }
  }
  return { offsets: off, hyp, coef: cf };
}

/**
 * Cuts mini-batches out of a split: the incidence of the events `rows` (batch-local indices
 * 0..rows.length-1) with every coefficient multiplied by `scale` (= split size / batch size: the
 * batch stands for the whole split, as in the seed study's batched Punzi training).
 */
export class PunziBatcher {
  private readonly sig: ByEvent;
  private readonly bkg: ByEvent;
  readonly nHypotheses: number;

  constructor(r: PunziRows) {
    this.sig = byEvent(r.sigOffsets, r.sigEvents, r.sigCoef, r.nEvents);
    this.bkg = byEvent(r.bkgOffsets, r.bkgEvents, r.bkgCoef, r.nEvents);
    this.nHypotheses = r.nHypotheses;
  }

  batch(rows: ArrayLike<number>, scale: number): PunziIncidence {
    return { signal: this.cut(this.sig, rows, scale), background: this.cut(this.bkg, rows, scale) };
  }

  private cut(b: ByEvent, rows: ArrayLike<number>, scale: number): Incidence {
    const H = this.nHypotheses;
    const offsets = new Int32Array(H + 1);
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i];
      for (let j = b.offsets[e]; j < b.offsets[e + 1]; j++) offsets[b.hyp[j] + 1]++;
    }
    for (let h = 0; h < H; h++) offsets[h + 1] += offsets[h];
    const fill = offsets.slice(0, H);
    const events = new Int32Array(offsets[H]), coef = new Float64Array(offsets[H]);
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i];
      for (let j = b.offsets[e]; j < b.offsets[e + 1]; j++) {
        const p = fill[b.hyp[j]]++;
        events[p] = i;
        coef[p] = b.coef[j] * scale;
      }
    }
    return new Incidence(offsets, events, rows.length, coef);
  }
}
