/**
 * fomlab's built-in data set: a Belle II-like search for e⁺e⁻ → μ⁺μ⁻Z′, Z′ → invisible, at
 * SuperKEKB (√s = 10.58 GeV), with a peak in the recoil mass² against the two muons.
 *
 * Processes (category column): 0 signal e⁺e⁻ → μ⁺μ⁻Z′ (signal.ts); 1 e⁺e⁻ → μ⁺μ⁻γ with the ISR
 * photon lost (backgrounds.ts; with the option `finalStateRadiation` also with a lost FSR photon,
 * fsr.ts); 2 e⁺e⁻ → τ⁺τ⁻ → μ⁺μ⁻ + 4ν (backgrounds.ts); 3 e⁺e⁻ → e⁺e⁻μ⁺μ⁻ two-photon with the
 * beam leptons lost (twophoton.ts). Beams, detector and preselection: detector.ts. Every
 * approximation is stated in the header of the file that makes it.
 *
 * Weights. Signal: 1 per event; `n_gen` holds the number generated at the event's mass (before
 * acceptance), so ε(m) = Σ_selected / n_gen. Background: σ·L_target/N_gen per event, where N_gen
 * is the number of collisions generated for the process (column `n_gen`): the sample stands for
 * `backgroundLuminosity × backgroundScale` fb⁻¹ and is weighted to `targetLuminosity` fb⁻¹.
 *
 * Sizes. Only the phase space that can pass the preselection is generated (μμγ: hard photon
 * into the barrel, its cross-section times the ECL photon inefficiency; eeμμ: muons that can
 * reach the acceptance). Even so the full 1000 fb⁻¹ would be ≈ 10⁷ ττ and ≈ 7·10⁷ eeμμ events
 * after preselection, so each background is down-scaled (DEFAULT_BACKGROUND_SCALE) and weighted
 * up: ≈ 0.55 M background and ≈ 0.5 M signal events (87 masses × 10 k generated), B in a window
 * at 50 fb⁻¹ being that of the full sample.
 */
import { FomlabError } from '../core/errors.js';
import { type Progress, progressBar } from '../core/progress.js';
import { Rng } from '../core/rng.js';
import { EventTable } from '../data/table.js';
import { MuMuGamma, TauPairToMuons } from './backgrounds.js';
import { type DetectorConfig, defaultDetector, nominalBeams } from './detector.js';
import { CATEGORY_NAMES, type ProcessGenerator } from './process.js';
import { ZprimeSignal } from './signal.js';
import { TwoPhotonMuMu, defaultTwoPhotonOptions } from './twophoton.js';
import { FinalStateRadiation, defaultFsrOptions, type FsrOptions } from './fsr.js';
import { COLUMN_NAMES, ChunkBuilder } from './columns.js';
import { runJob, type SimulationJob } from './run.js';
import { concatenateChunks, writeChunkStream } from './output.js';

export { COLUMN_NAMES, FEATURE_COLUMNS, FEATURE_DESCRIPTIONS, FEATURE_NAMES } from './columns.js';
export { CATEGORY, CATEGORY_NAMES } from './process.js';
export { defaultDetector } from './detector.js';
export type { DetectorConfig } from './detector.js';
export { fitGaussianCore, fitResolution, formatResolutionTable, type ResolutionPoint } from './resolution.js';
import { fitResolution, type ResolutionPoint } from './resolution.js';

