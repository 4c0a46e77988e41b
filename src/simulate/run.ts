/**
 * Runs one job (a signal mass or a background process): collisions → lab → detector →
 * preselection → one row per passing event in the chunk builder.
 */
import type { Rng } from '../core/rng.js';
import { SimRng } from './random.js';
import { type DetectorConfig, RECO_LENGTH, RECO_PL_REL, RECO_PT_DIMUON, RECO_PT_REL, RECO_PT_THRUST, RECO_RECOIL_MASS2, nominalBeams, reconstruct } from './detector.js';
import { TRUTH_LENGTH } from './kinematics.js';
import { type ProcessGenerator, generateCollision } from './process.js';
import { COL, type ChunkBuilder } from './columns.js';
import { runJobNative } from './native.js';

export interface SimulationJob {
  generator: ProcessGenerator;
  /** generated Z′ mass (NaN for background) */
  genMass: number;
  /** collisions to generate */
  trials: number;
  /** event weight for a generator weight of 1 (signal 1; background σ·L_target/N_gen) */
  weightPerUnit: number;
  /** seeds the job's random stream (SimRng) */
  rng: Rng;
  detector: DetectorConfig;
  /**
   * partial unweighting of weighted generators: an event of relative weight w < cap is kept with
   * probability w/cap and weighted cap (default 1, the mean weight)
   */
  unweightCap?: number;
}

/**
 * Generates the job's collisions; yields each chunk the moment it is full. Runs on the C++ twin of this
 * loop when it is built (native.ts: same draws, same events), else on runJobTypeScript.
 */
export function* runJob(job: SimulationJob, builder: ChunkBuilder, onProgress?: (done: number) => void): Generator<Map<string, Float32Array>> {
  yield* runJobNative(job, builder, onProgress) ?? runJobTypeScript(job, builder, onProgress);
}

/** The reference event loop (the C++ one in native/src/simulate.cc is its port). */
export function* runJobTypeScript(job: SimulationJob, builder: ChunkBuilder, onProgress?: (done: number) => void): Generator<Map<string, Float32Array>> {
  const { generator: gen, detector: det } = job;
  const rng = new SimRng(job.rng);
  const beams = nominalBeams(det);
  const ev = new Float64Array(TRUTH_LENGTH);
  const reco = new Float64Array(RECO_LENGTH);
  const scratch = new Float64Array(2);
  const cap = job.unweightCap ?? 1;
  const label = gen.category === 0 ? 1 : 0;
  const progressEvery = 1 << 18;
  const nGen = job.trials, genMass = job.genMass, weightPerUnit = job.weightPerUnit, category = gen.category;
  // the chunk's columns in locals (re-read after each take()): one typed-array store per value
  let c = builder.cols;
  let f1 = c[COL.f1], f2 = c[COL.f2], f3 = c[COL.f3], f4 = c[COL.f4], cm2 = c[COL.m2], cm = c[COL.m];
  let cGen = c[COL.genMass], cLab = c[COL.label], cW = c[COL.weight], cCat = c[COL.category], cN = c[COL.nGen];
  for (let i = 0; i < job.trials; i++) {
    if (onProgress && (i & (progressEvery - 1)) === 0 && i > 0) onProgress(i);
    let w = generateCollision(gen, rng, det, ev, scratch);
    if (w <= 0) continue;
    if (w !== 1 && w < cap) {
      if (rng.u01() * cap >= w) continue;
      w = cap;
    }
    if (!reconstruct(rng, det, beams, ev, reco)) continue;
    const r = builder.row++;
    f1[r] = reco[RECO_PT_THRUST];
    f2[r] = reco[RECO_PT_REL];
    f3[r] = reco[RECO_PL_REL];
    f4[r] = reco[RECO_PT_DIMUON];
    const m2 = reco[RECO_RECOIL_MASS2];
    cm2[r] = m2;
    cm[r] = m2 >= 0 ? Math.sqrt(m2) : -Math.sqrt(-m2);
    cGen[r] = genMass;
    cLab[r] = label;
    cW[r] = w * weightPerUnit;
    cCat[r] = category;
    cN[r] = nGen;
    for (let k = 0; k < 8; k++) c[COL.muPlus + k][r] = reco[k];
    if (builder.full) {
      yield builder.take();
      c = builder.cols;
      f1 = c[COL.f1]; f2 = c[COL.f2]; f3 = c[COL.f3]; f4 = c[COL.f4]; cm2 = c[COL.m2]; cm = c[COL.m];
      cGen = c[COL.genMass]; cLab = c[COL.label]; cW = c[COL.weight]; cCat = c[COL.category]; cN = c[COL.nGen];
    }
  }
}
