// The C++ zprime-mumu event loop (native/src/simulate_mumu.cc, sim_mumu.h) against the TypeScript it was
// ported from: the same seed must give the same rows, bit for bit in every written float32 column, and the
// same chunks — both draw from one xoshiro128** state in the same order, so a slip in the port (a missed
// draw, a changed formula or branch) shows up as different rows. The channel reads no ECL setting (its
// four muons are tracks): the ECL-gap option (gapPhotonInefficiency) is varied to show it changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDetector } from '../../src/simulate/detector.js';
import { MUMU_CATEGORY_NAMES, belle2MaterialMap, defaultMumuSimulationConfig, mumuColumns, simulateMumuEvents, type MumuSimulationConfig } from '../../src/simulate/zprime-mumu/index.js';
import { nativeMumuAvailable } from '../../src/simulate/zprime-mumu/native.js';
import { PhotonConversionBackground } from '../../src/simulate/zprime-mumu/processes.js';
import { concatenateChunks } from '../../src/simulate/output.js';

const skip = nativeMumuAvailable ? false : 'the native zprime-mumu loop is off (addon not built, or FOMLAB_KERNELS=typescript)';

function rows(cfg: MumuSimulationConfig, engine: 'native' | 'typescript'): { cols: Map<string, Float32Array>; chunks: number[] } {
  const chunks = [...simulateMumuEvents(cfg, undefined, engine)];
  const cols = concatenateChunks(chunks, mumuColumns(cfg));
  return { cols, chunks: chunks.map((c) => (c.get('M') as Float32Array).length) };
}

function assertSame(cfg: MumuSimulationConfig, what: string, minPerCategory: number[]): void {
  const ts = rows(cfg, 'typescript'), cc = rows(cfg, 'native');
  const cat = ts.cols.get('category') as Float32Array;
  minPerCategory.forEach((min, k) => {
    const n = cat.filter((c) => c === k).length / 4;
    assert.ok(n >= min, `${what}: ${n} ${MUMU_CATEGORY_NAMES[k]} events (want ≥ ${min})`);
  });
  assert.deepEqual(cc.chunks, ts.chunks, `${what}: chunk lengths`);
  for (const [name, col] of ts.cols) assert.deepEqual(cc.cols.get(name), col, `${what}: column ${name}`);
}

test('native zprime-mumu loop: the same rows as the TypeScript, bit for bit, for every process (chunks of 777 rows: events straddle them)', { skip }, () => {
  const cfg: MumuSimulationConfig = {
    ...defaultMumuSimulationConfig(), seed: 23, zprimeMasses: [0.5, 3, 8.5], signalPerMass: 1500, fourMuonEvents: 8000, eeMuMuEvents: 8000, conversionEvents: 8000, chunkSize: 777,
  };
  // selected: ≈ 55–64 % of the signal, ≈ 30 % of μμμμ, ≈ 40 % of tagged eeμμ, ≈ 30 % of the conversions (docs)
  assertSame(cfg, 'default detector', [2000, 1500, 1500, 1500]);
  // the ECL-gap option off (gapPhotonInefficiency = photonInefficiency), no four-vectors, one row per chunk
  const det = defaultDetector();
  assertSame({ ...cfg, seed: 24, zprimeMasses: [1.5], fourMuonEvents: 2000, eeMuMuEvents: 2000, conversionEvents: 2000, chunkSize: 1, muonFourVectors: false, detector: { ...det, gapPhotonInefficiency: det.photonInefficiency } }, 'no ECL gaps, chunk 1', [500, 300, 300, 300]);
});

test('native zprime-mumu loop: conversions above the k(E) table (E > 30 GeV: the cross-section formula) and in a hydrogen layer', { skip }, () => {
  // 40 GeV on 4 GeV beams: photons up to ≈ 40 GeV, so ConversionMaterial.perRadiationLength leaves its table;
  // a hydrogen layer takes betheHeitlerConstants' Z = 1 branch (B = 202.4, D_n = 1.49)
  const det = { ...defaultDetector(), herEnergy: 40, lerEnergy: 4 };
  const material = [...belle2MaterialMap().slice(0, 3), { name: 'hydrogen', radius: 3, x0Fraction: 0.01, element: { Z: 1, A: 1.008 }, radiationLength: 63.04 }];
  const cfg: MumuSimulationConfig = { ...defaultMumuSimulationConfig(), seed: 5, zprimeMasses: [], fourMuonEvents: 0, eeMuMuEvents: 0, conversionEvents: 6000, detector: det, material, chunkSize: 4096 };
  const conv = new PhotonConversionBackground(det, material);
  assert.ok(conv.material.perRadiationLength(0, 35) > 0, 'a 35 GeV photon converts');
  assertSame(cfg, 'high-energy conversions', [0, 0, 0, 1000]);
  // photons above 30 GeV did convert: an event whose both ways of pairing μ⁺μ⁻ hold a pair above 30 GeV
  // (one of the two is the photons' pairing; a photon's energy is its pair's, E₊ + E₋ = E_γ) and the
  // hydrogen layer (r = 3 cm) made vertices
  const { cols } = rows(cfg, 'typescript');
  const E = ['mu_p1_E', 'mu_p2_E', 'mu_m1_E', 'mu_m2_E'].map((n) => cols.get(n) as Float32Array);
  let above = 0, hydrogen = 0;
  for (let i = 0; i < E[0].length; i += 4) {
    const [p1, p2, m1, m2] = E.map((c) => c[i]);
    if (Math.max(p1 + m1, p2 + m2) > 30 && Math.max(p1 + m2, p2 + m1) > 30) above++;
  }
  for (const dr of cols.get('zp_dr') as Float32Array) if (Math.abs(dr - 3) < 0.05) hydrogen++;
  assert.ok(above > 10 && hydrogen > 100, `${above} events with a photon above 30 GeV, ${hydrogen} rows converted in hydrogen`);
});
