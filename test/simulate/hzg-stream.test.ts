// The H → Zγ data set as a stream and a file: determinism, columns and roles, bad input, the CLI channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FomlabError } from '../../src/core/errors.js';
import {
  HZG_COLUMN_NAMES, HZG_FEATURE_COLUMNS, HZG_SIMULATION_ROLES, defaultHzgSimulationConfig, simulateHzgEvents, simulateHzgToFile, type HzgSimulationConfig,
} from '../../src/simulate/hzg/index.js';
import { command } from '../../src/cli/commands/simulate.js';

const small: HzgSimulationConfig = { ...defaultHzgSimulationConfig(), seed: 21, signalEvents: 3000, backgroundEvents: 20_000 };
const concat = (chunks: Map<string, Float32Array>[], name: string): Float32Array => Float32Array.from(chunks.flatMap((c) => [...(c.get(name) as Float32Array)]));

test('deterministic for a seed whatever the chunk size; another seed differs', () => {
  const a = [...simulateHzgEvents({ ...small, chunkSize: 101 })];
  const b = [...simulateHzgEvents({ ...small, chunkSize: 65_536 })];
  assert.ok(a.length > 5 && a.every((c) => (c.get('llg_mass') as Float32Array).length <= 101));
  for (const n of HZG_COLUMN_NAMES) assert.deepEqual(concat(a, n), concat(b, n), n);
  const c = [...simulateHzgEvents({ ...small, seed: 22 })];
  assert.notDeepEqual(concat(a, 'llg_mass'), concat(c, 'llg_mass'));
});

test('15 features, the mass, label, weight, category, n_gen; every value finite and in range', () => {
  assert.equal(HZG_FEATURE_COLUMNS.length, 15);
  assert.deepEqual(HZG_SIMULATION_ROLES.features, [...HZG_FEATURE_COLUMNS]);
  const chunks = [...simulateHzgEvents(small)];
  for (const n of HZG_COLUMN_NAMES) assert.ok(concat(chunks, n).every(Number.isFinite), `${n} not finite`);
  const m = concat(chunks, 'llg_mass'), mll = concat(chunks, 'll_mass');
  assert.ok(m.every((x, i) => x > 100 && x < 180 && x + mll[i] > 185 && mll[i] > 50));
  assert.ok(concat(chunks, 'min_dR_lg').every((x) => x > 0.4));
  assert.ok(concat(chunks, 'lep1_pt').every((x, i) => x > 25 && x >= concat(chunks, 'lep2_pt')[i]));
  assert.ok(concat(chunks, 'lep_flavour').every((x) => x === 1 || x === 2));
  for (const c of ['cos_Theta', 'cos_theta']) assert.ok(concat(chunks, c).every((x) => Math.abs(x) <= 1));
  assert.ok(concat(chunks, 'phi').every((x) => Math.abs(x) <= Math.PI + 1e-6));
  const label = concat(chunks, 'label'), cat = concat(chunks, 'category');
  assert.ok(label.every((l, i) => l === (cat[i] === 0 ? 1 : 0)));
});

test('the same seed writes the same bytes (Parquet and CSV); nothing is left behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-hzg-'));
  try {
    for (const ext of ['parquet', 'csv']) {
      const r1 = await simulateHzgToFile(small, join(dir, `a.${ext}`));
      await simulateHzgToFile(small, join(dir, `b.${ext}`));
      assert.ok(readFileSync(join(dir, `a.${ext}`)).equals(readFileSync(join(dir, `b.${ext}`))), ext);
      assert.equal(r1.generated, 23_000);
      assert.equal(Object.values(r1.perProcess).reduce((s, x) => s + x, 0), r1.events);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['a.csv', 'a.parquet', 'b.csv', 'b.parquet']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad settings name the key; the CLI checks --channel and the options of each channel', async () => {
  assert.throws(() => [...simulateHzgEvents({ ...small, fsrFraction: 2 })], (e: unknown) => e instanceof FomlabError && /fsrFraction must be in \[0, 1\], got 2/.test(e.message));
  assert.throws(() => [...simulateHzgEvents({ ...small, signalEvents: 1.5 })], (e: unknown) => e instanceof FomlabError && /signalEvents/.test(e.message));
  await assert.rejects(command.run(['--channel', 'lhc']), (e: unknown) => e instanceof FomlabError && /--channel: expected zprime, zprime-mumu, hzg or vlq, got 'lhc'/.test(e.message));
  await assert.rejects(command.run(['--channel', 'hzg', '--masses', '1']), (e: unknown) => e instanceof FomlabError && /unknown option '--masses'/.test(e.message));
  await assert.rejects(command.run(['--channel', 'hzg', '--signal-events', 'x']), (e: unknown) => e instanceof FomlabError && /--signal-events/.test(e.message));
  await assert.rejects(command.run(['--channel', 'zprime-mumu', '--lumi', '1']), (e: unknown) => e instanceof FomlabError && /zprime-mumu: unknown option '--lumi'/.test(e.message));
});
