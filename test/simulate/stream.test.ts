import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FomlabError } from '../../src/core/errors.js';
import {
  COLUMN_NAMES, FEATURE_DESCRIPTIONS, defaultSimulationConfig, fitGaussianCore, formatResolutionTable, simulateEvents, simulateTable, simulateToFile,
  type SimulationConfig,
} from '../../src/simulate/index.js';
import { parseResolutionTable } from '../../src/physics/resolution.js';
import { Rng } from '../../src/core/rng.js';
import { parseMasses } from '../../src/cli/commands/simulate.js';

const small: SimulationConfig = {
  seed: 42, zprimeMasses: [1, 3], signalPerMass: 500, backgroundLuminosity: 1000, targetLuminosity: 50,
  backgroundScale: { mumu_gamma: 0.05, tautau: 0.001, eemumu: 0.00007 },
};

function concat(chunks: Map<string, Float32Array>[], name: string): Float32Array {
  return Float32Array.from(chunks.flatMap((c) => [...(c.get(name) as Float32Array)]));
}

test('deterministic for a seed whatever the chunk size; another seed differs', () => {
  const a = [...simulateEvents({ ...small, chunkSize: 97 })];
  const b = [...simulateEvents({ ...small, chunkSize: 4096 })];
  assert.ok(a.every((c) => (c.get('M2') as Float32Array).length <= 97));
  for (const n of COLUMN_NAMES) assert.deepEqual(concat(a, n), concat(b, n), n);
  const c = [...simulateEvents({ ...small, seed: 43 })];
  assert.notDeepEqual(concat(a, 'M2'), concat(c, 'M2'));
});

test('table roles, labels, weights, gen_mass and n_gen follow the documented conventions', () => {
  const t = simulateTable(small);
  assert.deepEqual(t.roles.features, ['feature_1', 'feature_2', 'feature_3', 'feature_4']);
  assert.equal(t.roles.mass, 'M2');
  assert.equal(Object.keys(FEATURE_DESCRIPTIONS).length, 4);
  const cat = t.column('category'), lab = t.labels(), w = t.weights(), gen = t.genMass(), nGen = t.column('n_gen'), m = t.column('M'), m2 = t.mass();
  const seen = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    seen.add(cat[i]);
    assert.equal(lab[i], cat[i] === 0 ? 1 : 0);
    if (cat[i] === 0) {
      // signal: σ_ref·L/N_gen = 1 fb · 50 fb⁻¹ / 500 generated per mass = 0.1
      assert.equal(w[i], Math.fround(0.1));
      assert.ok(gen[i] === 1 || gen[i] === 3);
      assert.equal(nGen[i], 500);
    } else {
      assert.ok(Number.isNaN(gen[i]));
      assert.ok(w[i] > 0);
    }
    assert.ok(Math.abs(Math.sign(m[i]) * m[i] * m[i] - m2[i]) < 1e-4 * Math.max(1, Math.abs(m2[i])));
  }
  assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
  // ττ weight: σ·L_target/N_gen = 50 / (1000 · 0.001) = 50
  const tau = [...w].filter((_, i) => cat[i] === 2);
  assert.ok(Math.abs(tau[0] - 50) < 0.01);
  // a reference cross-section of 3 fb triples the signal weights and leaves the rest as it was
  const t3 = simulateTable({ ...small, signalCrossSection: 3 });
  const w3 = t3.weights();
  for (let i = 0; i < t.length; i++) assert.equal(w3[i], cat[i] === 0 ? Math.fround(0.3) : w[i]);
});

test('bad settings are FomlabErrors naming the setting', () => {
  assert.throws(() => [...simulateEvents({ ...small, signalCrossSection: 0 })], (e: unknown) => e instanceof FomlabError && /signalCrossSection/.test(e.message));
  assert.throws(() => [...simulateEvents({ ...small, zprimeMasses: [11] })], (e: unknown) => e instanceof FomlabError && /zprimeMasses/.test(e.message));
  assert.throws(() => [...simulateEvents({ ...small, signalPerMass: -1 })], (e: unknown) => e instanceof FomlabError && /signalPerMass/.test(e.message));
  assert.throws(() => [...simulateEvents({ ...small, backgroundScale: { muons: 1 } as never })], (e: unknown) => e instanceof FomlabError && /backgroundScale/.test(e.message));
  assert.throws(() => parseMasses('1:0:0.1'), FomlabError);
  assert.deepEqual(parseMasses('0.1:0.5:0.1'), [0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.equal(parseMasses('0.1:8.7:0.1').length, 87);
  assert.equal(defaultSimulationConfig().zprimeMasses.length, 87);
});

test('simulateToFile writes a CSV atomically and fits the resolution', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-sim-'));
  try {
    const path = join(dir, 'events.csv');
    const r = await simulateToFile(small, path, { resolution: true });
    assert.ok(existsSync(path));
    assert.deepEqual(readdirSync(dir), ['events.csv']);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    assert.equal(lines.length - 1, r.events);
    assert.equal(Object.values(r.perProcess).reduce((s, n) => s + n, 0), r.events);
    const table = parseResolutionTable(formatResolutionTable(r.resolution ?? []));
    assert.deepEqual([...table.mass], [1, 3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Gaussian-core fit recovers a Gaussian under a flat background', () => {
  const rng = new Rng(1);
  const x: number[] = [];
  for (let i = 0; i < 20000; i++) x.push(3 + 0.25 * rng.normal());
  for (let i = 0; i < 2000; i++) x.push(rng.range(-5, 10));
  const f = fitGaussianCore(x);
  assert.ok(Math.abs(f.mean - 3) < 0.01 && Math.abs(f.sigma - 0.25) < 0.015, `${f.mean} ± ${f.sigma}`);
});
