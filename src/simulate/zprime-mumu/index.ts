/**
 * fomlab's visible dark-photon data set (`fomlab simulate --channel zprime-mumu`): e⁺e⁻ → μ⁺μ⁻Z′,
 * Z′ → μ⁺μ⁻ at Belle II (√s = 10.58 GeV) over a mass scan, against the four-lepton QED
 * backgrounds and e⁺e⁻ → γγ with both photons converting into muon pairs in the material.
 * Processes: processes.ts; detector, vertices and features: reconstruct.ts; material and the
 * Bethe–Heitler conversion: material.ts, bethe-heitler.ts; every approximation with its source:
 * docs/zprime-mumu-simulation.md.
 *
 * One row per Z′ candidate (each opposite-sign pairing, four per selected event, column `pairing`).
 * Weights w = σ·L/N_gen × (the event's generator weight): background σ from the models (nb),
 * signal σ_ref·B(Z′ → μ⁺μ⁻) = `signalCrossSection` per mass as in the invisible channel.
 */
import { FomlabError } from '../../core/errors.js';
import { type Progress, progressBar } from '../../core/progress.js';
import { Rng } from '../../core/rng.js';
import { EventTable } from '../../data/table.js';
import { groupRows } from '../../data/writers/chunk.js';
import { writerReleasesChunks } from '../../data/writers/index.js';
import { ChunkBuffer, concatenateChunks, writeChunkStream } from '../output.js';
import { SimRng } from '../random.js';
import { type DetectorConfig, defaultDetector, nominalBeams } from '../detector.js';
import { FourLeptonBackground, MUMU_CATEGORY_NAMES, type MumuProcess, PhotonConversionBackground, TRUTH_MUONS, TRUTH_VERTICES, ZprimeToMuonsSignal } from './processes.js';
import { FourMuonReco, MUMU_FEATURE_COLUMNS, N_FEATURES } from './reconstruct.js';
import { type MaterialLayer, belle2MaterialMap } from './material.js';
import { MAX_EVENT_NUMBER, type MumuJobRows, nativeMumuAvailable, runMumuJobNative, tooManyEvents } from './native.js';

export { MUMU_CATEGORY, MUMU_CATEGORY_NAMES } from './processes.js';
export { MUMU_FEATURE_COLUMNS } from './reconstruct.js';
export { belle2MaterialMap, type MaterialLayer } from './material.js';

const FOUR_VECTOR_COLUMNS = ['mu_p1', 'mu_p2', 'mu_m1', 'mu_m2'].flatMap((m) => ['E', 'px', 'py', 'pz'].map((c) => `${m}_${c}`));

/** Columns written, in order (the four-vectors last, optional). */
export const MUMU_COLUMN_NAMES = [
  ...MUMU_FEATURE_COLUMNS,
  'M', // dimuon mass of the Z′ candidate [GeV], the search's mass
  'gen_mass', // generated Z′ mass (NaN for background)
  'labels', // 1 signal, 0 background
  'weights', // σ·L/N_gen × generator weight
  'category', // 0 signal, 1 μμμμ, 2 eeμμ (tagged), 3 γγ conversions
  'n_gen', // collisions generated for the row's process (and mass)
  'pairing', // 0..3: (μ⁺_i μ⁻_j) is the Z′ candidate, pairing = 2(i−1) + (j−1)
  'event', // selected-event number 0, 1, 2, … (the four rows of an event share it: data.split.group)
  ...FOUR_VECTOR_COLUMNS, // smeared lab four-vectors, μ⁺ by energy then μ⁻ [GeV]
] as const;

/** Roles of the columns (event-table contract). */
export const MUMU_SIMULATION_ROLES = {
  features: [...MUMU_FEATURE_COLUMNS],
  label: 'labels',
  mass: 'M',
  genMass: 'gen_mass',
  weight: 'weights',
  category: 'category',
};

