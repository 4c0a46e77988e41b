import { rocCurve, type RocCurve } from '../evaluate/roc.js';
import type { SavedSplit } from '../train/test-scores.js';

/**
 * The figures of the mass-strategies comparison (issue 15), computed from a run's saved split
 * (train/test-scores.ts) alone, so that a test can recount them: per hypothesis h the rows of its
 * window — signal generated at h, background — each row's score being the score at h (for a
 * parameterised net the event's copy scored at h).
 */

/** The window of hypothesis h as scored events (weights ≥ 0); null when it has no signal or no background weight. */
function windowEvents(s: SavedSplit, h: number): { output: Float32Array; label: Float32Array; weight: Float32Array } | null {
  const sig = s.signal.events.subarray(s.signal.offsets[h], s.signal.offsets[h + 1]);
  const bkg = s.background.events.subarray(s.background.offsets[h], s.background.offsets[h + 1]);
  const n = sig.length + bkg.length;
  const output = new Float32Array(n), label = new Float32Array(n), weight = new Float32Array(n);
  let ws = 0, wb = 0;
  sig.forEach((r, i) => { output[i] = s.scores[r]; label[i] = 1; weight[i] = Math.max(0, s.weights[r]); ws += weight[i]; });
  bkg.forEach((r, i) => { const k = sig.length + i; output[k] = s.scores[r]; weight[k] = Math.max(0, s.weights[r]); wb += weight[k]; });
  return ws > 0 && wb > 0 ? { output, label, weight } : null;
}

/** The weighted ROC curve in the window of hypothesis h (evaluate/roc.ts), null when it has no signal or background. */
export function windowRoc(s: SavedSplit, h: number): RocCurve | null {
  const ev = windowEvents(s, h);
  return ev ? rocCurve(ev) : null;
}

/**
 * Signal efficiency at background rejection r (within the window): the largest true-positive
 * rate of the ROC curve at a false-positive rate ≤ 1 − r (a threshold that keeps at most that
 * fraction of the window's background weight).
 */
export function efficiencyAtRejection(roc: RocCurve, rejection: number): number {
  const maxFpr = 1 - rejection + 1e-12;
  let eff = 0;
  for (let k = 0; k < roc.fpr.length; k++) if (roc.fpr[k] <= maxFpr && roc.tpr[k] > eff) eff = roc.tpr[k];
  return eff;
}

/** A few points of a ROC curve for a plot: the step's corners at up to `points` false-positive rates (log-spaced above 1e-4). */
export function rocPoints(roc: RocCurve, points = 60): Array<{ fpr: number; tpr: number }> {
  const out: Array<{ fpr: number; tpr: number }> = [];
  let k = 0;
  for (let i = 0; i <= points; i++) {
    const f = i === 0 ? 0 : Math.pow(10, -4 + (4 * i) / points);
    while (k + 1 < roc.fpr.length && roc.fpr[k + 1] <= f) k++;
    out.push({ fpr: f, tpr: roc.tpr[k] });
  }
  return out;
}

export interface BackgroundShape {
  /** background efficiency of the threshold (weighted, all background in the windows) */
  efficiency: number;
  threshold: number;
  /** normalised m_rec spectrum of the passing background, per bin */
  passing: number[];
  /** total-variation distance ½ Σ |passing − all| between the normalised spectra (0: the shape is kept) */
  distance: number;
}

/**
 * Background-shape preservation: each background event of the windows once — the row of the
 * window whose hypothesis is nearest its m_rec (for a parameterised net: the event scored at the
 * hypothesis nearest its reconstructed mass) — and its normalised m_rec spectrum before and after
 * a threshold keeping the fraction `e` of the background weight, for each e (`shapes`); with the
 * `validation` split also after the mass-dependent threshold (`perMass`), which keeps e of each
 * window's validation background, so that the background efficiency is flat in m_rec.
 */
