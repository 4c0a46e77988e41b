/**
 * The simulator's random stream: xoshiro128** (Blackman & Vigna 2018, the algorithm of
 * core/rng.ts) with its state in int32 fields of one monomorphic class, so V8 inlines the draws
 * into the generators, plus 32-bit uniforms and a polar Box–Muller normal built on them.
 * Seeded from four draws of a project Rng (one per job), so a seed still fixes every event.
 */
import type { Rng } from '../core/rng.js';

const TWO_M32 = 2.3283064365386963e-10; // 2⁻³²

export class SimRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: Rng) {
    this.s0 = seed.nextUint32() | 0;
    this.s1 = seed.nextUint32() | 0;
    this.s2 = seed.nextUint32() | 0;
    this.s3 = seed.nextUint32() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** next 32 random bits as a signed int32 */
  private next(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform in (0, 1) from 32 bits: never exactly 0 or 1 (safe under log). */
  u01(): number {
    return ((this.next() >>> 0) + 0.5) * TWO_M32;
  }

  /** Standard normal (Marsaglia polar method; the second value of each pair is kept). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.u01() - 1;
      v = 2 * this.u01() - 1;
      s = u * u + v * v;
    } while (s >= 1);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}
