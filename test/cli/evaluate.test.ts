import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { defaultSimulationConfig, simulateToFile } from '../../src/simulate/index.js';
import { tinyConfig } from '../models/tiny-run.js';

// `fomlab evaluate RUN` after `fomlab train CONFIG --out RUN` with RUN elsewhere than CONFIG: the
// config's relative data path must resolve against CONFIG's folder, not RUN's (on main it failed
// with "RUN/events.parquet: no such file"). It reloads the nets and reproduces train's numbers.
test('fomlab evaluate: a run written elsewhere than its config is judged again, same numbers', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-cli-evaluate-'));
  mkdirSync(join(dir, 'analysis'));
  await simulateToFile({ ...defaultSimulationConfig(), zprimeMasses: [1, 2, 3], signalPerMass: 600, muonFourVectors: false, seed: 3, backgroundScale: 0.01 }, join(dir, 'analysis', 'events.parquet'));
  writeFileSync(join(dir, 'analysis', 'c.yaml'), tinyConfig().replace('files: [unused.parquet]', 'files: [events.parquet]'));
  const runDir = join(dir, 'runs', 'c');
  assert.equal(await main(['train', join(dir, 'analysis', 'c.yaml'), '--out', runDir]), 0);
  const trained = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { masses: unknown[] };
  assert.equal(await main(['evaluate', runDir]), 0);
  const again = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { masses: unknown[] };
  assert.equal(again.masses.length, 3);
  assert.deepEqual(again.masses, trained.masses);
});
