// Issue 12, the fault-injection test: `fomlab train` is killed with SIGKILL (no handler runs, no
// checkpoint is written on the way out) at ≥ 10 seeded random points, resumed with --resume each
// time, and the finished run must equal an uninterrupted one byte for byte: summary.json (except
// its wall-clock fields meta.createdAt and meta.durations), models/*.json, the trained nets
// checkpoints/net-k.safetensors (parameters, stage snapshots, logs), run.json and config.yaml.
// Two nets (worker threads), SGD with momentum 0.9 then Adam, both stages with a plateau schedule
// (patience 1: the lr halves during training) and the Adam stage with batches and a sharpness
// schedule; checkpoints after every epoch, so a kill can land between any two epochs, inside a
// checkpoint write, while the nets are judged or while the results are written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { loadTrainerState } from '../../src/train/checkpoint.js';
import { tinyRun } from './tiny-run.js';

const bin = new URL('../../bin/fomlab.mjs', import.meta.url).pathname;
const stages = [
  '{name: bce, loss: bce, optimizer: sgd, momentum: 0.9, lr: 0.5, batchSize: 128, epochs: 60, plateau: {factor: 0.5, patience: 1}}',
  '{name: punzi, loss: punzi, optimizer: adam, lr: 0.005, batchSize: 300, epochs: 60, sharpness: {from: 1, to: 4}, plateau: {factor: 0.5, patience: 1}}',
];

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stderr: string; trainingMs: number }

/**
 * Runs `fomlab train`; with `killAfterMs`, SIGKILLs it that long after this process wrote its first
 * checkpoint (training under way: start-up times vary too much under load to aim by the clock).
 * `trainingMs`: from that first checkpoint to the exit.
 */
function train(run: string, args: string[], killAfterMs?: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const start = Date.now();
    const p = spawn(process.execPath, [bin, 'train', ...args, '--out', run, '--checkpoint-every', '1'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FOMLAB_NO_PROGRESS: '1' } });
    let stderr = '', began = 0;
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const dir = join(run, 'checkpoints');
    const poll = setInterval(() => {
      const fresh = existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.safetensors') && statSync(join(dir, f), { throwIfNoEntry: false })!?.mtimeMs >= start);
      if (!fresh) return;
      clearInterval(poll);
      began = Date.now();
      if (killAfterMs !== undefined) setTimeout(() => p.kill('SIGKILL'), killAfterMs);
    }, 5);
    p.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr, trainingMs: began ? Date.now() - began : 0 });
    });
  });
}

function files(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f), root) : [relative(root, join(dir, f))])).sort();
}

/** summary.json without its wall-clock fields */
function summaryOf(run: string): unknown {
  const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as { meta: Record<string, unknown> };
  delete s.meta.createdAt;
  delete s.meta.durations;
  return s;
}

function assertSameRun(reference: string, run: string, what: string): void {
  const listed = files(reference).filter((f) => !f.startsWith('report'));
  assert.deepEqual(files(run), listed, `${what}: the same files (no stale checkpoint or temporary file)`);
  assert.deepEqual(summaryOf(run), summaryOf(reference), `${what}: summary.json`);
  for (const f of listed.filter((f) => f !== 'summary.json')) assert.ok(readFileSync(join(run, f)).equals(readFileSync(join(reference, f))), `${what}: ${f} byte-identical`);
}

test('SIGKILL at ≥ 10 random points of train, then --resume: the same run byte for byte', { timeout: 240_000 }, async (t) => {
  const tiny = await tinyRun();
  const config = tiny.config('fault', { ensemble: 2, stages });
  const reference = join(tiny.dir, 'reference');
  const whole = await train(reference, [config]);
  assert.equal(whole.code, 0, whole.stderr);
  const rng = new Rng(20261203);
  const landed: string[] = [];
  let kills = 0, chain = 0;
  while (kills < 10) {
    const run = join(tiny.dir, `killed-${chain++}`);
    let args = [config];
    for (;;) { // kill, resume, kill, … until 10 kills (or a segment finishes before its kill), then resume to the end
      const r = await train(run, args, kills < 10 ? 0.5 * rng.uniform() * whole.trainingMs : undefined);
      args = [config, '--resume'];
      if (r.signal !== 'SIGKILL') {
        assert.equal(r.code, 0, r.stderr);
        break;
      }
      kills++;
      const ckpt = join(run, 'checkpoints', 'net-0.ckpt.safetensors');
      if (existsSync(ckpt)) {
        const s = loadTrainerState(ckpt);
        landed.push(`${s.logs[s.stageIndex]?.stage ?? '?'} epoch ${s.epoch}`);
      } else landed.push(existsSync(join(run, 'checkpoints', 'net-0.safetensors')) ? 'net 0 done' : 'before the first checkpoint');
    }
    assertSameRun(reference, run, `chain ${chain} (${kills} kills so far)`);
  }
  t.diagnostic(`${kills} kills in ${chain} chains; net 0 was at: ${landed.join(', ')}`);
  // the kills interrupted training itself, in both stages (not just start-up)
  assert.ok(landed.some((l) => l.startsWith('bce epoch')) && landed.some((l) => l.startsWith('punzi epoch')), landed.join(', '));
});
