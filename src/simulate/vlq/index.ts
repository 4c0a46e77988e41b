/**
 * fomlab's vector-like-quark data set (`fomlab simulate --channel vlq`): single production of a
 * T quark at the HL-LHC (√s = 14 TeV, 3000 fb⁻¹), pp → T b̄ j, T → tZ → (ℓνb)(ℓ⁺ℓ⁻), against
 * pp → Z W⁺ j j — the benchmark of the mass-unspecific-classifier study (Aguilar-Saavedra,
 * Rodríguez-Benítez, arXiv:2503.20926). Generators: generator.ts; detector, preselection and the
 * six features: detector.ts; spectra and cross-sections: spectrum.ts; every approximation with
 * its source: docs/vlq-simulation.md.
 *
 * Samples (as the study): signal at each m_T; background generated inclusively (m_ZWj above
 * `inclusiveFrom`, bkg_sample 1) AND in slices of m_ZWj (bkg_sample 2, the slice's lower edge in
 * bkg_slice_low). Both background samples stand for the whole Z W⁺ j j cross-section of their
 * phase space: use one of them (data.selection "bkg_sample != 1" or "!= 2"), never both.
 *
 * Sizes are PRESELECTED events: each job generates until it has its count, and its weights are
 * w = σ·L/N_gen with N_gen (column n_gen) the events it generated, so Σ_selected w = σ·L·ε.
 */
import { FomlabError } from '../../core/errors.js';
import { type Progress, progressBar } from '../../core/progress.js';
import { Rng } from '../../core/rng.js';
import { EventTable } from '../../data/table.js';
import { ChunkBuffer, concatenateChunks, writeChunkStream } from '../output.js';
import { SimRng } from '../random.js';
import { VLQ_TRUTH_LENGTH, generateBackground, generateSignal } from './generator.js';
import { ELECTRON, MUON, VLQ_FEATURE_COLUMNS, VLQ_RECO_LENGTH, VLQ_WORK_LENGTH, reconstructVlq } from './detector.js';
import { DEFAULT_SIGNAL_XSEC, type MassSpectrum, type SignalCrossSectionModel, drawFromSpectrum, signalCrossSection, spectrumCdf, tabulateSpectrum } from './spectrum.js';

export { VLQ_FEATURE_COLUMNS, VLQ_SELECTION } from './detector.js';

export const VLQ_CATEGORY_NAMES = ['T_signal', 'ZWjj'] as const;

export const VLQ_COLUMN_NAMES = [
  ...VLQ_FEATURE_COLUMNS, // mT_rec, pt_lZ1, pt_lZ2, mt_rec [GeV], dphi_Z_l3 [rad], n_fwd_jets
  'label', // 1 signal, 0 background
  'weight', // σ·L/N_gen of the row's sample at the config's luminosity
  'category', // 0 T signal, 1 Z W⁺ j j
  'gen_mass', // generated m_T [GeV] (NaN for background)
  'mZWj', // generated m_ZWj [GeV] (NaN for signal)
  'bkg_sample', // 0 signal, 1 inclusive background, 2 binned background
  'bkg_slice_low', // lower edge of the binned sample's m_ZWj slice [GeV] (NaN otherwise)
  'n_gen', // events generated for the row's sample
] as const;

/** Roles of the columns (event-table contract): the search scans m_T^rec. */
export const VLQ_SIMULATION_ROLES = {
  features: [...VLQ_FEATURE_COLUMNS],
  label: 'label',
  mass: 'mT_rec',
  genMass: 'gen_mass',
  weight: 'weight',
  category: 'category',
};

export interface VlqSimulationConfig {
  seed: number;
  /** T masses [GeV] (default 1000 … 6400 in steps of 200) */
  masses: number[];
  /** preselected signal events per mass */
  signalPerMass: number;
  /** preselected background events per m_ZWj slice */
  backgroundPerSlice: number;
  /** preselected events of the inclusive background */
  inclusiveEvents: number;
  /** m_ZWj slices [GeV]: lower edges sliceFrom, sliceFrom + sliceWidth, … below sliceTo */
  sliceFrom: number;
  sliceTo: number;
  sliceWidth: number;
  /** the inclusive sample's m_ZWj > inclusiveFrom [GeV] (default 800, the study's) */
  inclusiveFrom: number;
  /** [fb⁻¹] (default 3000) */
  luminosity: number;
  /** Γ_T/m_T (default 0.01: a narrow T) */
  widthOverMass: number;
  /** σ(Z W⁺ j j → ℓℓ ℓν j j) for m_ZWj > inclusiveFrom [fb] (default 10, an estimate: docs) */
  backgroundCrossSection: number;
  /** the m_ZWj spectrum (1 − x)^p₁/x^p₂ */
  spectrumP1: number;
  spectrumP2: number;
  signalCrossSection: SignalCrossSectionModel;
  /** stop a job that needs more than this many generated events per selected one (default 1000) */
  maxTrialsPerEvent?: number;
  chunkSize?: number;
}

