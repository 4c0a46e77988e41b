// The VLQ data set's samples (simulate --channel vlq): the column contract, binned background inside
// its m_ZWj slices, weights that sum to σ·L, the m_ZWj spectrum against an independent integration,
// the background features' correlation with m_T^rec, cuts on every written row, determinism.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FomlabError } from '../../src/core/errors.js';
import { command } from '../../src/cli/commands/simulate.js';
import {
  VLQ_COLUMN_NAMES, defaultVlqSimulationConfig, planVlqJobs, simulateVlqEvents, simulateVlqTable, vlqSliceEdges, vlqSpectrum,
  type VlqSimulationConfig,
} from '../../src/simulate/vlq/index.js';
import { signalCrossSection, spectrumCdf, zwjDensity } from '../../src/simulate/vlq/spectrum.js';

function smallConfig(): VlqSimulationConfig {
  const cfg = defaultVlqSimulationConfig();
  cfg.masses = [1000, 3000, 6000];
  cfg.signalPerMass = 300;
  cfg.backgroundPerSlice = 150;
  cfg.inclusiveEvents = 2000;
  return cfg;
}

const table = simulateVlqTable(smallConfig());
const col = (n: string): Float32Array => table.column(n);

test('vlq: the column contract h15-pnn builds on, with the defaults (28 masses 1.0–6.4 TeV, 29 slices 0.8–6.6 TeV)', () => {
  assert.deepEqual([...VLQ_COLUMN_NAMES].slice(0, 13), [
    'mT_rec', 'pt_lZ1', 'pt_lZ2', 'mt_rec', 'dphi_Z_l3', 'n_fwd_jets', 'label', 'weight', 'category', 'gen_mass', 'mZWj', 'bkg_sample', 'bkg_slice_low',
  ]);
  const d = defaultVlqSimulationConfig();
  assert.equal(d.masses.length, 28);
  assert.equal(d.masses[0], 1000);
  assert.equal(d.masses[27], 6400);
  const edges = vlqSliceEdges(d);
  assert.equal(edges.length, 29);
  assert.equal(edges[0], 800);
  assert.equal(edges[28], 6400);
  // rows: 3 masses × 300 + 2000 inclusive + 29 slices × 150
  assert.equal(table.length, 900 + 2000 + 29 * 150);
  const label = col('label'), s = col('bkg_sample'), gm = col('gen_mass'), mz = col('mZWj'), low = col('bkg_slice_low'), cat = col('category');
  for (let i = 0; i < table.length; i++) {
    if (s[i] === 0) assert.ok(label[i] === 1 && cat[i] === 0 && [1000, 3000, 6000].includes(gm[i]) && Number.isNaN(mz[i]) && Number.isNaN(low[i]));
    else assert.ok(label[i] === 0 && cat[i] === 1 && Number.isNaN(gm[i]) && mz[i] > 0 && (s[i] === 1) === Number.isNaN(low[i]), `row ${i}`);
  }
});

test('vlq: binned background m_ZWj inside its slice, the inclusive above 800 GeV', () => {
  const s = col('bkg_sample'), mz = col('mZWj'), low = col('bkg_slice_low');
  let inclusiveHigh = 0;
  for (let i = 0; i < table.length; i++) {
    if (s[i] === 2) assert.ok(mz[i] >= low[i] && mz[i] <= low[i] + 200, `row ${i}: m_ZWj ${mz[i]} in slice ${low[i]}`);
    if (s[i] === 1) {
      assert.ok(mz[i] > 800, `row ${i}: inclusive m_ZWj ${mz[i]}`);
      if (mz[i] > 3000) inclusiveHigh++;
    }
  }
  // the spectrum falls steeply: few inclusive events above 3 TeV (why the study bins the generation)
  assert.ok(inclusiveHigh < 0.02 * 2000, `${inclusiveHigh} inclusive events above 3 TeV`);
});

test('vlq: weight × n_gen = σ·L per sample; slice σ add up to the inclusive σ over 0.8–6.6 TeV (Simpson integration)', () => {
  const cfg = smallConfig();
  const spectrum = vlqSpectrum(cfg);
  const jobs = planVlqJobs(cfg, spectrum);
  const w = col('weight'), n = col('n_gen'), s = col('bkg_sample'), gm = col('gen_mass'), low = col('bkg_slice_low');
  for (let i = 0; i < table.length; i += 7) {
    const job = jobs.find((j) => j.sample === s[i] && (s[i] === 0 ? j.mass === gm[i] : s[i] === 1 || j.low === low[i]));
    assert.ok(job, `row ${i}`);
    assert.ok(Math.abs((w[i] * n[i]) / (job.crossSection * cfg.luminosity) - 1) < 1e-6, `row ${i}: w·N = ${w[i] * n[i]}, σ·L = ${job.crossSection * cfg.luminosity}`);
  }
  assert.ok(Math.abs(jobs[0].crossSection - signalCrossSection(1000)) < 1e-12);
  // independent: Simpson's rule on (1 − x)^8/x^4.5 with 20 000 intervals
  const simpson = (a: number, b: number): number => {
    const k = 20_000, h = (b - a) / k;
    let sum = zwjDensity(a, 8, 4.5) + zwjDensity(b, 8, 4.5);
    for (let i = 1; i < k; i++) sum += (i % 2 ? 4 : 2) * zwjDensity(a + i * h, 8, 4.5);
    return (sum * h) / 3;
  };
  const total = simpson(800, 13_000);
  for (const [lo, hi] of [[800, 1000], [3000, 3200], [6400, 6600]]) {
    const table = (spectrumCdf(spectrum, hi) - spectrumCdf(spectrum, lo)) / (1 - spectrumCdf(spectrum, 800));
    assert.ok(Math.abs(table / (simpson(lo, hi) / total) - 1) < 1e-3, `slice ${lo}: ${table} vs ${simpson(lo, hi) / total}`);
  }
  const sliceSum = jobs.filter((j) => j.sample === 2).reduce((a, j) => a + j.crossSection, 0);
  assert.ok(Math.abs(sliceSum / (cfg.backgroundCrossSection * (simpson(800, 6600) / total)) - 1) < 1e-3, `Σ slices ${sliceSum} fb`);
});

