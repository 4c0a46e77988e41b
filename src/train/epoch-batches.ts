import type { Rng } from '../core/index.js';
import { nativeBinding } from '../core/kernels/native.js';

function asRows(order: Uint32Array): Int32Array {
  return new Int32Array(order.buffer, order.byteOffset, order.length); // indices < 2³¹: same bits
}

/**
 * The epoch's mini-batches from a random permutation: batch b holds the events at positions
 * [b·size, (b+1)·size) of the permutation (as PyTorch's shuffled DataLoader), listed in ascending
 * event order (a counting sort by batch, O(n)), so the per-batch gathers of features and window
 * entries walk memory forwards. A batch is a set: only the summation order differs.
 */
export function batchRows(perm: Uint32Array, size: number): Int32Array {
  const n = perm.length, nb = Math.ceil(n / size), batchOf = new Int32Array(n);
  for (let k = 0; k < n; k++) batchOf[perm[k]] = (k / size) | 0;
  const fill = new Int32Array(nb);
  for (let b = 0; b < nb; b++) fill[b] = b * size;
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[fill[batchOf[i]]++] = i;
  return rows;
}

/**
 * The epoch's ascending batches from a random permutation, read the other way round: event e goes
 * to batch ⌊perm[e] / size⌋. A uniform permutation's inverse is uniform too, so this is again a
 * uniformly random split into batches of `size` (the last shorter), as PyTorch's shuffled
 * DataLoader draws them; each event's batch comes out in event order, with no scattered pass over
 * the permutation (the addon shuffles the 1-byte batch labels instead of 4-byte event indices).
 * Batch b's events listed ascending at [b·size, …); batchOf receives each event's batch.
 */
export function batchesOfDraws(perm: Uint32Array, size: number, batchOf: Int32Array = new Int32Array(perm.length)): Int32Array {
  const n = perm.length, nb = Math.ceil(n / size);
  const fill = new Int32Array(nb);
  for (let b = 0; b < nb; b++) fill[b] = b * size;
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const b = (perm[i] / size) | 0;
    batchOf[i] = b;
    rows[fill[b]++] = i;
  }
  return rows;
}

const kernel = nativeBinding && typeof nativeBinding.batchOrder === 'function' && typeof nativeBinding.gatherBatches === 'function' ? nativeBinding : null;

/** The addon's batchOrder: the same Fisher–Yates draws from the same xoshiro128** words (ascending: batchesOfDraws); the generator advanced as by rng.permutation. */
function nativeOrder(rng: Rng, n: number, size: number, ascending: boolean, batchOf?: Int32Array, out: Int32Array = new Int32Array(n)): Int32Array {
  const state = rng.getState();
  const words = Int32Array.from(state.slice(0, 4), (w) => w ?? 0);
  kernel!.batchOrder(words, n, size, ascending, out, batchOf);
  rng.setState([...new Uint32Array(words.buffer), state[4]]);
  return out;
}

/**
 * The epoch's order of events: rng.permutation(n), or when `ascending` its batches listed batch by
 * batch in ascending event order (batchesOfDraws). With the addon it is its batchOrder
 * (native/src/batching.cc): the same order and the same generator state after — the shuffle of
 * 2.6 M events took a fifth of a batched Punzi epoch in TypeScript.
 */
export function epochOrder(rng: Rng, n: number, size: number, ascending: boolean): Int32Array {
  if (kernel) return nativeOrder(rng, n, size, ascending);
  const perm = rng.permutation(n);
  return ascending ? batchesOfDraws(perm, size) : asRows(perm);
}

/**
 * An epoch's batches in ascending event order (epochOrder) whose data can be laid out batch by
 * batch: `gather` copies an array's rows into the epoch's order in one sequential pass (each
 * event's batch is known), so a batch's features and window entries are one contiguous slice.
 * Gathering the rows of each batch instead (ascending, ~n/size events apart) cost a cache miss per
 * row in every pass over the batch: the forward, the backward and the Punzi cut (issue 18: the
 * batched Punzi epoch at 3.2× the full-batch one per event).
 */
export class EpochBatches {
  /** each event's batch in the current epoch */
  private readonly batchOf: Int32Array;
  order: Int32Array = new Int32Array(0);

  constructor(readonly n: number, readonly size: number) {
    this.batchOf = new Int32Array(n);
  }

  /**
   * a new epoch: its order (epochOrder with ascending batches), the generator advanced as by
   * rng.permutation(n); with the addon written over the previous epoch's order (one array of n
   * per epoch less for the garbage collector)
   */
  shuffle(rng: Rng): Int32Array {
    const reuse = this.order.length === this.n ? this.order : new Int32Array(this.n);
    this.order = kernel ? nativeOrder(rng, this.n, this.size, true, this.batchOf, reuse) : batchesOfDraws(rng.permutation(this.n), this.size, this.batchOf);
    return this.order;
  }

  /** src's rows (width elements each) in the epoch's order, written into dst (reused from epoch to epoch) */
  gather<T extends Float32Array | Float64Array>(src: T, width: number, dst: T): T {
    if (kernel) {
      kernel.gatherBatches(this.batchOf, this.size, src, width, dst);
      return dst;
    }
    const nb = Math.ceil(this.n / this.size), fill = new Float64Array(nb);
    for (let b = 0; b < nb; b++) fill[b] = b * this.size;
    for (let i = 0; i < this.n; i++) {
      const d = fill[this.batchOf[i]]++ * width;
      for (let j = 0; j < width; j++) dst[d + j] = src[i * width + j];
    }
    return dst;
  }
}