export function defaultVlqMasses(): number[] {
  return Array.from({ length: 28 }, (_, i) => 1000 + 200 * i);
}

export function defaultVlqSimulationConfig(): VlqSimulationConfig {
  return {
    seed: 1, masses: defaultVlqMasses(), signalPerMass: 10_000, backgroundPerSlice: 10_000, inclusiveEvents: 200_000,
    sliceFrom: 800, sliceTo: 6600, sliceWidth: 200, inclusiveFrom: 800, luminosity: 3000, widthOverMass: 0.01,
    backgroundCrossSection: 10, spectrumP1: 8, spectrumP2: 4.5, signalCrossSection: { ...DEFAULT_SIGNAL_XSEC }, chunkSize: 65_536,
  };
}

/** highest m_ZWj generated [GeV] (the spectrum above is < 10⁻¹² of it) */
const SPECTRUM_MAX = 13_000;

function validate(cfg: VlqSimulationConfig): void {
  const bad = (key: string, what: string, v: unknown): never => {
    throw new FomlabError(`simulate --channel vlq: ${key} must be ${what}, got ${String(v)}`);
  };
  if (!Number.isFinite(cfg.seed)) bad('seed', 'a number', cfg.seed);
  if (!Array.isArray(cfg.masses)) bad('masses', 'a list of masses in GeV', cfg.masses);
  for (const m of cfg.masses) if (!(m > 400 && m < 10_000)) bad('masses', 'in (400, 10000) GeV', m);
  for (const k of ['signalPerMass', 'backgroundPerSlice', 'inclusiveEvents'] as const) if (!(Number.isInteger(cfg[k]) && cfg[k] >= 0)) bad(k, 'a whole number ≥ 0', cfg[k]);
  for (const k of ['luminosity', 'backgroundCrossSection', 'sliceWidth', 'spectrumP1', 'spectrumP2'] as const) if (!(cfg[k] > 0)) bad(k, '> 0', cfg[k]);
  if (!(cfg.widthOverMass >= 0 && cfg.widthOverMass < 0.5)) bad('widthOverMass', 'in [0, 0.5)', cfg.widthOverMass);
  if (!(cfg.inclusiveFrom >= 400 && cfg.inclusiveFrom < SPECTRUM_MAX)) bad('inclusiveFrom', `in [400, ${SPECTRUM_MAX}) GeV`, cfg.inclusiveFrom);
  if (!(cfg.sliceFrom >= cfg.inclusiveFrom && cfg.sliceTo > cfg.sliceFrom && cfg.sliceTo <= SPECTRUM_MAX)) {
    bad('sliceFrom/sliceTo', `inclusiveFrom ≤ sliceFrom < sliceTo ≤ ${SPECTRUM_MAX} GeV`, `${cfg.sliceFrom}/${cfg.sliceTo}`);
  }
  const chunk = cfg.chunkSize ?? 65_536;
  if (!(Number.isInteger(chunk) && chunk >= 1)) bad('chunkSize', 'a whole number ≥ 1', chunk);
}

export interface VlqJob {
  /** 0 signal, 1 inclusive background, 2 binned background */
  sample: 0 | 1 | 2;
  /** signal: m_T; background: the slice [low, high] of m_ZWj */
  mass: number;
  low: number;
  high: number;
  /** preselected events wanted */
  events: number;
  /** σ of the job's phase space [fb] */
  crossSection: number;
  rng: Rng;
}

/** The m_ZWj slices' lower edges [GeV] */
export function vlqSliceEdges(cfg: Pick<VlqSimulationConfig, 'sliceFrom' | 'sliceTo' | 'sliceWidth'>): number[] {
  const n = Math.floor((cfg.sliceTo - cfg.sliceFrom) / cfg.sliceWidth + 1e-9);
  return Array.from({ length: n }, (_, i) => Number((cfg.sliceFrom + i * cfg.sliceWidth).toFixed(6)));
}

