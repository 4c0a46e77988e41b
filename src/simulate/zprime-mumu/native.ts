/**
 * The C++ twin of the zprime-mumu event loop (native/src/simulate_mumu.cc with sim_mumu.h: a line-by-line port
 * of index.ts's loop, processes.ts, material.ts, bethe-heitler.ts and reconstruct.ts). The TypeScript stays the
 * reference and the fallback (no addon, or FOMLAB_KERNELS=typescript). Both draw from the same xoshiro128**
 * state in the same order, so a seed gives the same rows on either path (test/simulate/zprime-mumu-native.test.ts
 * compares every float32 column).
 */
import { FomlabError } from '../../core/errors.js';
import { nativeBinding } from '../../core/kernels/native.js';
import type { ChunkBuffer } from '../output.js';
import { type DetectorConfig, nominalBeams } from '../detector.js';
import { SimRng, ZIG_F, ZIG_K, ZIG_W } from '../random.js';

/** What a process hands the C++ loop (MumuJobArgs of simulate_mumu.h; fields a process does not use are 0 or empty). */
export interface MumuNativeSettings {
  /** MUMU_CATEGORY of the process */
  kind: number;
  zprimeMass: number;
  radiatorMass: number;
  /** the four-lepton processes' tabulated γ* spectrum */
  spectrumPoints: number;
  lnM2: Float64Array;
  cdf: Float64Array;
  /** the conversions: atanh(c₀) and the material (11 numbers per layer: radius, x0Fraction, Z, A, X₀, then BheConstants) */
  atanhMax: number;
  nLayers: number;
  layers: Float64Array;
  kTable: Float64Array;
  tablePoints: number;
  lnE0: number;
  dLnE: number;
}

/** a settings object with every field of MumuNativeSettings empty */
export function emptyMumuSettings(kind: number): MumuNativeSettings {
  const none = new Float64Array(0);
  return { kind, zprimeMass: 0, radiatorMass: 0, spectrumPoints: 0, lnM2: none, cdf: none, atanhMax: 0, nLayers: 0, layers: none, kTable: none, tablePoints: 0, lnE0: 0, dLnE: 0 };
}

const binding = nativeBinding && typeof nativeBinding.simulateMumuRun === 'function' ? nativeBinding : null;

/** true when the C++ zprime-mumu loop is built and not switched off (FOMLAB_KERNELS=typescript) */
export const nativeMumuAvailable = binding !== null;

/** 2²⁴: the largest count a float32 column numbers exactly (index.ts) */
export const MAX_EVENT_NUMBER = 16_777_216;

export function tooManyEvents(): FomlabError {
  return new FomlabError(`simulate --channel zprime-mumu: more than ${MAX_EVENT_NUMBER} selected events: the float32 column 'event' would no longer number them exactly; generate fewer`);
}

/** One job's rows as the TypeScript loop writes them (index.ts), the per-job values of its rows. */
export interface MumuJobRows {
  settings: MumuNativeSettings;
  trials: number;
  weightPerUnit: number;
  genMass: number;
  label: number;
  category: number;
  rng: SimRng;
}

/**
 * The job's collisions on the C++ loop, in slices of 2¹⁸ (`onProgress(done)` after each), into `buf`; a full
 * chunk is yielded, an event's rows that overflow it start the next one. `counter.event` numbers the selected
 * events across jobs.
 */
export function* runMumuJobNative(job: MumuJobRows, det: DetectorConfig, buf: ChunkBuffer, withVectors: boolean, counter: { event: number }, onProgress?: (done: number) => void): Generator<Map<string, Float32Array>> {
  const b = binding as NonNullable<typeof binding>;
  const settings = {
    ...det, ...nominalBeams(det), zigK: ZIG_K, zigW: ZIG_W, zigF: ZIG_F, ...job.settings,
    weightPerUnit: job.weightPerUnit, genMass: job.genMass, label: job.label, category: job.category, nGen: job.trials, muonFourVectors: withVectors ? 1 : 0,
  };
  const state = new Int32Array(4);
  job.rng.saveState(state);
  const ncols = buf.cols.length;
  const overflow = new Float32Array(3 * ncols);
  const run = new Float64Array(3);
  const slice = 1 << 18;
  let done = 0;
  while (done < job.trials) {
    run[0] = buf.row; run[1] = counter.event; run[2] = MAX_EVENT_NUMBER;
    const [consumed, row, event, stopped] = b.simulateMumuRun!(settings, state, Math.min(slice, job.trials - done), buf.cols, overflow, buf.size, run) as [number, number, number, number];
    if (stopped) throw tooManyEvents();
    counter.event = event;
    done += consumed;
    buf.row = Math.min(row, buf.size);
    if (buf.row === buf.size) yield buf.take();
    for (let r = 0; r < row - buf.size; r++) {
      for (let j = 0; j < ncols; j++) buf.cols[j][buf.row] = overflow[r * ncols + j];
      if (buf.next()) yield buf.take();
    }
    if (onProgress && done < job.trials) onProgress(done);
  }
  job.rng.loadState(state);
}
