/**
 * The C++ twin of the event loop (native/src/simulate.cc, a line-by-line port of run.ts, process.ts,
 * detector.ts and the four generators): ≈ 2× the collisions per second of the TypeScript, which stays the
 * reference and the fallback (no addon, FOMLAB_KERNELS=typescript, or a user's own ProcessGenerator).
 * Both draw from the same xoshiro128** state in the same order, so a seed gives the same events on either
 * path up to the last bits of libm's exp/log (test/simulate/native.test.ts compares them event by event).
 */
import { nativeBinding } from '../core/kernels/native.js';
import { COL, type ChunkBuilder } from './columns.js';
import { type DetectorConfig, nominalBeams } from './detector.js';
import { SimRng, ZIG_F, ZIG_K, ZIG_W } from './random.js';
import type { ProcessGenerator } from './process.js';
import type { SimulationJob } from './run.js';

/** What a generator hands the C++ loop: its process id and the fields its C++ twin reads (the rest 0). */
export interface NativeGeneratorSettings {
  /** CATEGORY of the process (0 signal, 1 μμγ, 2 ττ, 3 eeμμ) */
  kind: number;
  /** 1: the truth pre-checks (hopelessCm) are on */
  hasDetector: number;
  [field: string]: number;
}

/** every generator field simulate_napi.cc reads, 0 unless the generator sets it */
const GENERATOR_FIELDS = [
  'zprimeMass', 'photonEnergyMin', 'cosThetaMin', 'cosThetaMax', 'betaE', 'wMin', 'rapidityMax', 'leptonAngleMax', 'boostBeta',
  'bandR', 'cosEclMinus', 'cosEclPlus', 'cotRecoilLo', 'cotRecoilHi', 'gammaCm', 'rawNorm', 'logThetaMax2', 'edgeMinus', 'edgePlus',
  'logEdgeMinus2', 'logEdgePlus2', 'cap', 'importance', 'restrictAcceptance',
] as const;

const binding = nativeBinding && typeof nativeBinding.simulateRun === 'function' ? nativeBinding : null;

/** true when the C++ event loop is built and not switched off (FOMLAB_KERNELS=typescript) */
export const nativeSimulatorAvailable = binding !== null;

/** The settings object of a job for the C++ loop (detector, nominal beams, generator, ziggurat tables). */
export function jobSettings(gen: NativeGeneratorSettings, det: DetectorConfig, weightPerUnit: number, unweightCap: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...det, ...nominalBeams(det), weightPerUnit, unweightCap, zigK: ZIG_K, zigW: ZIG_W, zigF: ZIG_F };
  for (const f of GENERATOR_FIELDS) out[f] = 0;
  return Object.assign(out, gen);
}

/** Σ of TwoPhotonMuMu's raw weights over n points (its integrate()) in C++, or null without the addon. */
export function twoPhotonWeightSumNative(gen: NativeGeneratorSettings, det: DetectorConfig, rng: SimRng, n: number, sqrtS: number): number | null {
  if (!binding) return null;
  const state = new Int32Array(4);
  rng.saveState(state);
  const sum = binding.twoPhotonWeightSum(jobSettings(gen, det, 0, 0), state, n, sqrtS);
  rng.loadState(state);
  return sum;
}

/** Columns the C++ loop writes, in the order of SimColumn (simulate.h); the others are constant per job. */
const WRITTEN = [COL.f1, COL.f2, COL.f3, COL.f4, COL.m2, COL.m, COL.weight, ...Array.from({ length: 8 }, (_, k) => COL.muPlus + k)];

/**
 * run.ts's runJob on the C++ loop: collisions in slices (a progress report after each), each slice
 * stopping early when the chunk is full; the job's constant columns are filled here. null when the
 * addon is missing or the generator has no C++ twin.
 */
export function runJobNative(job: SimulationJob, builder: ChunkBuilder, onProgress?: (done: number) => void): Generator<Map<string, Float32Array>> | null {
  if (!binding || !runsAsPorted(job.generator)) return null;
  const gen = job.generator.nativeSettings?.();
  return gen ? loop(job, gen, builder, onProgress) : null;
}

/**
 * The C++ twin runs the physics of the class that defines nativeSettings: a subclass (or an instance)
 * that replaces generateCM or vetoLab without its own nativeSettings runs on the TypeScript loop.
 */
function runsAsPorted(gen: ProcessGenerator): boolean {
  let proto: object | null = Object.getPrototypeOf(gen) as object | null;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'nativeSettings')) proto = Object.getPrototypeOf(proto) as object | null;
  if (!proto) return false;
  const ported = proto as Partial<ProcessGenerator>;
  return gen.generateCM === ported.generateCM && gen.vetoLab === ported.vetoLab;
}

function* loop(job: SimulationJob, gen: NativeGeneratorSettings, builder: ChunkBuilder, onProgress?: (done: number) => void): Generator<Map<string, Float32Array>> {
  const settings = jobSettings(gen, job.detector, job.weightPerUnit, job.unweightCap ?? 1);
  const state = new Int32Array(4);
  new SimRng(job.rng).saveState(state);
  const label = job.generator.category === 0 ? 1 : 0;
  const slice = 1 << 18;
  let done = 0;
  while (done < job.trials) {
    const c = builder.cols;
    const start = builder.row;
    const [consumed, row] = (binding as NonNullable<typeof binding>).simulateRun(settings, state, Math.min(slice, job.trials - done), WRITTEN.map((j) => c[j]), start, builder.size);
    c[COL.genMass].fill(job.genMass, start, row);
    c[COL.label].fill(label, start, row);
    c[COL.category].fill(job.generator.category, start, row);
    c[COL.nGen].fill(job.trials, start, row);
    builder.row = row;
    done += consumed;
    if (onProgress && done < job.trials) onProgress(done);
    if (builder.full) yield builder.take();
  }
}