/** The jobs in fixed order (each mass, the inclusive background, each slice), each with its own stream. */
export function planVlqJobs(cfg: VlqSimulationConfig, spectrum: MassSpectrum): VlqJob[] {
  validate(cfg);
  const root = new Rng(cfg.seed);
  const jobs: VlqJob[] = cfg.masses.map((m) => ({
    sample: 0, mass: m, low: NaN, high: NaN, events: cfg.signalPerMass, crossSection: signalCrossSection(m, cfg.signalCrossSection), rng: root.fork(),
  }));
  const above = 1 - spectrumCdf(spectrum, cfg.inclusiveFrom);
  jobs.push({ sample: 1, mass: NaN, low: cfg.inclusiveFrom, high: SPECTRUM_MAX, events: cfg.inclusiveEvents, crossSection: cfg.backgroundCrossSection, rng: root.fork() });
  for (const lo of vlqSliceEdges(cfg)) {
    const hi = lo + cfg.sliceWidth;
    const share = (spectrumCdf(spectrum, hi) - spectrumCdf(spectrum, lo)) / above;
    jobs.push({ sample: 2, mass: NaN, low: lo, high: hi, events: cfg.backgroundPerSlice, crossSection: cfg.backgroundCrossSection * share, rng: root.fork() });
  }
  return jobs;
}

/** The m_ZWj spectrum the config generates from (m_ZWj ≥ 400 GeV). */
export function vlqSpectrum(cfg: Pick<VlqSimulationConfig, 'spectrumP1' | 'spectrumP2'>): MassSpectrum {
  return tabulateSpectrum(400, SPECTRUM_MAX, cfg.spectrumP1, cfg.spectrumP2);
}

/** One job's truth event: flavours (Z, W) drawn e/μ equally; returns the generated T mass or m_ZWj. */
export function generateVlqTruth(job: VlqJob, spectrum: MassSpectrum, widthOverMass: number, rng: SimRng, ev: Float64Array, work: Float64Array, flavours: Int32Array): number {
  flavours[0] = rng.u01() < 0.5 ? ELECTRON : MUON;
  flavours[1] = rng.u01() < 0.5 ? ELECTRON : MUON;
  if (job.sample === 0) return generateSignal(rng, job.mass, widthOverMass * job.mass, ev, work);
  const m = drawFromSpectrum(rng, spectrum, job.low, job.high);
  generateBackground(rng, m, ev, work);
  return m;
}

interface JobRows {
  features: Float64Array;
  truthMass: Float64Array;
  generated: number;
}

function runJob(job: VlqJob, cfg: VlqSimulationConfig, spectrum: MassSpectrum): JobRows {
  const rng = new SimRng(job.rng);
  const nF = VLQ_FEATURE_COLUMNS.length;
  const features = new Float64Array(job.events * nF), truthMass = new Float64Array(job.events);
  const ev = new Float64Array(VLQ_TRUTH_LENGTH), work = new Float64Array(VLQ_WORK_LENGTH), scratch = new Float64Array(4), reco = new Float64Array(VLQ_RECO_LENGTH);
  const flavours = new Int32Array(2);
  const maxTrials = (cfg.maxTrialsPerEvent ?? 1000) * Math.max(1, job.events);
  let selected = 0, generated = 0;
  while (selected < job.events) {
    if (generated >= maxTrials) {
      const what = job.sample === 0 ? `signal m_T = ${job.mass} GeV` : `background m_ZWj ${job.low}–${job.high} GeV`;
      throw new FomlabError(`simulate --channel vlq: ${what} passes the preselection in fewer than 1 of ${cfg.maxTrialsPerEvent ?? 1000} events generated; check the masses and slices`);
    }
    generated++;
    const m = generateVlqTruth(job, spectrum, cfg.widthOverMass, rng, ev, scratch, flavours);
    if (!reconstructVlq(rng, ev, flavours[0], flavours[1], reco, work)) continue;
    features.set(reco.subarray(0, nF), selected * nF);
    truthMass[selected++] = m;
  }
  return { features, truthMass, generated };
}

/**
 * The preselected events as column chunks (at most `chunkSize` rows), deterministic for a seed
 * whatever the chunk size. `onProgress(done, total, generated)` counts finished jobs and the events
 * they generated.
 */