export interface SimulationConfig {
  seed: number;
  /** Z′ masses to generate [GeV] */
  zprimeMasses: number[];
  /** signal events generated per mass (before acceptance) */
  signalPerMass: number;
  /** luminosity the background sample stands for [fb⁻¹] (default 1000) */
  backgroundLuminosity: number;
  /** luminosity the weights scale to [fb⁻¹] (default 50) */
  targetLuminosity: number;
  /**
   * reference signal cross-section σ(e⁺e⁻ → μ⁺μ⁻Z′)·BR(Z′ → invisible) [fb] that the signal
   * weights stand for, σ_ref·L/N_gen per generated event (default 1 fb). The Z′ cross-section is
   * what the search measures, so σ_min and ε do not depend on it (they count generated events);
   * only the figures that read S (S/√B, Asimov Z, the Z-vs-threshold curves) do, and they then
   * read "if σ·BR were σ_ref".
   */
  signalCrossSection?: number;
  /**
   * fraction of `backgroundLuminosity` actually generated, one number for all backgrounds or one
   * per process; weights compensate (default DEFAULT_BACKGROUND_SCALE)
   */
  backgroundScale?: number | Partial<Record<BackgroundName, number>>;
  /** rows per yielded chunk (default 65 536) */
  chunkSize?: number;
  /** write the smeared lab-frame muon four-vectors too (default true) */
  muonFourVectors?: boolean;
  /** detector and preselection (default `defaultDetector()`) */
  detector?: DetectorConfig;
  /**
   * add μμγ with a lost final-state-radiation photon (fsr.ts; true: its default options). Off by
   * default; its job comes after all others, so the other events stay bit-identical.
   */
  finalStateRadiation?: boolean | Partial<FsrOptions>;
}

export type BackgroundName = 'mumu_gamma' | 'tautau' | 'eemumu';

/**
 * Default down-scaling per background, chosen so that each process gives 5·10⁴–5·10⁵ written
 * events (≈ 1 M in all with the default signal): μμγ is generated in full (≈ 40 k events), ττ at
 * 5 % (≈ 0.45 M events, weight 1 at 50 fb⁻¹), eeμμ at 0.35 % of its sampled region (≈ 0.44 nb,
 * what the importance sampler of twophoton.ts keeps; ≈ 1.5 M collisions, ≈ 48 k events of mean
 * weight ≈ 58). Its preselected cross-section, ≈ 55 pb, is the largest; the scale keeps the
 * effective number of eeμμ events ((Σw)²/Σw² ≈ 1.4·10⁴) that of the earlier brute-force default.
 */
export const DEFAULT_BACKGROUND_SCALE: Readonly<Record<BackgroundName, number>> = { mumu_gamma: 1, tautau: 0.05, eemumu: 0.0035 };

/** The seed study's masses 0.1–8.7 GeV in 0.1 GeV steps. */
export function defaultZprimeMasses(): number[] {
  return Array.from({ length: 87 }, (_, i) => Math.round((i + 1) * 100) / 1000);
}

export function defaultSimulationConfig(): SimulationConfig {
  return {
    seed: 1,
    zprimeMasses: defaultZprimeMasses(),
    signalPerMass: 10_000,
    backgroundLuminosity: 1000,
    targetLuminosity: 50,
    backgroundScale: { ...DEFAULT_BACKGROUND_SCALE },
    chunkSize: 65_536,
    muonFourVectors: true,
  };
}

const FB_PER_NB = 1e6; // 1 nb = 10⁶ fb
/** σ_ref of the signal weights [fb]: of the order of the σ_min the seed study reaches at 50 fb⁻¹ */
export const DEFAULT_SIGNAL_CROSS_SECTION = 1;
/** eeμμ events with relative weight below this are kept with probability w/cap (run.ts) */
const EEMUMU_UNWEIGHT_CAP = 2;

