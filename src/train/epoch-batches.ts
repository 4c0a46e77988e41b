import type { Rng } from '../core/index.js';
import { nativeBinding } from '../core/kernels/native.js';

/** ⌊x·r / 2³²⌋ exactly for x, r < 2³²: x = xh·2¹⁶ + xl, so x·r / 2³² = (xh·r + xl·r / 2¹⁶) / 2¹⁶ with every product < 2⁴⁹ */
function highWord(x: number, r: number): number {
  const xh = x >>> 16, xl = x & 0xffff;
  return Math.floor((xh * r + Math.floor((xl * r) / 65536)) / 65536);
}

/**
 * Lemire's nearly divisionless bounded integer (Lemire 2019, "Fast random integer generation in an
 * interval", ACM TOMACS 29(1):3, algorithm 5): uniform in [0, range) from one 32-bit draw x as
 * ⌊x·range / 2³²⌋, drawing again while the low word of x·range is below 2³² mod range (the few x
 * that would make some values one draw more likely). Twin of native/src/batching.cc lemireBelow.
 */
export function lemireBelow(rng: Rng, range: number): number {
  let x = rng.nextUint32();
  let low = Math.imul(x, range) >>> 0;
  if (low < range) {
    const t = (4294967296 - range) % range;
    while (low < t) {
      x = rng.nextUint32();
      low = Math.imul(x, range) >>> 0;
    }
  }
  return highWord(x, range);
}

type Labels = Uint8Array | Uint16Array | Int32Array;

/**
 * The slots' batch labels ⌊k/size⌋ shuffled by Fisher–Yates (i = n−1 … 1, j = lemireBelow(i + 1)):
 * event e's batch is label[e], a uniformly random split into batches of `size` (the last shorter),
 * as PyTorch's shuffled DataLoader draws them (a permutation read as batches). One byte per label
 * up to 256 batches, where a permutation of event indices took four: the random swaps stay in cache.
 */
export function shuffledLabels(rng: Rng, n: number, size: number): Labels {
  const nb = Math.ceil(n / size);
  const label = nb <= 256 ? new Uint8Array(n) : nb <= 65536 ? new Uint16Array(n) : new Int32Array(n);
  for (let b = 0; b < nb; b++) label.fill(b, b * size, Math.min(n, (b + 1) * size));
  for (let i = n - 1; i > 0; i--) {
    const j = lemireBelow(rng, i + 1);
    const t = label[i];
    label[i] = label[j];
    label[j] = t;
  }
  return label;
}

/** batch b's events ascending at [b·size, …) of the order, from each event's batch label */
export function ascendingRows(label: ArrayLike<number>, size: number): Int32Array {
  const order = new Int32Array(label.length);
  layOutEpoch(label, size, order, []);
  return order;
}

/** an array laid out with each epoch's order: src's rows (width elements) into dst */
export interface Follower {
  src: Float32Array | Float64Array;
  width: number;
  dst: Float32Array | Float64Array;
}

/**
 * The TypeScript twin of the addon's batchLayout pass: event i (in event order) to the next place of
 * its batch (order[place] = i, batch b from b·size on), each follower's row i to the same place of its dst.
 */
export function layOutEpoch(label: ArrayLike<number>, size: number, order: Int32Array, followers: readonly Follower[]): void {
  const n = label.length, nb = Math.ceil(n / size), fill = new Float64Array(nb);
  for (let b = 0; b < nb; b++) fill[b] = b * size;
  for (let i = 0; i < n; i++) {
    const at = fill[label[i]]++;
    order[at] = i;
    for (const { src, width, dst } of followers) for (let j = 0; j < width; j++) dst[at * width + j] = src[i * width + j];
  }
}

const kernel = nativeBinding && typeof nativeBinding.batchOrder === 'function' && typeof nativeBinding.batchLayout === 'function' ? nativeBinding : null;

/** the generator's xoshiro128** words as the addon takes them */
function wordsOf(rng: Rng): Int32Array {
  return Int32Array.from(rng.getState().slice(0, 4), (w) => w ?? 0);
}

/** runs an addon call on the generator's xoshiro128** words and advances the generator as the call advanced them */
function withWords(rng: Rng, call: (words: Int32Array) => void): void {
  const words = wordsOf(rng);
  call(words);
  setWords(rng, words);
}

function setWords(rng: Rng, words: Int32Array): void {
  rng.setState([...new Uint32Array(words.buffer, words.byteOffset, 4), rng.getState()[4]]);
}

/**
 * The epoch's order of events: rng.permutation(n), or when `ascending` its batches listed batch by
 * batch in ascending event order (EpochBatches.shuffle: shuffledLabels, then ascendingRows). With
 * the addon the same order from the same draws (native/src/batching.cc batchOrder, batchLayout).
 */
export function epochOrder(rng: Rng, n: number, size: number, ascending: boolean): Int32Array {
  if (ascending) return new EpochBatches(n, size).shuffle(rng);
  if (!kernel) {
    const perm = rng.permutation(n);
    return new Int32Array(perm.buffer, perm.byteOffset, perm.length); // indices < 2³¹: same bits
  }
  const out = new Int32Array(n);
  withWords(rng, (words) => kernel.batchOrder(words, n, out));
  return out;
}

/** a followed array: its rows laid out by each shuffle into bufs[cur]; the other buffer takes the next epoch laid out ahead */
interface Followed {
  src: Float32Array | Float64Array;
  width: number;
  bufs: [Float32Array | Float64Array, Float32Array | Float64Array | null];
  cur: 0 | 1;
  /** the last shuffle that laid it out */
  epoch: number;
}

