import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { FomlabError } from '../../src/core/errors.js';
import { tinyConfig, tinyEvents } from '../models/tiny-run.js';
import { evaluateRun, trainRun } from '../../src/train/run.js';

// `fomlab evaluate RUN` reloads the trained nets from RUN/checkpoints and judges them through the
// model registry, with no trainer or worker pool: the same summary and model files as `train` wrote.
const events = tinyEvents(9);
const config = tinyConfig({ ensemble: 2, train: '{every: 2}' });

test('evaluate: the reloaded nets give the summary and model files that training wrote', async () => {
  const runDir = mkdtempSync(join(tmpdir(), 'fomlab-evaluate-'));
  const cfg = parseConfig(config, 'evaluate.yaml');
  const trained = (await trainRun(cfg, { runDir, configName: 'e', events, log: () => {} })).summary;
  const models = ['bce.json', 'punzi.json'].map((f) => readFileSync(join(runDir, 'models', f), 'utf8'));
  rmSync(join(runDir, 'models'), { recursive: true });
  rmSync(join(runDir, 'summary.json'));
  const again = await evaluateRun(cfg, { runDir, configName: 'e', events, log: () => {} });
  assert.equal(again.masses.length, 3);
  for (const key of ['methods', 'reference', 'masses', 'history', 'outputs'] as const) assert.deepEqual(again[key], trained[key], key);
  assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')).masses, JSON.parse(JSON.stringify(trained.masses)));
  assert.deepEqual(['bce.json', 'punzi.json'].map((f) => readFileSync(join(runDir, 'models', f), 'utf8')), models);
  // a missing net is one clear message
  rmSync(join(runDir, 'checkpoints', 'net-1.safetensors'));
  await assert.rejects(evaluateRun(cfg, { runDir, configName: 'e', events, log: () => {} }), (e: unknown) => e instanceof FomlabError && /net-1\.safetensors/.test(e.message));
});