export interface MumuSimulationConfig {
  seed: number;
  /** Z′ masses [GeV] */
  zprimeMasses: number[];
  /** signal collisions generated per mass */
  signalPerMass: number;
  /** collisions generated per background process */
  fourMuonEvents: number;
  eeMuMuEvents: number;
  conversionEvents: number;
  /** luminosity the weights scale to [fb⁻¹] (default 50) */
  targetLuminosity: number;
  /** σ(e⁺e⁻ → μ⁺μ⁻Z′)·B(Z′ → μ⁺μ⁻) the signal weights stand for [fb] (default 1) */
  signalCrossSection: number;
  /** write the four smeared muon four-vectors (default true) */
  muonFourVectors?: boolean;
  chunkSize?: number;
  detector?: DetectorConfig;
  /** the material the photons convert in (default belle2MaterialMap()) */
  material?: MaterialLayer[];
}

/** 0.5–8.5 GeV in 0.5 GeV steps */
export function defaultMumuMasses(): number[] {
  return Array.from({ length: 17 }, (_, i) => (i + 1) * 0.5);
}

export function defaultMumuSimulationConfig(): MumuSimulationConfig {
  return {
    seed: 1, zprimeMasses: defaultMumuMasses(), signalPerMass: 20_000, fourMuonEvents: 400_000, eeMuMuEvents: 200_000,
    conversionEvents: 200_000, targetLuminosity: 50, signalCrossSection: 1, muonFourVectors: true, chunkSize: 65_536,
  };
}

function validate(cfg: MumuSimulationConfig): void {
  const bad = (key: string, what: string, v: unknown): never => {
    throw new FomlabError(`simulate --channel zprime-mumu: ${key} must be ${what}, got ${String(v)}`);
  };
  if (!Number.isFinite(cfg.seed)) bad('seed', 'a number', cfg.seed);
  const sqrtS = nominalBeams(cfg.detector ?? defaultDetector()).sqrtS;
  if (!Array.isArray(cfg.zprimeMasses)) bad('zprimeMasses', 'a list of masses in GeV', cfg.zprimeMasses);
  for (const m of cfg.zprimeMasses) if (!(m > 0.2114 && m < sqrtS - 0.22)) bad('zprimeMasses', `in (2m_μ, ${(sqrtS - 0.22).toFixed(2)}) GeV`, m);
  for (const k of ['signalPerMass', 'fourMuonEvents', 'eeMuMuEvents', 'conversionEvents'] as const) {
    if (!(Number.isInteger(cfg[k]) && cfg[k] >= 0)) bad(k, 'a whole number ≥ 0', cfg[k]);
  }
  for (const k of ['targetLuminosity', 'signalCrossSection'] as const) if (!(cfg[k] > 0)) bad(k, '> 0', cfg[k]);
  const chunk = cfg.chunkSize ?? 65_536;
  if (!(Number.isInteger(chunk) && chunk >= 1)) bad('chunkSize', 'a whole number ≥ 1', chunk);
}

export interface MumuJob {
  process: MumuProcess;
  trials: number;
  /** weight of a generator weight of 1: σ·L/N_gen */
  weightPerUnit: number;
  rng: Rng;
}

const FB_PER_NB = 1e6;

/** The jobs in fixed order (each signal mass, then μμμμ, eeμμ, γγ conversions), each with its own stream. */
export function planMumuJobs(cfg: MumuSimulationConfig): MumuJob[] {
  validate(cfg);
  const det = cfg.detector ?? defaultDetector();
  const sqrtS = nominalBeams(det).sqrtS;
  const root = new Rng(cfg.seed);
  const L = cfg.targetLuminosity;
  const per = (sigmaFb: number, n: number): number => (n > 0 ? (sigmaFb * L) / n : 0);
  const jobs: MumuJob[] = cfg.zprimeMasses.map((m) => ({
    process: new ZprimeToMuonsSignal(m), trials: cfg.signalPerMass, weightPerUnit: per(cfg.signalCrossSection, cfg.signalPerMass), rng: root.fork(),
  }));
  const fourMu = new FourLeptonBackground(sqrtS, 'mu'), eeMuMu = new FourLeptonBackground(sqrtS, 'e');
  const conv = new PhotonConversionBackground(det, cfg.material ?? belle2MaterialMap());
  for (const [p, n] of [[fourMu, cfg.fourMuonEvents], [eeMuMu, cfg.eeMuMuEvents], [conv, cfg.conversionEvents]] as const) {
    jobs.push({ process: p, trials: n, weightPerUnit: per(p.crossSection * FB_PER_NB, n), rng: root.fork() });
  }
  return jobs;
}

