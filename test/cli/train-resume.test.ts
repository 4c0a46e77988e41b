import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSimulationConfig, simulateToFile } from '../../src/simulate/index.js';

const bin = new URL('../../bin/fomlab.mjs', import.meta.url).pathname;

function run(args: string[], interruptAfter?: RegExp): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sent = false;
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (interruptAfter && !sent && interruptAfter.test(stderr)) {
        sent = true;
        setTimeout(() => p.kill('SIGINT'), 1000); // well inside the training (about 10 s of it)
      }
    });
    p.stdout.resume();
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

test('Ctrl-C stops fomlab train after an epoch with checkpoints; --resume finishes the run', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-resume-'));
  await simulateToFile({ ...defaultSimulationConfig(), zprimeMasses: [1, 2, 3], signalPerMass: 1500, muonFourVectors: false, seed: 2 }, join(dir, 'events.parquet'));
  writeFileSync(join(dir, 'config.yaml'), `
data:
  files: [events.parquet]
  columns: {features: [feature_1, feature_2, feature_3, feature_4], label: labels, mass: M2, genMass: gen_mass, weight: weights}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}
search:
  hypotheses: {masses: [1, 2, 3]}
  window: {halfWidth: 0.3}
  generatedPerMass: 1500
training:
  ensemble: 2
  stages:
    - {loss: bce, lr: 1, batchSize: 256, epochs: 30}
    - {loss: punzi, lr: 0.002, batchSize: full, epochs: 1500}
`);
  const runDir = join(dir, 'run');
  const first = await run(['train', join(dir, 'config.yaml'), '--out', runDir], /events: \d+ train/);
  assert.equal(first.code, 130, first.stderr);
  assert.match(first.stderr, /stopping after the current epoch/);
  const ckpts = readdirSync(join(runDir, 'checkpoints'));
  assert.ok(ckpts.some((f) => f.endsWith('.ckpt.safetensors')), `checkpoints: ${ckpts.join(', ')}`);
  assert.ok(!existsSync(join(runDir, 'summary.json')));
  const second = await run(['train', join(dir, 'config.yaml'), '--out', runDir, '--resume']);
  assert.equal(second.code, 0, second.stderr);
  assert.ok(existsSync(join(runDir, 'summary.json')));
  assert.deepEqual(readdirSync(join(runDir, 'checkpoints')).sort(), ['net-0.safetensors', 'net-1.safetensors']);
});
