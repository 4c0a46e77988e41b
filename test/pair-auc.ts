// Shared by the tests that recount an AUC by hand from saved scores.

/** Σ w_s w_b ([s > b] + ½[s = b]) / (Σ w_s Σ w_b): the weighted AUC by brute-force pairs (small samples); entries are [score, weight] */
export function pairAuc(sig: Array<[number, number]>, bkg: Array<[number, number]>): number {
  let num = 0, ws = 0, wb = 0;
  for (const [, w] of bkg) wb += w;
  for (const [s, v] of sig) {
    ws += v;
    for (const [b, w] of bkg) num += v * w * (s > b ? 1 : s === b ? 0.5 : 0);
  }
  return num / (ws * wb);
}