/** the buffer of a followed array that holds the current epoch (the other one is made before cur turns to it) */
const current = (f: Followed): Float32Array | Float64Array => f.bufs[f.cur] ?? f.bufs[0];

/** the next epoch being laid out on the addon's background thread (prefetch) */
interface Ahead {
  job: unknown;
  /** the generator's words it started from */
  from: Int32Array;
  order: Int32Array;
  followers: Followed[];
}

/**
 * An epoch's batches in ascending event order whose data is laid out batch by batch: an array
 * gathered once (`gather`) follows the epoch from then on, and each `shuffle` copies its rows into
 * the new order in the same sequential pass that lists the batches (one pass for the order, the
 * features and the Punzi table's entries, where a pass per array re-read each event's batch), so a
 * batch's features and window entries are one contiguous slice. Gathering each batch's rows
 * instead (ascending, ~n/size rows apart) cost a cache miss per row in every pass over the batch.
 * With the addon, `prefetch` lays the next epoch out on a thread of its own while the current
 * epoch trains (the draws depend only on the generator, not on the weights): `shuffle` takes it
 * when the generator is still where it started, else lays the epoch out itself — the same numbers
 * either way. A followed array is read when its epoch is laid out: change it before `shuffle` and
 * not after `prefetch`.
 */
export class EpochBatches {
  order: Int32Array = new Int32Array(0);
  private spareOrder: Int32Array | null = null;
  private readonly followers: Followed[] = [];
  private epoch = 0;
  private ahead: Ahead | null = null;

  constructor(readonly n: number, readonly size: number) {}

  /**
   * a new epoch: its order (shuffledLabels, then ascendingRows) and the followed arrays laid out in
   * it (the addon's batchLayout makes the same draws and layout), or the epoch laid out ahead
   */
  shuffle(rng: Rng): Int32Array {
    if (this.takeAhead(rng)) return this.order;
    const order = this.order.length === this.n ? this.order : new Int32Array(this.n);
    const dsts = this.followers.map(current);
    if (kernel) {
      withWords(rng, (words) => kernel.batchLayout(words, this.n, this.size, order, this.followers.flatMap((f, k) => [f.src, f.width, dsts[k]])));
    } else layOutEpoch(shuffledLabels(rng, this.n, this.size), this.size, order, this.followers.map((f, k) => ({ src: f.src, width: f.width, dst: dsts[k] })));
    this.order = order;
    this.epoch++;
    for (const f of this.followers) f.epoch = this.epoch;
    return order;
  }

  /**
   * starts laying out the next epoch on the addon's background thread, from the generator's
   * current state (not advanced: `shuffle` advances it when it takes the layout); nothing without the addon
   */
  prefetch(rng: Rng): void {
    if (!kernel?.batchLayoutStart || this.ahead || this.order.length !== this.n) return;
    const order = this.spareOrder ?? new Int32Array(this.n);
    const followers = [...this.followers];
    const follow = followers.flatMap((f) => {
      const other = (f.bufs[1 - f.cur] ??= f.src instanceof Float32Array ? new Float32Array(f.bufs[0].length) : new Float64Array(f.bufs[0].length));
      return [f.src, f.width, other];
    });
    const from = wordsOf(rng);
    this.ahead = { job: kernel.batchLayoutStart(from, this.n, this.size, order, follow), from, order, followers };
  }

  /** the layout of prefetch when the generator and the followers are as it started; else it is waited for and dropped */
  private takeAhead(rng: Rng): boolean {
    const a = this.ahead;
    if (!a) return false;
    this.ahead = null;
    const after = new Int32Array(4);
    kernel!.batchLayoutJoin!(a.job, after);
    const now = wordsOf(rng);
    if (!now.every((w, k) => w === a.from[k]) || a.followers.length !== this.followers.length) {
      this.spareOrder = a.order;
      return false;
    }
    setWords(rng, after);
    this.spareOrder = this.order;
    this.order = a.order;
    this.epoch++;
    for (const f of this.followers) {
      f.cur = f.cur === 0 ? 1 : 0;
      f.epoch = this.epoch;
    }
    return true;
  }

  /** waits for a layout started by prefetch and drops it (the end of a stage) */
  close(): void {
    const a = this.ahead;
    this.ahead = null;
    if (a) kernel!.batchLayoutJoin!(a.job, new Int32Array(4));
  }

  /**
   * src's rows (width elements each) in the epoch's order: returns the array that holds them, dst
   * or the buffer that alternates with it (reused from epoch to epoch); src follows the epoch from
   * now on, so from the next shuffle on its rows are already there
   */
  gather<T extends Float32Array | Float64Array>(src: T, width: number, dst: T): T {
    const f = this.followers.find((g) => g.bufs[0] === dst || g.bufs[1] === dst);
    if (f && f.src === src && f.width === width && f.epoch === this.epoch) return current(f) as T;
    if (dst.length < this.n * width || src.length < this.n * width) throw new RangeError(`EpochBatches.gather: src and dst need ${this.n}·${width} elements`);
    const out = (f ? current(f) : dst) as T, order = this.order;
    for (let k = 0; k < this.n; k++) for (let j = 0; j < width; j++) out[k * width + j] = src[order[k] * width + j];
    if (f) Object.assign(f, { src, width, epoch: this.epoch });
    else this.followers.push({ src, width, bufs: [dst, null], cur: 0, epoch: this.epoch });
    return out;
  }
}
