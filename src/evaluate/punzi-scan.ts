import { type Column, argsortDescendingExact } from '../physics/ordering.js';
import { punziFom } from '../physics/fom.js';
import type { WindowIncidence } from '../physics/windows.js';

/**
 * The seed paper's fig. 3: per hypothesis the largest Punzi figure of merit ε/(a/2 + √B) over
 * the cut on the output (pass: output ≥ cut), ε = selected signal of h in its window / generated
 * at h, B = weighted background in the window. As for σ_min the best cut sits at a signal output
 * (raising the cut between two signal outputs only removes background), so every distinct signal
 * output is tried. Hypotheses without signal give FOM 0 and cut NaN.
 */
export interface PunziScan {
  fom: Float64Array;
  cut: Float64Array;
  efficiency: Float64Array;
  background: Float64Array;
}

export function maxPunziFom(output: Column, weight: Column | null, inc: WindowIncidence, a = 3): PunziScan {
  const H = inc.nHypotheses;
  const res: PunziScan = { fom: new Float64Array(H), cut: new Float64Array(H).fill(NaN), efficiency: new Float64Array(H), background: new Float64Array(H) };
  for (let h = 0; h < H; h++) {
    const sig = argsortDescendingExact(output, inc.signal.events.subarray(inc.signal.offsets[h], inc.signal.offsets[h + 1]));
    const bg = argsortDescendingExact(output, inc.background.events.subarray(inc.background.offsets[h], inc.background.offsets[h + 1]));
    const nGen = inc.nGenerated[h];
    let i = 0, j = 0, S = 0, B = 0;
    while (i < sig.length) {
      const c = output[sig[i]];
      while (i < sig.length && output[sig[i]] === c) { S++; i++; }
      for (; j < bg.length && output[bg[j]] >= c; j++) B += weight ? weight[bg[j]] : 1;
      const eff = nGen > 0 ? S / nGen : 0;
      const f = punziFom(eff, B, a);
      if (f > res.fom[h]) { res.fom[h] = f; res.cut[h] = c; res.efficiency[h] = eff; res.background[h] = B; }
    }
  }
  return res;
}
