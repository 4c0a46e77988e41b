/**
 * XGBoost's histogram cuts (its 'hist' method, version 1.7): a weighted quantile sketch of each column (Chen &
 * Guestrin 2016, arXiv:1603.02754, Appendix A: summaries of (value, rmin, rmax, wmin), merged and pruned), pruned to
 * max_bin + 1 summary entries whose values 1 … max_bin − 1 become the cuts, plus a last cut above the maximum.
 * Learnt from the description of xgboost/src/common/quantile.h and quantile.cc (WQSummary, WQuantileSketch,
 * HostSketchContainer::MakeCuts, AddCutPoint); written anew. Ranks are float32 as in XGBoost (WQuantileSketch<float,
 * float>), so every rank sum here is rounded to float32 (Math.fround) to place the cuts on the same values.
 * TypeScript twin of gbdt_sketch_cuts (native/src/gbdt_sketch.cc).
 */
const f = Math.fround;
/** XGBoost's kFactor: the sketch keeps 8 entries per requested bin (ε = 1 / (8 · max_bin)) */
const K_FACTOR = 8;

/** A summary: entries sorted by value; rmin/rmax bound the weight strictly below / up to the value, wmin its own weight. */
class Summary {
  value: Float32Array; rmin: Float32Array; rmax: Float32Array; wmin: Float32Array;
  size = 0;
  constructor(capacity: number) {
    this.value = new Float32Array(capacity); this.rmin = new Float32Array(capacity);
    this.rmax = new Float32Array(capacity); this.wmin = new Float32Array(capacity);
  }
  push(rmin: number, rmax: number, wmin: number, value: number): void {
    const k = this.size++;
    this.rmin[k] = rmin; this.rmax[k] = rmax; this.wmin[k] = wmin; this.value[k] = value;
  }
  copyEntry(src: Summary, i: number): void { this.push(src.rmin[i], src.rmax[i], src.wmin[i], src.value[i]); }
  copyFrom(src: Summary): void { this.size = 0; for (let i = 0; i < src.size; i++) this.copyEntry(src, i); }
  rminNext(i: number): number { return f(this.rmin[i] + this.wmin[i]); }
  rmaxPrev(i: number): number { return f(this.rmax[i] - this.wmin[i]); }

  /** keep ≤ maxSize entries at evenly spaced ranks (the ends always kept) — WQSummary::SetPrune */
  setPrune(src: Summary, maxSize: number): void {
    if (src.size <= maxSize) { this.copyFrom(src); return; }
    const begin = src.rmax[0], range = f(src.rmin[src.size - 1] - src.rmax[0]), n = maxSize - 1;
    this.size = 0;
    this.copyEntry(src, 0);
    let i = 1, last = 0;
    for (let k = 1; k < n; k++) {
      const dx2 = f(2 * f(f(f(k * range) / n) + begin));  // twice the target rank
      while (i < src.size - 1 && dx2 >= f(src.rmax[i + 1] + src.rmin[i + 1])) i++;
      if (i === src.size - 1) break;
      // the nearer of entries i and i + 1 by the midpoint of their rank bounds
      const pick = dx2 < f(src.rminNext(i) + src.rmaxPrev(i + 1)) ? i : i + 1;
      if (pick !== last) { this.copyEntry(src, pick); last = pick; }
    }
    if (last !== src.size - 1) this.copyEntry(src, src.size - 1);
  }

  /** merge two summaries (ranks add) — WQSummary::SetCombine, then FixError */
  setCombine(a: Summary, b: Summary): void {
    if (a.size === 0) { this.copyFrom(b); return; }
    if (b.size === 0) { this.copyFrom(a); return; }
    this.size = 0;
    let i = 0, j = 0, aPrevRmin = 0, bPrevRmin = 0;
    while (i < a.size && j < b.size) {
      if (a.value[i] === b.value[j]) {
        this.push(f(a.rmin[i] + b.rmin[j]), f(a.rmax[i] + b.rmax[j]), f(a.wmin[i] + b.wmin[j]), a.value[i]);
        aPrevRmin = a.rminNext(i); bPrevRmin = b.rminNext(j); i++; j++;
      } else if (a.value[i] < b.value[j]) {
        this.push(f(a.rmin[i] + bPrevRmin), f(a.rmax[i] + b.rmaxPrev(j)), a.wmin[i], a.value[i]);
        aPrevRmin = a.rminNext(i); i++;
      } else {
        this.push(f(b.rmin[j] + aPrevRmin), f(b.rmax[j] + a.rmaxPrev(i)), b.wmin[j], b.value[j]);
        bPrevRmin = b.rminNext(j); j++;
      }
    }
    const bRmax = b.rmax[b.size - 1], aRmax = a.rmax[a.size - 1];
    for (; i < a.size; i++) this.push(f(a.rmin[i] + bPrevRmin), f(a.rmax[i] + bRmax), a.wmin[i], a.value[i]);
    for (; j < b.size; j++) this.push(f(b.rmin[j] + aPrevRmin), f(b.rmax[j] + aRmax), b.wmin[j], b.value[j]);
    // re-establish rmin, rmax non-decreasing and rmax ≥ rmin + wmin after float rounding
    let prevRmin = 0, prevRmax = 0;
    for (let k = 0; k < this.size; k++) {
      if (this.rmin[k] < prevRmin) this.rmin[k] = prevRmin; else prevRmin = this.rmin[k];
      if (this.rmax[k] < prevRmax) this.rmax[k] = prevRmax;
      const next = this.rminNext(k);
      if (this.rmax[k] < next) this.rmax[k] = next;
      prevRmax = this.rmax[k];
    }
  }
}

