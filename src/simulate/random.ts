/**
 * The simulator's random stream: xoshiro128** (Blackman & Vigna 2018, the algorithm of
 * core/rng.ts) with its state in int32 fields of one monomorphic class, so V8 inlines the draws
 * into the generators, plus 32-bit uniforms and a ziggurat normal built on them.
 * Seeded from four draws of a project Rng (one per job), so a seed still fixes every event.
 */
import type { Rng } from '../core/rng.js';

const TWO_M32 = 2.3283064365386963e-10; // 2⁻³²

/**
 * Ziggurat tables for the standard normal, 128 layers (Marsaglia & Tsang, J. Stat. Softw. 5 (2000)
 * issue 8, routine zigset): base-strip edge R and common layer area V. A draw takes the layer from
 * the low 7 bits of one 32-bit word and a signed 25-bit abscissa from the other 25 bits, so the
 * two never share bits (the correlation Doornik, 2005, pointed out in the original).
 */
const ZIG_R = 3.442619855899;
const ZIG_V = 9.91256303526217e-3;
const ZIG_M = 2 ** 24; // |abscissa| < 2²⁴
/** the tables (also handed to the C++ twin, native/src/simulate.cc, so both draw the same normals) */
export const ZIG_K = new Int32Array(128);
export const ZIG_W = new Float64Array(128);
export const ZIG_F = new Float64Array(128);
{
  let dn = ZIG_R, tn = dn;
  const q = ZIG_V / Math.exp(-0.5 * dn * dn);
  ZIG_K[0] = Math.floor((dn / q) * ZIG_M);
  ZIG_K[1] = 0;
  ZIG_W[0] = q / ZIG_M;
  ZIG_W[127] = dn / ZIG_M;
  ZIG_F[0] = 1;
  ZIG_F[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIG_V / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_K[i + 1] = Math.floor((dn / tn) * ZIG_M);
    tn = dn;
    ZIG_F[i] = Math.exp(-0.5 * dn * dn);
    ZIG_W[i] = dn / ZIG_M;
  }
}

/**
 * Largest |normal()|: the tail returns R + t, t = −ln(u)/R with u ≥ 2⁻³³ (u01's smallest value),
 * so |x| ≤ R + 33 ln2/R ≈ 10.09; the strips and wedges stay below R. Detector pre-checks use it
 * to bound the smearing.
 */
export const NORMAL_MAX = ZIG_R + (33 * Math.LN2) / ZIG_R;

export class SimRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: Rng) {
    this.s0 = seed.nextUint32() | 0;
    this.s1 = seed.nextUint32() | 0;
    this.s2 = seed.nextUint32() | 0;
    this.s3 = seed.nextUint32() | 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The generator's state, e.g. for the C++ twin of the event loop (which hands it back advanced). */
  saveState(out: Int32Array): void {
    out[0] = this.s0;
    out[1] = this.s1;
    out[2] = this.s2;
    out[3] = this.s3;
  }

  loadState(s: Int32Array): void {
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
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

  /** Standard normal: ziggurat (tables above); ≈ 99 % of draws take one word and no function call. */
  normal(): number {
    const u = this.next();
    const i = u & 127;
    const j = u >> 7; // signed 25 bits
    if ((j < 0 ? -j : j) < ZIG_K[i]) return j * ZIG_W[i];
    return this.normalSlow(u);
  }

  /** The ziggurat's rare branches (zigset's nfix): the tail beyond R and the wedges. */
  private normalSlow(u: number): number {
    for (;;) {
      const i = u & 127;
      const j = u >> 7;
      const x = j * ZIG_W[i];
      if (i === 0) {
        // tail |x| > R (Marsaglia 1964): x = −ln(u₁)/R, accept if −2 ln u₂ > x²
        let t: number, y: number;
        do {
          t = -Math.log(this.u01()) / ZIG_R;
          y = -Math.log(this.u01());
        } while (y + y < t * t);
        return j >= 0 ? ZIG_R + t : -ZIG_R - t;
      }
      if (ZIG_F[i] + this.u01() * (ZIG_F[i - 1] - ZIG_F[i]) < Math.exp(-0.5 * x * x)) return x;
      u = this.next();
      const i2 = u & 127;
      const j2 = u >> 7;
      if ((j2 < 0 ? -j2 : j2) < ZIG_K[i2]) return j2 * ZIG_W[i2];
    }
  }
}
