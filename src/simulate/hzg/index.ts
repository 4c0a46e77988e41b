/**
 * fomlab's second built-in data set: the H → Zγ → ℓℓγ (ℓ = e, μ) resonance search of the event
 * classifier transformer study (J. Kim, arXiv:2401.00428), pp at √s = 13 TeV, 138 fb⁻¹.
 *
 * Processes (category column): 0 gg → H → Zγ → ℓℓγ; 1 qq̄ → Zγ with the photon from the initial
 * state (ISR); 2 the same with the photon from a lepton (FSR). Generators: generator.ts; detector,
 * selection and the 15 features: detector.ts; every approximation with its source:
 * docs/hzg-simulation.md.
 *
 * Weights (the study's normalisation): each process's generated sample stands for its
 * cross-section, w = σ·L/N_gen with N_gen the events generated (column `n_gen`), so the weights of
 * all generated events sum to σ·L and Σ_selected w = σ·L·ε. Signal σ_H·B(H → Zγ → ℓℓγ) = 7.52 fb;
 * background σ_Zγ = 55.5 pb shared between ISR and FSR by `fsrFraction` (the study gives σ but
 * not its generator cuts: here it is the cross-section of the generated phase space,
 * 95 < m_ℓℓγ < 190 GeV, m_ℓℓ > 50 GeV, E_γ > 0.1 m_ℓℓγ in the ℓℓγ frame).
 */
import { FomlabError } from '../../core/errors.js';
import { type Progress, progressBar } from '../../core/progress.js';
import { Rng } from '../../core/rng.js';
import { EventTable } from '../../data/table.js';
import { ChunkBuffer, concatenateChunks, writeChunkStream } from '../output.js';
import { SimRng } from '../random.js';
import {
  type DecayAngles, GGF_SHAPE, HZG_TRUTH_LENGTH, QQ_SHAPE, type SystemShape, buildEvent, drawFsrAngles, drawIsrAngles, drawSignalAngles,
} from './generator.js';
import { ELECTRON, HZG_FEATURE_COLUMNS, HZG_RECO_LENGTH, MUON, RECO_LLG_MASS, RECO_LL_MASS, reconstructHzg } from './detector.js';

export { HZG_FEATURE_COLUMNS, HZG_MASS_CORRELATED, HZG_SELECTION } from './detector.js';

export const HZG_CATEGORY_NAMES = ['h_zgamma', 'zgamma_isr', 'zgamma_fsr'] as const;

export const HZG_COLUMN_NAMES = [
  ...HZG_FEATURE_COLUMNS,
  'llg_mass', // m_ℓℓγ [GeV], the search's mass
  'll_mass', // m_ℓℓ [GeV]
  'label', // 1 signal, 0 background
  'weight', // σ·L/N_gen
  'category', // 0 H → Zγ, 1 Zγ ISR, 2 Zγ FSR
  'n_gen', // events generated for the event's process
] as const;

/** Roles of the columns (event-table contract); no generated mass: one hypothesis, 125 GeV. */
export const HZG_SIMULATION_ROLES = {
  features: [...HZG_FEATURE_COLUMNS],
  label: 'label',
  mass: 'llg_mass',
  weight: 'weight',
  category: 'category',
};

export interface HzgSimulationConfig {
  seed: number;
  /** signal events generated (before selection) */
  signalEvents: number;
  /** background events generated (before selection), ISR and FSR together */
  backgroundEvents: number;
  /** [fb⁻¹] (default 138, the study's) */
  luminosity: number;
  /** σ_H·B(H → Zγ → ℓℓγ, ℓ = e, μ) [fb] (default 7.52) */
  signalCrossSection: number;
  /** σ_Zγ of the generated phase space [fb] (default 55 500) */
  backgroundCrossSection: number;
  /** share of σ_Zγ from FSR in the generated phase space (default 0.15) */
  fsrFraction: number;
  /** m_ℓℓγ before selection ∝ m^−n (default 4.4) */
  massPower: number;
  /** rows per yielded chunk (default 65 536) */
  chunkSize?: number;
}

export function defaultHzgSimulationConfig(): HzgSimulationConfig {
  return {
    seed: 1, signalEvents: 400_000, backgroundEvents: 3_000_000, luminosity: 138, signalCrossSection: 7.52,
    backgroundCrossSection: 55_500, fsrFraction: 0.15, massPower: 4.4, chunkSize: 65_536,
  };
}

function validate(cfg: HzgSimulationConfig): void {
  const bad = (key: string, what: string, v: unknown): never => {
    throw new FomlabError(`simulate --channel hzg: ${key} must be ${what}, got ${String(v)}`);
  };
  if (!Number.isFinite(cfg.seed)) bad('seed', 'a number', cfg.seed);
  for (const k of ['signalEvents', 'backgroundEvents'] as const) if (!(Number.isInteger(cfg[k]) && cfg[k] >= 0)) bad(k, 'a whole number ≥ 0', cfg[k]);
  for (const k of ['luminosity', 'signalCrossSection', 'backgroundCrossSection'] as const) if (!(cfg[k] > 0)) bad(k, '> 0', cfg[k]);
  if (!(cfg.fsrFraction >= 0 && cfg.fsrFraction <= 1)) bad('fsrFraction', 'in [0, 1]', cfg.fsrFraction);
  if (!(cfg.massPower > 1)) bad('massPower', '> 1', cfg.massPower);
  const chunk = cfg.chunkSize ?? 65_536;
  if (!(Number.isInteger(chunk) && chunk >= 1)) bad('chunkSize', 'a whole number ≥ 1', chunk);
}