export function backgroundShapes(s: SavedSplit, efficiencies: readonly number[], range: readonly [number, number], bins: number, validation?: SavedSplit): { edges: number[]; all: number[]; shapes: BackgroundShape[]; perMass: BackgroundShape[] } {
  const masses = s.info.hypotheses.map((h) => h.mass);
  const nearest = (m: number): number => {
    let best = 0;
    for (let h = 1; h < masses.length; h++) if (Math.abs(masses[h] - m) < Math.abs(masses[best] - m)) best = h;
    return best;
  };
  /** each background event of a split once, in the window of the hypothesis nearest its m_rec: its row and that window */
  const backgroundRows = (x: SavedSplit): { rows: number[]; windows: number[] } => {
    const rows: number[] = [], windows: number[] = [];
    for (let h = 0; h < masses.length; h++) for (let k = x.background.offsets[h]; k < x.background.offsets[h + 1]; k++) {
      const r = x.background.events[k];
      if (nearest(x.mass[r]) === h && x.weights[r] > 0) { rows.push(r); windows.push(h); }
    }
    return { rows, windows };
  };
  const { rows, windows } = backgroundRows(s);
  const width = (range[1] - range[0]) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => range[0] + i * width);
  const histogram = (pass: (r: number, window: number) => boolean): number[] => {
    const hist = new Array<number>(bins).fill(0);
    let total = 0;
    rows.forEach((r, j) => {
      if (!pass(r, windows[j])) return;
      const b = Math.floor((s.mass[r] - range[0]) / width);
      if (b >= 0 && b < bins) { hist[b] += s.weights[r]; total += s.weights[r]; }
    });
    return hist.map((x) => (total > 0 ? x / total : 0));
  };
  const all = histogram(() => true);
  const shape = (efficiency: number, threshold: number, pass: (r: number, window: number) => boolean): BackgroundShape => {
    const passing = histogram(pass);
    return { efficiency, threshold, passing, distance: passing.reduce((d, p, i) => d + Math.abs(p - all[i]), 0) / 2 };
  };
  const shapes = efficiencies.map((e) => {
    const threshold = thresholdKeeping(rows, s, e);
    return shape(e, threshold, (r) => s.scores[r] >= threshold);
  });
  // the mass-dependent threshold: per hypothesis, the one keeping e of its window's background on the
  // validation split, applied to the test events nearest that hypothesis (flat background efficiency in m_rec)
  const perMass: BackgroundShape[] = [];
  if (validation) {
    const byWindow = masses.map((): number[] => []);
    const v = backgroundRows(validation);
    v.rows.forEach((r, j) => byWindow[v.windows[j]].push(r));
    for (const e of efficiencies) {
      const thresholds = byWindow.map((w) => (w.length ? thresholdKeeping(w, validation, e) : Infinity));
      perMass.push(shape(e, NaN, (r, window) => s.scores[r] >= thresholds[window]));
    }
  }
  return { edges, all, shapes, perMass };
}

/** The score threshold keeping the largest share ≤ e of the rows' weight, highest scores first (Infinity: none). */
function thresholdKeeping(rows: readonly number[], x: SavedSplit, e: number): number {
  const byScore = [...rows].sort((a, b) => x.scores[b] - x.scores[a]);
  const totalWeight = rows.reduce((t, r) => t + x.weights[r], 0);
  let kept = 0, k = 0;
  while (k < byScore.length && kept + x.weights[byScore[k]] <= e * totalWeight) kept += x.weights[byScore[k++]];
  return k > 0 ? x.scores[byScore[k - 1]] : Infinity;
}

/**
 * Interpolation: per held-out mass the value over the geometric mean of its two trained neighbours
 * (m ± step), geometric mean of these ratios over the held-out masses (1: as good as the trained
 * masses around it); null when no held-out mass has two positive neighbours.
 */
export function heldOutOverNeighbours(values: ReadonlyArray<number | null>, heldOut: readonly boolean[]): number | null {
  const logs: number[] = [];
  values.forEach((v, i) => {
    const lo = values[i - 1], hi = values[i + 1];
    if (!heldOut[i] || i === 0 || i === values.length - 1 || heldOut[i - 1] || heldOut[i + 1]) return;
    if (v !== null && lo != null && hi != null && v > 0 && lo > 0 && hi > 0) logs.push(Math.log(v / Math.sqrt(lo * hi)));
  });
  return logs.length ? Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length) : null;
}
