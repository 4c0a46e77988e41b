// Hypothesis rows of toy events for the gbdt FOM tests.
import type { HypothesisRows } from '../../src/models/gbdt/fom.js';

/** 3 hypotheses over 400 events: signal i of hypothesis i mod 3 (coefficient 1/N_gen), background in two windows each. */
export function rows(n: number): HypothesisRows {
  const H = 3, sig: number[][] = [[], [], []], bkg: number[][] = [[], [], []];
  for (let i = 0; i < n; i++) {
    if (i % 4 === 0) sig[i % 3].push(i);
    else { bkg[i % 3].push(i); bkg[(i + 1) % 3].push(i); }
  }
  const csr = (lists: number[][], coef: (i: number) => number) => {
    const offsets = new Int32Array(H + 1);
    lists.forEach((l, h) => { offsets[h + 1] = offsets[h] + l.length; });
    const events = Int32Array.from(lists.flat());
    return { offsets, events, coef: Float64Array.from(events, coef) };
  };
  const s = csr(sig, () => 1 / 50), b = csr(bkg, (i) => 0.5 + (i % 7) / 10);
  return { nHypotheses: H, sigOffsets: s.offsets, sigEvents: s.events, sigCoef: s.coef, bkgOffsets: b.offsets, bkgEvents: b.events, bkgCoef: b.coef };
}