export interface HzgJob {
  category: number;
  trials: number;
  weight: number;
  rng: Rng;
  draw: (rng: SimRng, out: DecayAngles) => void;
  shape: SystemShape;
}

/** The jobs in fixed order (signal, ISR, FSR), each with its own random stream. */
export function planHzgJobs(cfg: HzgSimulationConfig): HzgJob[] {
  validate(cfg);
  const root = new Rng(cfg.seed);
  const nFsr = Math.round(cfg.backgroundEvents * cfg.fsrFraction), nIsr = cfg.backgroundEvents - nFsr;
  const sigmaL = (sigma: number, n: number): number => (n > 0 ? (sigma * cfg.luminosity) / n : 0);
  const p = cfg.massPower;
  return [
    { category: 0, trials: cfg.signalEvents, weight: sigmaL(cfg.signalCrossSection, cfg.signalEvents), rng: root.fork(), draw: drawSignalAngles, shape: GGF_SHAPE },
    { category: 1, trials: nIsr, weight: sigmaL(cfg.backgroundCrossSection * (1 - cfg.fsrFraction), nIsr), rng: root.fork(), draw: (r, o) => drawIsrAngles(r, p, o), shape: QQ_SHAPE },
    { category: 2, trials: nFsr, weight: sigmaL(cfg.backgroundCrossSection * cfg.fsrFraction, nFsr), rng: root.fork(), draw: (r, o) => drawFsrAngles(r, p, o), shape: QQ_SHAPE },
  ];
}

/** One generated event at truth level (lab ℓ⁻, ℓ⁺, γ) with its angles and flavour; for the tests. */
export function generateHzgTruth(job: HzgJob, rng: SimRng, angles: DecayAngles, ev: Float64Array): number {
  job.draw(rng, angles);
  const flavour = rng.u01() < 0.5 ? ELECTRON : MUON;
  buildEvent(rng, angles, job.shape, ev);
  return flavour;
}

/**
 * The selected events as column chunks (at most `chunkSize` rows), deterministic for a seed whatever
 * the chunk size. `onProgress(done, total)` counts generated events.
 */
export function* simulateHzgEvents(cfg: HzgSimulationConfig, onProgress?: (done: number, total: number) => void): Generator<Map<string, Float32Array>> {
  const jobs = planHzgJobs(cfg);
  const size = cfg.chunkSize ?? 65_536;
  const total = jobs.reduce((s, j) => s + j.trials, 0);
  const nCol = HZG_COLUMN_NAMES.length, nFeat = HZG_FEATURE_COLUMNS.length;
  const buf = new ChunkBuffer(HZG_COLUMN_NAMES, size);
  let done = 0;
  const ev = new Float64Array(HZG_TRUTH_LENGTH), reco = new Float64Array(HZG_RECO_LENGTH), work = new Float64Array(16);
  const angles: DecayAngles = { sHat: 0, mll: 0, cosTheta: 0, cosLepton: 0, phi: 0 };
  for (const job of jobs) {
    const rng = new SimRng(job.rng);
    for (let i = 0; i < job.trials; i++) {
      if (onProgress && (i & 0x3ffff) === 0 && i > 0) onProgress(done + i, total);
      const flavour = generateHzgTruth(job, rng, angles, ev);
      if (!reconstructHzg(rng, ev, flavour, reco, work)) continue;
      const cols = buf.cols, row = buf.row;
      for (let k = 0; k < nFeat; k++) cols[k][row] = reco[k];
      cols[nFeat][row] = reco[RECO_LLG_MASS];
      cols[nFeat + 1][row] = reco[RECO_LL_MASS];
      cols[nFeat + 2][row] = job.category === 0 ? 1 : 0;
      cols[nFeat + 3][row] = job.weight;
      cols[nFeat + 4][row] = job.category;
      cols[nCol - 1][row] = job.trials;
      if (buf.next()) yield buf.take();
    }
    done += job.trials;
    onProgress?.(done, total);
  }
  if (buf.row > 0) yield buf.take();
}

/** All selected events in memory with the roles set. */
export function simulateHzgTable(cfg: HzgSimulationConfig): EventTable {
  return new EventTable(concatenateChunks([...simulateHzgEvents(cfg)], HZG_COLUMN_NAMES), HZG_SIMULATION_ROLES, 'simulation (hzg)');
}

/** Streams the selected events into `path` (.parquet, .arrow/.feather or .csv, atomically) with a progress bar. */
export async function simulateHzgToFile(cfg: HzgSimulationConfig, path: string): Promise<{ events: number; generated: number; perProcess: Record<string, number> }> {
  const perProcess: Record<string, number> = Object.fromEntries(HZG_CATEGORY_NAMES.map((n) => [n, 0]));
  let events = 0, generated = 0;
  let bar: Progress | null = null;
  const chunks = simulateHzgEvents(cfg, (done, total) => {
    generated = done;
    bar ??= progressBar('simulate hzg', total, 'events');
    bar.update(done);
  });
  await writeChunkStream(path, HZG_COLUMN_NAMES, chunks, (chunk) => {
    const cat = chunk.get('category') as Float32Array;
    for (let i = 0; i < cat.length; i++) perProcess[HZG_CATEGORY_NAMES[cat[i]]]++;
    events += cat.length;
  }, () => (bar as Progress | null)?.stop());
  return { events, generated, perProcess };
}