test('vlq: background features grow with m_T^rec (binned sample: Pearson r > 0.7 for p_T^ℓZ1, > 0.4 for p_T^ℓZ2, > 0.15 for m_t^rec)', () => {
  const s = col('bkg_sample'), m = col('mT_rec');
  const r = (name: string): number => {
    const f = col(name);
    let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (let i = 0; i < table.length; i++) {
      if (s[i] !== 2) continue;
      n++; sx += m[i]; sy += f[i]; sxx += m[i] * m[i]; syy += f[i] * f[i]; sxy += m[i] * f[i];
    }
    return (sxy - (sx * sy) / n) / Math.sqrt((sxx - (sx * sx) / n) * (syy - (sy * sy) / n));
  };
  const rl1 = r('pt_lZ1'), rl2 = r('pt_lZ2'), rt = r('mt_rec');
  assert.ok(rl1 > 0.7 && rl2 > 0.4 && rt > 0.15, `r = ${rl1.toFixed(3)}, ${rl2.toFixed(3)}, ${rt.toFixed(3)}`);
});

test('vlq: cuts visible in the written rows hold on every row; signal m_T^rec near its m_T', () => {
  const f = (n: string): Float32Array => col(n);
  const m = f('mT_rec'), l1 = f('pt_lZ1'), l2 = f('pt_lZ2'), dphi = f('dphi_Z_l3'), nf = f('n_fwd_jets'), gm = f('gen_mass'), s = f('bkg_sample');
  let near = 0, signal = 0;
  for (let i = 0; i < table.length; i++) {
    assert.ok(l2[i] >= 25 && l1[i] >= l2[i] && dphi[i] >= 0 && dphi[i] <= Math.PI + 1e-6 && Number.isInteger(nf[i]) && nf[i] >= 0 && nf[i] <= 3 && m[i] > 0, `row ${i}`);
    if (s[i] === 0) { signal++; if (Math.abs(m[i] / gm[i] - 1) < 0.1) near++; }
  }
  assert.ok(near > 0.9 * signal, `${near} of ${signal} signal rows within 10 % of m_T`);
});

test('vlq: same seed, same numbers, whatever the chunk size; another seed differs', () => {
  const cfg = smallConfig();
  cfg.masses = [2000];
  cfg.signalPerMass = 50; cfg.backgroundPerSlice = 5; cfg.inclusiveEvents = 50;
  const join = (c: VlqSimulationConfig): Float32Array[] => {
    const parts = [...simulateVlqEvents(c)];
    return ['mT_rec', 'weight', 'mZWj'].map((n) => Float32Array.from(parts.flatMap((p) => [...(p.get(n) as Float32Array)])));
  };
  const a = join({ ...cfg, chunkSize: 65_536 }), b = join({ ...cfg, chunkSize: 17 }), c = join({ ...cfg, seed: 2 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0], c[0]);
});

test('vlq: bad settings name the key; the CLI names a bad option of the channel', async () => {
  const cfg = smallConfig();
  assert.throws(() => [...simulateVlqEvents({ ...cfg, masses: [100] })], (e: unknown) => e instanceof FomlabError && /masses must be in \(400, 10000\) GeV, got 100/.test(e.message));
  assert.throws(() => [...simulateVlqEvents({ ...cfg, sliceFrom: 500 })], (e: unknown) => e instanceof FomlabError && /sliceFrom\/sliceTo/.test(e.message));
  assert.throws(() => [...simulateVlqEvents({ ...cfg, widthOverMass: 0.7 })], (e: unknown) => e instanceof FomlabError && /widthOverMass/.test(e.message));
  await assert.rejects(command.run(['--channel', 'vlq', '--signal-events', '1']), (e: unknown) => e instanceof FomlabError && /simulate --channel vlq: unknown option '--signal-events'/.test(e.message));
  await assert.rejects(command.run(['--channel', 'vlq', '--events-per-slice', '-3']), (e: unknown) => e instanceof FomlabError && /--events-per-slice/.test(e.message));
});