function validate(cfg: SimulationConfig): void {
  const bad = (what: string): never => {
    throw new FomlabError(`simulate: ${what}`);
  };
  if (!Number.isFinite(cfg.seed)) bad(`seed must be a number, got ${cfg.seed}`);
  if (!Array.isArray(cfg.zprimeMasses)) bad('zprimeMasses must be a list of masses in GeV');
  const sqrtS = nominalBeams(cfg.detector ?? defaultDetector()).sqrtS;
  for (const m of cfg.zprimeMasses) {
    if (!(m > 0) || m >= sqrtS - 2 * 0.10566) bad(`zprimeMasses: ${m} GeV is outside (0, ${(sqrtS - 0.212).toFixed(2)}) GeV`);
  }
  if (!Number.isInteger(cfg.signalPerMass) || cfg.signalPerMass < 0) bad(`signalPerMass must be a whole number ≥ 0, got ${cfg.signalPerMass}`);
  if (!(cfg.backgroundLuminosity >= 0)) bad(`backgroundLuminosity must be ≥ 0 fb^-1, got ${cfg.backgroundLuminosity}`);
  if (cfg.signalCrossSection !== undefined && !(cfg.signalCrossSection > 0)) bad(`signalCrossSection must be > 0 fb, got ${cfg.signalCrossSection}`);
  if (!(cfg.targetLuminosity > 0)) bad(`targetLuminosity must be > 0 fb^-1, got ${cfg.targetLuminosity}`);
  const scale = cfg.backgroundScale ?? DEFAULT_BACKGROUND_SCALE;
  if (typeof scale === 'number') {
    if (!(scale >= 0)) bad(`backgroundScale must be ≥ 0, got ${scale}`);
  } else {
    for (const [k, v] of Object.entries(scale)) {
      if (!(k in DEFAULT_BACKGROUND_SCALE)) bad(`backgroundScale: unknown process '${k}' (one of ${Object.keys(DEFAULT_BACKGROUND_SCALE).join(', ')})`);
      if (!(typeof v === 'number' && v >= 0)) bad(`backgroundScale.${k} must be ≥ 0, got ${v}`);
    }
  }
  const det = cfg.detector;
  if (det) {
    if (!(det.gapPhotonInefficiency >= 0 && det.gapPhotonInefficiency <= 1)) bad(`detector.gapPhotonInefficiency must be in [0, 1], got ${det.gapPhotonInefficiency}`);
    for (const [name, gap] of [['eclGapForward', det.eclGapForward], ['eclGapBackward', det.eclGapBackward]] as const) {
      if (!(Array.isArray(gap) && gap.length === 2 && gap[0] >= 0 && gap[0] < gap[1] && gap[1] <= Math.PI)) bad(`detector.${name} must be [from, to] lab polar angles in rad with 0 ≤ from < to ≤ π, got ${JSON.stringify(gap)}`);
    }
  }
  const fsr = cfg.finalStateRadiation;
  if (fsr !== undefined && typeof fsr !== 'boolean') {
    if (typeof fsr !== 'object' || fsr === null) bad(`finalStateRadiation must be true, false or {photonEnergyMin, mergeAngle, mergeInefficiency}, got ${JSON.stringify(fsr)}`);
    const o = { ...defaultFsrOptions(), ...fsr };
    if (!(o.photonEnergyMin > 0)) bad(`finalStateRadiation.photonEnergyMin must be > 0 GeV, got ${o.photonEnergyMin}`);
    if (!(o.mergeAngle >= 0 && o.mergeAngle < Math.PI)) bad(`finalStateRadiation.mergeAngle must be in [0, π) rad, got ${o.mergeAngle}`);
    if (!(o.mergeInefficiency >= 0 && o.mergeInefficiency <= 1)) bad(`finalStateRadiation.mergeInefficiency must be in [0, 1], got ${o.mergeInefficiency}`);
  }
  const chunk = cfg.chunkSize ?? 65_536;
  if (!Number.isInteger(chunk) || chunk < 1) bad(`chunkSize must be a whole number ≥ 1, got ${chunk}`);
}

/** The background generators for a detector (their region cross-sections depend on it). */
export function backgroundProcesses(det: DetectorConfig): Array<ProcessGenerator & { crossSection: number }> {
  const beams = nominalBeams(det);
  const margin = (3 * Math.PI) / 180;
  const toCm = (thetaLab: number): number => cmCosine(thetaLab, beams.beta);
  const mumu = new MuMuGamma({
    sqrtS: beams.sqrtS,
    photonEnergyMin: 0.05,
    cosThetaMin: toCm(det.recoilThetaMax + margin),
    cosThetaMax: toCm(det.recoilThetaMin - margin),
    photonInefficiency: det.photonInefficiency,
  });
  return [mumu, new TauPairToMuons(det), new TwoPhotonMuMu(defaultTwoPhotonOptions(beams.sqrtS, det))];
}

/**
 * Fraction of the μμγ sample generated for the gap jobs, on top of the μμγ scale: a gap photon is
 * lost every time, so 10 % of 1000 fb⁻¹ still gives ≈ 2·10⁴ events (weight 0.5 each at 50 fb⁻¹).
 */
