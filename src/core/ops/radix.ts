/**
 * The positions that sort plain numbers, stable (ties in index order; −0 = +0), ascending unless
 * `descending` — the same order as argsort() in O(n): an LSD radix sort on the float64 bits (4
 * passes of 16 bits; a pass whose digit is the same for every value is skipped, e.g. the low word of
 * float32 values). For the Lovász loss's sorted errors and the DisCo kernel's ranks, where a
 * comparison sort of 10⁶ events costs more than the rest of the loss.
 */
export function radixOrder(v: ArrayLike<number>, descending = false): Int32Array {
  const n = v.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = v[i] === 0 ? 0 : v[i];
  const u = new Uint32Array(f.buffer);
  const lo = new Uint32Array(n), hi = new Uint32Array(n);
  const flip = descending ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) {
    // order-preserving key: negative values flip every bit, the others only the sign bit
    let h = u[2 * i + 1], l = u[2 * i];
    if (h & 0x80000000) { h = ~h; l = ~l; } else h |= 0x80000000;
    hi[i] = (h ^ flip) >>> 0;
    lo[i] = (l ^ flip) >>> 0;
  }
  let order = new Int32Array(n), next = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi, shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((word[i] >>> shift) & 0xffff) + 1]++;
    if (n === 0 || count[((word[0] >>> shift) & 0xffff) + 1] === n) continue; // one digit for all: order unchanged
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      next[count[(word[i] >>> shift) & 0xffff]++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}