export function* simulateVlqEvents(cfg: VlqSimulationConfig, onProgress?: (done: number, total: number, generated: number) => void): Generator<Map<string, Float32Array>> {
  const spectrum = vlqSpectrum(cfg);
  const jobs = planVlqJobs(cfg, spectrum);
  const size = cfg.chunkSize ?? 65_536;
  const names = VLQ_COLUMN_NAMES, nF = VLQ_FEATURE_COLUMNS.length;
  const buf = new ChunkBuffer(names, size);
  let generated = 0;
  for (let jn = 0; jn < jobs.length; jn++) {
    const job = jobs[jn];
    const r = runJob(job, cfg, spectrum);
    generated += r.generated;
    const weight = r.generated > 0 ? (job.crossSection * cfg.luminosity) / r.generated : 0;
    for (let i = 0; i < job.events; i++) {
      const cols = buf.cols, row = buf.row;
      for (let k = 0; k < nF; k++) cols[k][row] = r.features[i * nF + k];
      cols[nF][row] = job.sample === 0 ? 1 : 0;
      cols[nF + 1][row] = weight;
      cols[nF + 2][row] = job.sample === 0 ? 0 : 1;
      cols[nF + 3][row] = job.sample === 0 ? job.mass : NaN;
      cols[nF + 4][row] = job.sample === 0 ? NaN : r.truthMass[i];
      cols[nF + 5][row] = job.sample;
      cols[nF + 6][row] = job.sample === 2 ? job.low : NaN;
      cols[nF + 7][row] = r.generated;
      if (buf.next()) yield buf.take();
    }
    onProgress?.(jn + 1, jobs.length, generated);
  }
  if (buf.row > 0) yield buf.take();
}

/** All preselected events in memory with the roles set. */
export function simulateVlqTable(cfg: VlqSimulationConfig): EventTable {
  return new EventTable(concatenateChunks([...simulateVlqEvents(cfg)], VLQ_COLUMN_NAMES), VLQ_SIMULATION_ROLES, 'simulation (vlq)');
}

/** m_T^rec resolution at one generated m_T: half the central 68 % interval of the preselected signal [GeV] */
export interface VlqResolutionPoint {
  mass: number;
  sigma: number;
  median: number;
  events: number;
}

/** The m_T^rec resolution per generated mass from the signal's m_T^rec values (sorted in place). */
export function vlqResolution(byMass: Map<number, number[]>): VlqResolutionPoint[] {
  return [...byMass.entries()].sort((a, b) => a[0] - b[0]).map(([mass, m]) => {
    m.sort((a, b) => a - b);
    const q = (p: number): number => m[Math.min(m.length - 1, Math.max(0, Math.round(p * (m.length - 1))))];
    return { mass, sigma: (q(0.8413) - q(0.1587)) / 2, median: q(0.5), events: m.length };
  });
}

/** A resolution table fomlab's search.window reads: {resolution: FILE, massUnit: GeV, of: mass}. */
export function formatVlqResolution(points: VlqResolutionPoint[]): string {
  const lines = ['# m_T [GeV]\tsigma(m_T^rec) [GeV] (half the central 68 % of the preselected signal)\tmedian m_T^rec [GeV]'];
  for (const p of points) lines.push(`${p.mass}\t${p.sigma.toFixed(2)}\t${p.median.toFixed(1)}`);
  return lines.join('\n') + '\n';
}

/**
 * Streams the events into `path` (.parquet, .arrow/.feather or .csv, atomically) with a progress
 * bar; with `resolution`, also the m_T^rec resolution per signal mass.
 */
export async function simulateVlqToFile(
  cfg: VlqSimulationConfig, path: string, opts: { resolution?: boolean } = {},
): Promise<{ events: number; generated: number; perSample: Record<string, number>; resolution?: VlqResolutionPoint[] }> {
  const names = ['signal', 'inclusive background', 'binned background'];
  const perSample: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const byMass = new Map<number, number[]>();
  let events = 0, generated = 0;
  let bar: Progress | null = null;
  const chunks = simulateVlqEvents(cfg, (done, total, n) => {
    generated = n;
    bar ??= progressBar('simulate vlq', total, 'samples');
    bar.update(done);
  });
  await writeChunkStream(path, VLQ_COLUMN_NAMES, chunks, (chunk) => {
    const s = chunk.get('bkg_sample') as Float32Array;
    for (let i = 0; i < s.length; i++) perSample[names[s[i]]]++;
    events += s.length;
    if (!opts.resolution) return;
    const gm = chunk.get('gen_mass') as Float32Array, m = chunk.get('mT_rec') as Float32Array;
    for (let i = 0; i < s.length; i++) if (s[i] === 0) (byMass.get(gm[i]) ?? byMass.set(gm[i], []).get(gm[i]) as number[]).push(m[i]);
  }, () => (bar as Progress | null)?.stop());
  return { events, generated, perSample, ...(opts.resolution ? { resolution: vlqResolution(byMass) } : {}) };
}