export const GAP_BACKGROUND_SCALE = 0.1;

/**
 * μμγ with the ISR photon in a barrel–endcap gap of the ECL (detector.ts), one generator per gap
 * (forward, backward). The main μμγ job already counts every photon of the region with the ECL's
 * inefficiency; these add what a gap misses on top, (gapPhotonInefficiency − photonInefficiency)
 * times the gap's cross-section, so the sum is the photon lost with the probability of where it
 * went. They come after the other backgrounds: the earlier jobs keep their random streams (and
 * events). None when the gaps are no blinder than the ECL.
 */
export function gapProcesses(det: DetectorConfig): MuMuGamma[] {
  const extra = det.gapPhotonInefficiency - det.photonInefficiency;
  if (!(extra > 0)) return [];
  const beams = nominalBeams(det);
  const toCm = (thetaLab: number): number => cmCosine(thetaLab, beams.beta);
  return [det.eclGapForward, det.eclGapBackward].map(([from, to]) => new MuMuGamma({
    sqrtS: beams.sqrtS, photonEnergyMin: 0.05, cosThetaMin: toCm(to), cosThetaMax: toCm(from), photonInefficiency: extra,
  }));
}

/** The FSR generator of a config, or null when finalStateRadiation is off. */
export function fsrProcess(cfg: SimulationConfig, det: DetectorConfig): FinalStateRadiation | null {
  const fsr = cfg.finalStateRadiation;
  if (!fsr) return null;
  return new FinalStateRadiation(det, { ...defaultFsrOptions(), ...(fsr === true ? {} : fsr) });
}

/** cos θ* in the CM frame of a massless particle at lab polar angle θ, for a boost β along z. */
function cmCosine(thetaLab: number, beta: number): number {
  const c = Math.cos(thetaLab);
  return (c - beta) / (1 - beta * c);
}

/**
 * The jobs in their fixed order: each signal mass, then μμγ, ττ, eeμμ, μμγ in the ECL gaps and, if
 * switched on, μμγ from final-state radiation (weighted events, unweighted below the mean weight);
 * each with its own Rng.
 */
export function planJobs(cfg: SimulationConfig): SimulationJob[] {
  validate(cfg);
  const det = cfg.detector ?? defaultDetector();
  const root = new Rng(cfg.seed);
  const jobs: SimulationJob[] = [];
  for (const m of cfg.zprimeMasses) {
    const weightPerUnit = cfg.signalPerMass > 0 ? ((cfg.signalCrossSection ?? DEFAULT_SIGNAL_CROSS_SECTION) * cfg.targetLuminosity) / cfg.signalPerMass : 0;
    jobs.push({ generator: new ZprimeSignal(m, det), genMass: m, trials: cfg.signalPerMass, weightPerUnit, rng: root.fork(), detector: det });
  }
  const scale = cfg.backgroundScale ?? DEFAULT_BACKGROUND_SCALE;
  const gaps = gapProcesses(det);
  for (const gen of [...backgroundProcesses(det), ...gaps]) {
    const name = gen.name as BackgroundName;
    const f = (typeof scale === 'number' ? scale : scale[name] ?? DEFAULT_BACKGROUND_SCALE[name]) * (gaps.includes(gen as MuMuGamma) ? GAP_BACKGROUND_SCALE : 1);
    const trials = Math.round(gen.crossSection * FB_PER_NB * cfg.backgroundLuminosity * f);
    const weightPerUnit = trials > 0 ? (gen.crossSection * FB_PER_NB * cfg.targetLuminosity) / trials : 0;
    const unweightCap = name === 'eemumu' ? EEMUMU_UNWEIGHT_CAP : 1;
    if (gen instanceof TwoPhotonMuMu) gen.configureJob(det, unweightCap); // unweights before building the muons
    jobs.push({ generator: gen, genMass: NaN, trials, weightPerUnit, rng: root.fork(), detector: det, unweightCap });
  }
  const fsr = fsrProcess(cfg, det);
  if (fsr) {
    const f = typeof scale === 'number' ? scale : scale.mumu_gamma ?? DEFAULT_BACKGROUND_SCALE.mumu_gamma;
    const trials = Math.round(fsr.crossSection * FB_PER_NB * cfg.backgroundLuminosity * f);
    const weightPerUnit = trials > 0 ? (fsr.crossSection * FB_PER_NB * cfg.targetLuminosity) / trials : 0;
    jobs.push({ generator: fsr, genMass: NaN, trials, weightPerUnit, rng: root.fork(), detector: det, unweightCap: 1 });
  }
  return jobs;
}