/** the sketch's level count and per-level summary size for n values at accuracy ε — LimitSizeLevel */
function limitSize(n: number, eps: number): number {
  for (let nlevel = 1; ; nlevel++) {
    const limit = Math.min(n, Math.ceil(nlevel / eps) + 1);
    if (2 ** nlevel * limit >= n) return limit;
  }
}

/** The streaming sketch of one column (WQuantileSketch): a queue of 2·limit values, summaries in levels. */
class Sketch {
  private queueValue: Float32Array; private queueWeight: Float32Array; private tail = 0;
  private levels: Summary[] = [];
  private temp: Summary;
  constructor(private limit: number) {
    this.queueValue = new Float32Array(2 * limit); this.queueWeight = new Float32Array(2 * limit);
    this.temp = new Summary(2 * limit);
  }
  push(x: number, w: number): void {
    if (w === 0) return;
    if (this.tail === this.queueValue.length) { this.makeSummary(this.temp); this.tail = 0; this.pushTemp(); }
    // a value equal to the previous one adds its weight to it
    if (this.tail > 0 && this.queueValue[this.tail - 1] === x) this.queueWeight[this.tail - 1] = f(this.queueWeight[this.tail - 1] + w);
    else { this.queueValue[this.tail] = x; this.queueWeight[this.tail] = w; this.tail++; }
  }
  /** sorted distinct values of the queue with their weights summed (in sorted order, as std::sort leaves them) */
  private makeSummary(out: Summary): void {
    const order = Array.from({ length: this.tail }, (_, k) => k).sort((p, q) => this.queueValue[p] - this.queueValue[q]);
    out.size = 0;
    let wsum = 0;
    for (let k = 0; k < order.length;) {
      const v = this.queueValue[order[k]];
      let w = this.queueWeight[order[k]], e = k + 1;
      while (e < order.length && this.queueValue[order[e]] === v) { w = f(w + this.queueWeight[order[e]]); e++; }
      out.push(wsum, f(wsum + w), w, v);
      wsum = f(wsum + w);
      k = e;
    }
  }
  private level(l: number): Summary {
    while (this.levels.length <= l) this.levels.push(new Summary(this.limit));
    return this.levels[l];
  }
  /** carry the queue's summary up the levels (level 0 is scratch), as a binary counter */
  private pushTemp(): void {
    for (let l = 1; ; l++) {
      this.level(l + 1);
      const lv = this.levels[l];
      if (lv.size === 0) { lv.setPrune(this.temp, this.limit); return; }
      this.levels[0].setPrune(this.temp, this.limit);
      this.temp.setCombine(this.levels[0], lv);  // ≤ 2·limit entries
      if (this.temp.size > this.limit) lv.size = 0;
      else { lv.copyFrom(this.temp); return; }
    }
  }
  summary(): Summary {
    const out = new Summary(Math.max(this.tail, 1));
    this.makeSummary(out);
    if (this.levels.length === 0) {
      if (out.size <= this.limit) return out;
      const pruned = new Summary(this.limit);
      pruned.setPrune(out, this.limit);
      return pruned;
    }
    const l0 = this.levels[0];
    l0.setPrune(out, this.limit);
    for (let l = 1; l < this.levels.length; l++) {
      const lv = this.levels[l];
      if (lv.size === 0) continue;
      if (l0.size === 0) l0.copyFrom(lv);
      else {
        const merged = new Summary(l0.size + lv.size);
        merged.setCombine(l0, lv);
        l0.setPrune(merged, this.limit);
      }
    }
    const res = new Summary(Math.max(l0.size, 1));
    res.copyFrom(l0);
    return res;
  }
}

/**
 * XGBoost's cuts of one column (upper bin edges, increasing; the last above every value) for maxBin bins; weights
 * |w| (XGBoost would push a negative weight as is; fomlab counts it by its size, as the quantile binning does).
 */
export function sketchCutsOf(x: Float32Array, w: Float32Array | null, maxBin: number): Float32Array {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) n++;
  if (n === 0) return Float32Array.of(f(1e-5 + (Math.abs(1e-5) + 1e-5)));
  const bins = Math.max(1, Math.min(maxBin, n));
  const sketch = new Sketch(limitSize(n, 1 / f(bins * K_FACTOR)));
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i])) sketch.push(x[i], w ? Math.abs(w[i]) : 1);
  const full = sketch.summary();
  const intermediate = Math.min(n, maxBin * K_FACTOR);
  const reduced = new Summary(intermediate);
  reduced.setPrune(full, intermediate);
  const finalBins = Math.min(intermediate, maxBin);
  const a = new Summary(finalBins + 1);
  a.setPrune(reduced, finalBins + 1);
  const cuts: number[] = [];
  for (let i = 1; i < Math.min(a.size, finalBins); i++) if (i === 1 || a.value[i] > cuts[cuts.length - 1]) cuts.push(a.value[i]);
  const top = a.value[a.size - 1];
  cuts.push(f(top + f(Math.abs(top) + f(1e-5))));
  return Float32Array.from(cuts);
}
