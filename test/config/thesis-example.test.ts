// examples/thesis-dnn.yaml (issue 16): the thesis DNN of §5.3.2 — 2 × 128 Linear, BatchNorm, Mish,
// dropout 0.2, AdamW with weight decay 1e-4 — with the process-weighted loss ω = √σ_i/N_i, read as
// written; then the same config, on the tiny simulated data with fixed windows and 2 epochs, trains
// end to end and its validation loss falls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { trainRun } from '../../src/train/run.js';
import { tinyEvents } from '../models/tiny-run.js';

const path = new URL('../../examples/thesis-dnn.yaml', import.meta.url).pathname;

test('examples/thesis-dnn.yaml is the thesis DNN with the process-weighted loss', () => {
  const c = loadConfig(path);
  assert.deepEqual(c.model, { kind: 'mlp', hidden: [128, 128], activation: 'mish', batchNorm: true, dropout: 0.2, init: 'pytorch' });
  const s = c.training!.stages[0] as Record<string, unknown>;
  assert.deepEqual([s.loss, s.count, s.crossSection, s.optimizer, s.lr, s.weightDecay], ['process-weighted', 'inverse', 'root', 'adamw', 0.001, 0.0001]);
  assert.deepEqual(Object.keys(c.data.processes!), ['0', '1', '2', '3']);
  assert.match(readFileSync(path, 'utf8'), /cannot be regenerated here/);
});

test('the thesis DNN config trains on the tiny simulated data (quick: 2 epochs, fixed windows)', async () => {
  const text = readFileSync(path, 'utf8')
    .replace(/hypotheses: \{[^\n]*\}/, 'hypotheses: {masses: [1, 2, 3]}')
    .replace(/window: \{resolution[^\n]*\}/, 'window: {halfWidth: 0.3}\n  generatedPerMass: 600')
    .replace(/model: \{hidden: \[128, 128\]/, 'model: {hidden: [32, 32]')
    .replace(/epochs: 20, earlyStopping: 5/, 'epochs: 2');
  const cfg = parseConfig(text, 'thesis-quick.yaml');
  const runDir = mkdtempSync(join(tmpdir(), 'fomlab-thesis-'));
  const { summary } = await trainRun(cfg, { runDir, configName: 'thesis-quick', events: tinyEvents(4), log: () => {} });
  const h = summary.history.find((x) => x.stage === 'dnn')!;
  assert.equal(h.epochs.length, 2);
  assert.ok(h.epochs.every((e) => Number.isFinite(e.trainLoss) && Number.isFinite(e.validLoss ?? NaN)));
  assert.ok(h.epochs[1].validLoss! < h.epochs[0].validLoss!, `validation loss ${h.epochs.map((e) => e.validLoss).join(' → ')}`);
  assert.ok(summary.judgements!.methods[0].zCurve.maxZ > 0);
});
