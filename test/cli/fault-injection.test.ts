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
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Rng } from '../../src/core/rng.js';
import { loadTrainerState } from '../../src/train/checkpoint.js';
import { tinyRun } from './tiny-run.js';

const bin = new URL('../../bin/fomlab.mjs', import.meta.url).pathname;
const stages = [
  '{name: bce, loss: bce, optimizer: sgd, momentum: 0.9, lr: 0.5, batchSize: 128, epochs: 60, plateau: {factor: 0.5, patience: 1}}',
  '{name: punzi, loss: punzi, optimizer: adam, lr: 0.005, batchSize: 300, epochs: 60, sharpness: {from: 1, to: 4}, plateau: {factor: 0.5, patience: 1}}',
];

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stderr: string }

/** Epochs net 0 has finished by its checkpoint (its total when done; 0 before the first checkpoint). */
function progressOfNet0(run: string, total: number): number {
  try {
    if (existsSync(join(run, 'checkpoints', 'net-0.safetensors'))) return total;
    const s = loadTrainerState(join(run, 'checkpoints', 'net-0.ckpt.safetensors'));
    return s.logs.reduce((n, l) => n + l.epochs.length, 0);
  } catch {
    return 0; // not written yet (or replaced while read)
  }
}

/**
 * Runs `fomlab train`; with `killAt`, SIGKILLs it `killAt.delayMs` after net 0's checkpoint shows
 * `killAt.epochs` finished epochs (aiming by progress, not by the clock: start-up times vary too
 * much under load).
 */
function train(run: string, args: string[], killAt?: { epochs: number; total: number; delayMs: number }): Promise<Outcome> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, 'train', ...args, '--out', run, '--checkpoint-every', '1'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, FOMLAB_NO_PROGRESS: '1' } });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const poll = killAt && setInterval(() => {
      if (progressOfNet0(run, killAt.total) < killAt.epochs) return;
      clearInterval(poll);
      setTimeout(() => p.kill('SIGKILL'), killAt.delayMs);
    }, 3);
    p.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr });
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
  const total = 120; // epochs per net: 60 + 60
  // 10 kill points: after a seeded random number of net 0's epochs (1…120; 120 = net 0 done, net 1
  // finishing, the nets being judged or the results written), plus a random 0–20 ms
  const rng = new Rng(20261203);
  const points = Array.from({ length: 10 }, () => ({ epochs: 1 + rng.int(total), total, delayMs: rng.int(21) })).sort((a, b) => a.epochs - b.epochs);
  const run = join(tiny.dir, 'killed');
  const landed: string[] = [];
  let kills = 0, args = [config];
  for (let i = 0; i < points.length;) {
    const r = await train(run, args, points[i]);
    args = [config, '--resume'];
    if (r.signal !== 'SIGKILL') { // finished before the kill: check it, then try this point again from nothing
      assert.equal(r.code, 0, r.stderr);
      assertSameRun(reference, run, `finished before kill ${kills + 1}`);
      rmSync(run, { recursive: true });
      args = [config];
      continue;
    }
    kills++;
    i++;
    const ckpt = join(run, 'checkpoints', 'net-0.ckpt.safetensors');
    if (existsSync(ckpt)) {
      const s = loadTrainerState(ckpt);
      landed.push(`${s.logs[s.stageIndex]?.stage ?? '?'} epoch ${s.epoch}`);
    } else landed.push(existsSync(join(run, 'checkpoints', 'net-0.safetensors')) ? 'net 0 done' : 'before the first checkpoint');
  }
  const last = await train(run, args);
  assert.equal(last.code, 0, last.stderr);
  assertSameRun(reference, run, `after ${kills} kills`);
  t.diagnostic(`${kills} kills; net 0's checkpoint was at: ${landed.join(', ')}`);
  assert.ok(kills >= 10, `${kills} kills`);
  // the kills interrupted training itself, in both stages
  assert.ok(landed.some((l) => l.startsWith('bce epoch')) && landed.some((l) => l.startsWith('punzi epoch')), landed.join(', '));
});