/** The background cross-sections of a config's generated regions [nb] (for the docs and the report). */
export function mumuBackgroundCrossSections(cfg: MumuSimulationConfig): Record<string, number> {
  const jobs = planMumuJobs({ ...cfg, zprimeMasses: [] });
  return Object.fromEntries(jobs.map((j) => [j.process.name, (j.weightPerUnit * j.trials) / (cfg.targetLuminosity * FB_PER_NB)]));
}

/** Which event loop runs the jobs: the C++ twin when built (`auto`), or one of the two. */
export type MumuEngine = 'auto' | 'native' | 'typescript';

/**
 * The rows as column chunks (at most `chunkSize` rows), deterministic for a seed whatever the chunk
 * size and the engine (the C++ twin, native.ts, gives the same rows). `onProgress(done, total)` counts
 * generated collisions. `reuseChunks`: every full chunk is the same arrays, refilled once the consumer
 * asks for the next chunk (for a consumer done with each chunk by then, e.g. a Parquet writer). `eventsOf`: the
 * events (four rows each) of every category are added to eventsOf[category] as each job ends.
 */
export function* simulateMumuEvents(cfg: MumuSimulationConfig, onProgress?: (done: number, total: number) => void, engine: MumuEngine = 'auto', reuseChunks = false, eventsOf?: Float64Array): Generator<Map<string, Float32Array>> {
  if (engine === 'native' && !nativeMumuAvailable) throw new FomlabError('simulate --channel zprime-mumu: the native event loop is not built (or FOMLAB_KERNELS=typescript)');
  const jobs = planMumuJobs(cfg);
  const det = cfg.detector ?? defaultDetector();
  const reco = new FourMuonReco(det, nominalBeams(det));
  const names = mumuColumns(cfg);
  const total = jobs.reduce((s, j) => s + j.trials, 0);
  const withVectors = cfg.muonFourVectors ?? true;
  const buf = new ChunkBuffer(names, cfg.chunkSize ?? 65_536, reuseChunks);
  const counter = { event: 0 };
  let done = 0;
  for (const job of jobs) {
    const rng = new SimRng(job.rng);
    const p = job.process, label = p.category === 0 ? 1 : 0;
    const rows = { trials: job.trials, weightPerUnit: job.weightPerUnit, genMass: p.genMass, label, category: p.category, rng };
    const progress = onProgress && ((i: number): void => onProgress(done + i, total));
    const before = counter.event;
    if (engine !== 'typescript' && nativeMumuAvailable && isBuiltIn(p)) yield* runMumuJobNative({ ...rows, settings: p.mumuNativeSettings() }, det, buf, withVectors, counter, progress);
    else yield* runMumuJobTypeScript(p, rows, det, reco, buf, withVectors, counter, progress);
    done += job.trials;
    if (eventsOf) eventsOf[p.category] += counter.event - before;
    onProgress?.(done, total);
  }
  if (buf.row > 0) yield buf.take();
}

/** the processes the C++ twin ports (a subclass may change the physics: it runs on the TypeScript loop) */
function isBuiltIn(p: MumuProcess): boolean {
  const proto: unknown = Object.getPrototypeOf(p);
  return proto === ZprimeToMuonsSignal.prototype || proto === FourLeptonBackground.prototype || proto === PhotonConversionBackground.prototype;
}