/**
 * The events as a stream of column chunks (at most `chunkSize` rows each), deterministic for a
 * seed whatever the chunk size. `onProgress(done, total)` counts generated collisions.
 */
export function* simulateEvents(cfg: SimulationConfig, onProgress?: (done: number, total: number) => void): Generator<Map<string, Float32Array>> {
  const jobs = planJobs(cfg);
  const total = jobs.reduce((s, j) => s + j.trials, 0);
  const builder = new ChunkBuilder(cfg.chunkSize ?? 65_536, cfg.muonFourVectors ?? true);
  let done = 0;
  for (const job of jobs) {
    for (const chunk of runJob(job, builder, (n) => onProgress?.(done + n, total))) yield chunk;
    done += job.trials;
    onProgress?.(done, total);
  }
  const last = builder.flush();
  if (last) yield last;
}

/** Column names written for a config. */
export function simulationColumns(cfg: Pick<SimulationConfig, 'muonFourVectors'>): string[] {
  return COLUMN_NAMES.filter((c) => (cfg.muonFourVectors ?? true) || !c.startsWith('mu_'));
}

/** All events in memory, with the roles of the event-table contract set. */
export function simulateTable(cfg: SimulationConfig): EventTable {
  return new EventTable(concatenateChunks([...simulateEvents(cfg)], simulationColumns(cfg)), SIMULATION_ROLES, 'simulation');
}

/** Roles of the simulated columns (event-table contract). */
export const SIMULATION_ROLES = {
  features: ['feature_1', 'feature_2', 'feature_3', 'feature_4'],
  label: 'labels',
  mass: 'M2',
  genMass: 'gen_mass',
  weight: 'weights',
  category: 'category',
};

/**
 * Streams the events into `path` (.parquet, .arrow/.feather or .csv, written atomically) with a
 * progress bar; returns how many events were written, in total and per process, the collisions
 * generated for them, and — with
 * `resolution: true` — the recoil-mass² resolution fitted on the signal (fitResolution).
 */
export async function simulateToFile(
  cfg: SimulationConfig, path: string, opts: { resolution?: boolean } = {},
): Promise<{ events: number; collisions: number; perProcess: Record<string, number>; resolution?: ResolutionPoint[] }> {
  const names = simulationColumns(cfg);
  const perProcess: Record<string, number> = Object.fromEntries(CATEGORY_NAMES.map((n) => [n, 0]));
  const signalM2: number[] = [];
  const signalMass: number[] = [];
  let events = 0, collisions = 0;
  let bar: Progress | null = null;
  const chunks = simulateEvents(cfg, (done, total) => {
    collisions = done;
    bar ??= progressBar('simulate', total, 'collisions');
    bar.update(done);
  });
  await writeChunkStream(path, names, chunks, (chunk) => {
    const cat = chunk.get('category') as Float32Array;
    const m2 = chunk.get('M2') as Float32Array;
    const gen = chunk.get('gen_mass') as Float32Array;
    for (let i = 0; i < cat.length; i++) {
      perProcess[CATEGORY_NAMES[cat[i]]]++;
      if (opts.resolution && cat[i] === 0) {
        signalM2.push(m2[i]);
        signalMass.push(gen[i]);
      }
    }
    events += cat.length;
  }, () => (bar as Progress | null)?.stop());
  if (!opts.resolution) return { events, collisions, perProcess };
  const sig = new EventTable({ M2: Float32Array.from(signalM2), gen_mass: Float32Array.from(signalMass) }, { mass: 'M2', genMass: 'gen_mass' }, path);
  return { events, collisions, perProcess, resolution: signalM2.length ? fitResolution(sig) : [] };
}
