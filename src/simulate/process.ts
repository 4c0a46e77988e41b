/**
 * What every process generator provides, and the common path of one collision: sample the true
 * beam energies, generate the final state in the CM frame of that collision, boost it to the lab.
 */
import type { SimRng } from './random.js';
import { type DetectorConfig, sampleCollision } from './detector.js';
import type { NativeGeneratorSettings } from './native.js';
import { SLOT_INITIAL, SLOT_INVISIBLE, SLOT_LOST, SLOT_MU_MINUS, SLOT_MU_PLUS, SLOT_SCRATCH, SLOT_SCRATCH2, boostZ } from './kinematics.js';

/** Process ids written to the `category` column. */
export const CATEGORY = { signal: 0, mumuGamma: 1, tauTau: 2, eeMuMu: 3 } as const;
export const CATEGORY_NAMES = ['signal', 'mumu_gamma', 'tautau', 'eemumu'] as const;

export interface ProcessGenerator {
  /** process id (CATEGORY) */
  readonly category: number;
  readonly name: string;
  /**
   * Fills the truth buffer with the final state in the CM frame of the collision (e⁻ beam along
   * +z) and returns the event's relative weight w ≥ 0, normalised so that σ of the sampled region
   * times the mean of w·(passes) is the cross-section of passing events; 0 means vetoed.
   */
  generateCM(rng: SimRng, sqrtS: number, ev: Float64Array): number;
  /** optional veto applied in the lab frame (e.g. a beam-pipe electron that reached the tracker) */
  vetoLab?(ev: Float64Array, det: DetectorConfig): boolean;
  /** the fields of this generator's C++ twin (native.ts); absent or null: the TypeScript loop runs it */
  nativeSettings?(): NativeGeneratorSettings | null;
}

const LAB_SLOTS = [SLOT_MU_PLUS, SLOT_MU_MINUS, SLOT_INVISIBLE, SLOT_LOST, SLOT_SCRATCH, SLOT_SCRATCH2];

/** One collision in the lab frame; returns the generator's weight (0 if vetoed). */
export function generateCollision(gen: ProcessGenerator, rng: SimRng, det: DetectorConfig, ev: Float64Array, scratch: Float64Array): number {
  const sqrtS = sampleCollision(rng, det, ev, scratch);
  const beta = scratch[0];
  for (let k = SLOT_MU_PLUS; k < ev.length; k++) ev[k] = 0; // (inline stores: cheaper than fill())
  const w = gen.generateCM(rng, sqrtS, ev);
  if (!(w > 0)) return 0;
  const gamma = ev[SLOT_INITIAL] / sqrtS; // γ = E/√s of the initial state
  for (const o of LAB_SLOTS) boostZ(ev, o, beta, gamma);
  if (gen.vetoLab && gen.vetoLab(ev, det)) return 0;
  return w;
}
