/**
 * Recycled float buffers of this thread (each worker thread has its own): big arrays whose size repeats every batch —
 * a batch's output and the gradients that flow through it — are handed back here when provably dead and handed
 * out again instead of a new allocation. Fewer new ArrayBuffers means fewer of the garbage collections V8 starts on
 * external-memory growth; those run partly on V8's helper threads, beside an ensemble's workers (issue 18).
 *
 * Ownership is exclusive: a buffer in the pool belongs to nobody; `takeFloat` removes it. Only code that knows no
 * one else holds an array may `recycleFloat` it (Tensor.backward for the gradients it drops, the trainer for a
 * batch's output after the step). Only arrays takeFloat made enter the pool (never views, shared memory or a model's
 * own buffers), and no small ones.
 */
import type { FloatArray } from './kernels/index.js';

/** smaller arrays are cheap for V8 (young generation) and not worth keeping */
const MIN_BYTES = 16 * 1024;
/** at most this many free buffers of one size and this many bytes in all */
const MAX_PER_SIZE = 4;
const MAX_BYTES = 96 * 1024 * 1024;

const free = new Map<number, FloatArray[]>();
/** the pool-sized arrays takeFloat handed out: only they may come back (a model's own workspace never enters the pool) */
const ours = new WeakSet<FloatArray>();
let pooled = 0;
let reused = 0;
let enabled = true;

const keyOf = (wide: boolean, n: number): number => 2 * n + (wide ? 1 : 0);

/** A float array of n elements (zeros when `zero`; else its values are arbitrary and the caller overwrites them all). */
export function takeFloat(dtype: 'float32' | 'float64', n: number, zero = true): FloatArray {
  const list = free.get(keyOf(dtype === 'float64', n));
  const a = list?.pop();
  if (a === undefined) {
    const fresh = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
    if (fresh.byteLength >= MIN_BYTES) ours.add(fresh);
    return fresh;
  }
  pooled -= a.byteLength;
  reused++;
  if (zero) a.fill(0);
  return a;
}

/** Hands a dead array from takeFloat back (no-op for other arrays, small ones, a full pool or an array already in it). */
export function recycleFloat(a: FloatArray): void {
  if (!enabled || !ours.has(a)) return;
  if (pooled + a.byteLength > MAX_BYTES) return;
  const key = keyOf(a instanceof Float64Array, a.length);
  let list = free.get(key);
  if (list === undefined) free.set(key, (list = []));
  if (list.length >= MAX_PER_SIZE || list.includes(a)) return;
  list.push(a);
  pooled += a.byteLength;
}

/** Buffers handed out again so far and bytes now waiting in the pool (tests, benchmarks). */
export function recycleStats(): { reused: number; pooledBytes: number } {
  return { reused, pooledBytes: pooled };
}

/** Empties the pool (its arrays go to the garbage collector); `keep: false` also stops pooling until called with true (tests: every array new). */
export function clearRecycled(keep = true): void {
  free.clear();
  pooled = 0;
  enabled = keep;
}