/** One job on the TypeScript loop (the reference of native/src/simulate_mumu.cc). */
function* runMumuJobTypeScript(p: MumuProcess, job: Omit<MumuJobRows, 'settings'>, det: DetectorConfig, reco: FourMuonReco, buf: ChunkBuffer, withVectors: boolean, counter: { event: number }, onProgress?: (done: number) => void): Generator<Map<string, Float32Array>> {
  const mu = new Float64Array(TRUTH_MUONS), vtx = new Float64Array(TRUTH_VERTICES);
  const nf = N_FEATURES + 1, iM = N_FEATURES;
  const rng = job.rng;
  for (let i = 0; i < job.trials; i++) {
    if (onProgress && (i & 0x3ffff) === 0 && i > 0) onProgress(i);
    const w = p.generate(rng, det, mu, vtx);
    if (!(w > 0) || !reco.reconstruct(rng, mu, vtx)) continue;
    const weight = w * job.weightPerUnit;
    if (counter.event === MAX_EVENT_NUMBER) throw tooManyEvents();
    for (let k = 0; k < 4; k++) {
      const o = k * nf, cols = buf.cols, row = buf.row;
      for (let f = 0; f < nf; f++) cols[f][row] = reco.rows[o + f];
      cols[iM + 1][row] = job.genMass;
      cols[iM + 2][row] = job.label;
      cols[iM + 3][row] = weight;
      cols[iM + 4][row] = job.category;
      cols[iM + 5][row] = job.trials;
      cols[iM + 6][row] = k;
      cols[iM + 7][row] = counter.event;
      if (withVectors) for (let j = 0; j < 16; j++) cols[iM + 8 + j][row] = reco.ordered[j];
      if (buf.next()) yield buf.take();
    }
    counter.event++;
  }
}

/** Column names written for a config. */
export function mumuColumns(cfg: Pick<MumuSimulationConfig, 'muonFourVectors'>): string[] {
  return MUMU_COLUMN_NAMES.filter((c) => (cfg.muonFourVectors ?? true) || !c.startsWith('mu_'));
}

/** All rows in memory with the roles set. */
export function simulateMumuTable(cfg: MumuSimulationConfig): EventTable {
  return new EventTable(concatenateChunks([...simulateMumuEvents(cfg)], mumuColumns(cfg)), MUMU_SIMULATION_ROLES, 'simulation (zprime-mumu)');
}

/**
 * Streams the rows into `path` (.parquet, .arrow/.feather or .csv, atomically) with a progress bar. The chunks are
 * the writer's row groups (groupRows: the same row groups as 64 k-row chunks gathered by the writer, without the
 * copy), refilled in place when the writer is done with each chunk at once (writerReleasesChunks).
 */
export async function simulateMumuToFile(cfg: MumuSimulationConfig, path: string): Promise<{ rows: number; events: number; generated: number; perProcess: Record<string, number> }> {
  const eventsOf = new Float64Array(MUMU_CATEGORY_NAMES.length);
  let rows = 0, generated = 0;
  let bar: Progress | null = null;
  const names = mumuColumns(cfg);
  const chunks = simulateMumuEvents({ ...cfg, chunkSize: groupRows(names.length) }, (done, total) => {
    generated = done;
    bar ??= progressBar('simulate zprime-mumu', total, 'collisions');
    bar.update(done);
  }, 'auto', writerReleasesChunks(path), eventsOf);
  await writeChunkStream(path, names, chunks, (chunk) => {
    rows += (chunk.get('category') as Float32Array).length;
  }, () => (bar as Progress | null)?.stop());
  // events (four candidate rows each) per process
  const perProcess: Record<string, number> = Object.fromEntries(MUMU_CATEGORY_NAMES.map((n, c) => [n, eventsOf[c]]));
  return { rows, events: rows / 4, generated, perProcess };
}
