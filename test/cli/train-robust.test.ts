// Issue 12, training half: resume checks the config (item 3), evaluate finds relative paths
// (item 4), a failed train leaves no run folder behind (item 7), summary.json names the kernels
// (item 10), `--out` naming a file is one line (item 5). Each case failed before: resume with more
// epochs exited 0 and kept the short net while RUN/config.yaml said otherwise; an architecture
// change threw a stack trace after overwriting RUN/config.yaml; evaluate resolved `files:` and
// `resolution:` against RUN; a failed train left RUN/config.yaml; summary.json had no kernels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { loadConfig } from '../../src/config/load.js';
import { trainRun } from '../../src/train/run.js';
import { kernels } from '../../src/core/index.js';
import { tinyRun, type TinyRun } from './tiny-run.js';

let tiny: TinyRun;
const oneLine = (r: { code: number; err: string }, pattern: RegExp): void => {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
  assert.match(r.err, pattern);
};

test('setup: a tiny data set', async () => { tiny = await tinyRun(); });

test('evaluate RUN finds the config\'s relative files (data and resolution table) from anywhere', async () => {
  const cfg = tiny.config('relative');
  const run = join(tiny.dir, 'elsewhere', 'run'); // RUN is not the config's folder
  const trained = await runCli(['train', cfg, '--out', run]);
  assert.equal(trained.code, 0, trained.err);
  const before = readFileSync(join(run, 'summary.json'), 'utf8');
  const again = await runCli(['evaluate', run]);
  assert.equal(again.code, 0, again.err);
  // the same nets judged on the same split: the same numbers (only the time stamps and durations differ)
  const strip = (s: string): unknown => { const j = JSON.parse(s) as { meta: Record<string, unknown> }; delete j.meta.createdAt; delete j.meta.durations; delete j.meta.configName; return j; };
  assert.deepEqual(strip(readFileSync(join(run, 'summary.json'), 'utf8')), strip(before));
  // item 10: the kernels that trained the nets are recorded
  assert.deepEqual((JSON.parse(before) as { meta: { kernels: string[] } }).meta.kernels, [kernels.name]);
  // and a run trained by other kernels is judged with a warning
  const record = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as { kernels: string };
  writeFileSync(join(run, 'run.json'), JSON.stringify({ ...record, kernels: 'other' }));
  const warned = await runCli(['evaluate', run]);
  assert.equal(warned.code, 0, warned.err);
  assert.match(warned.err, new RegExp(`warning: .* trained with the other kernels, this evaluation uses the ${kernels.name} kernels`));
});

test('--resume refuses a config that changes the result, names the keys, and leaves RUN/config.yaml alone', async () => {
  const cfg = tiny.config('resume');
  const run = join(tiny.dir, 'resume-run');
  assert.equal((await runCli(['train', cfg, '--out', run])).code, 0);
  const kept = readFileSync(join(run, 'config.yaml'), 'utf8');
  const summary = readFileSync(join(run, 'summary.json'), 'utf8');
  // epochs 2 → 50 in the first stage: refused (finished stages kept their best epoch: not exact)
  tiny.config('resume', { stages: ['{name: bce, loss: bce, optimizer: sgd, momentum: 0.9, lr: 0.5, batchSize: 512, epochs: 50, plateau: {factor: 0.5, patience: 0}}', '{name: punzi, loss: punzi, optimizer: adam, lr: 0.01, batchSize: 2000, epochs: 2, sharpness: {from: 1, to: 4}, plateau: {factor: 0.5, patience: 0}}'] });
  oneLine(await runCli(['train', cfg, '--out', run, '--resume']), /training\.stages\[0\]\.epochs \(2 → 50\).*cannot continue/);
  assert.equal(readFileSync(join(run, 'config.yaml'), 'utf8'), kept, 'RUN/config.yaml untouched');
  assert.equal(readFileSync(join(run, 'summary.json'), 'utf8'), summary, 'RUN/summary.json untouched');
  // another architecture: refused with one line (it was a stack trace)
  tiny.config('resume', { hidden: '[5]' });
  oneLine(await runCli(['train', cfg, '--out', run, '--resume']), /model\.hidden \(\[6,3\] → \[5\]\)/);
  assert.equal(readFileSync(join(run, 'config.yaml'), 'utf8'), kept);
  // worker threads do not change the nets: accepted, and the finished nets are reused
  tiny.config('resume', { workers: 1 });
  const record = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as { kernels: string };
  writeFileSync(join(run, 'run.json'), JSON.stringify({ ...record, kernels: 'other' })); // as if trained by the other kernels
  const r = await runCli(['train', cfg, '--out', run, '--resume']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`warning: .* trained with the other kernels, this resume uses the ${kernels.name} kernels`));
  assert.equal(readFileSync(join(run, 'summary.json'), 'utf8').replace(/"createdAt": "[^"]*"|"durations": \{[^}]*\}/g, ''), summary.replace(/"createdAt": "[^"]*"|"durations": \{[^}]*\}/g, ''));
});

test('--resume with other stage epochs continues exactly where that equals an uninterrupted run, and refuses where not', async () => {
  const stages = (bce: number, punzi: number): string[] => [
    `{name: bce, loss: bce, optimizer: sgd, momentum: 0.9, lr: 0.5, batchSize: 512, epochs: ${bce}, plateau: {factor: 0.5, patience: 0}}`,
    `{name: punzi, loss: punzi, optimizer: adam, lr: 0.01, batchSize: 2000, epochs: ${punzi}, plateau: {factor: 0.5, patience: 0}}`,
  ];
  // stopped (as by Ctrl-C) after the first epoch of every net, then resumed with 2 → 4 and 3 → 6 epochs
  const interrupted = async (name: string, cfg: string): Promise<string> => {
    const run = join(tiny.dir, name);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const r = await trainRun(loadConfig(cfg), { runDir: run, configName: 'more', configFile: cfg, stop, log: (l) => { if (l.startsWith('events:')) Atomics.store(stop, 0, 1); } });
    assert.ok(r.interrupted);
    return run;
  };
  const cfg = tiny.config('more', { stages: stages(2, 3), ensemble: 2 });
  const run = await interrupted('more-run', cfg);
  tiny.config('more', { stages: stages(4, 6), ensemble: 2 });
  const resumed = await runCli(['train', cfg, '--out', run, '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  const whole = join(tiny.dir, 'more-whole');
  assert.equal((await runCli(['train', cfg, '--out', whole])).code, 0);
  const strip = (r: string): string => readFileSync(join(r, 'summary.json'), 'utf8').replace(/"createdAt": "[^"]*"|"durations": \{[^}]*\}/g, '');
  assert.equal(strip(run), strip(whole));
  for (const f of ['checkpoints/net-0.safetensors', 'checkpoints/net-1.safetensors', 'models/punzi.json', 'models/bce.json']) {
    assert.ok(readFileSync(join(run, f)).equals(readFileSync(join(whole, f))), f);
  }
  // now finished: every stage ran out of its epochs, so more epochs cannot continue exactly
  tiny.config('more', { stages: stages(4, 8), ensemble: 2 });
  oneLine(await runCli(['train', cfg, '--out', run, '--resume']), /training\.stages\[1\]\.epochs \(6 → 8\).*net 0 finished stage 1 after its 6 epochs/);
  // a sharpness schedule spans its stage: another count changes the schedule of a stage under way
  const punzi = (epochs: number): string[] => [`{name: punzi, loss: punzi, optimizer: adam, lr: 0.01, batchSize: 2000, epochs: ${epochs}, sharpness: {from: 1, to: 4}}`];
  const sharp = tiny.config('sharp', { stages: punzi(3) });
  const run2 = await interrupted('sharp-run', sharp);
  tiny.config('sharp', { stages: punzi(5) });
  oneLine(await runCli(['train', sharp, '--out', run2, '--resume']), /training\.stages\[0\]\.epochs \(3 → 5\).*net 0 has begun stage 0, whose sharpness schedule spans its epochs/);
});

test('a train that fails its checks leaves no run folder; --out naming a file is one line', async () => {
  const cfg = tiny.config('outside', { hypotheses: '{masses: [7, 8], train: all}' });
  const run = join(tiny.dir, 'failed-run');
  oneLine(await runCli(['train', cfg, '--out', run]), /no training hypothesis has signal|outside/);
  assert.ok(!existsSync(run), 'no RUN folder left behind');
  const file = join(tiny.dir, 'a-file');
  writeFileSync(file, 'x');
  oneLine(await runCli(['train', tiny.config('ok'), '--out', file]), /a-file: a file of that name exists/);
  oneLine(await runCli(['train', tiny.config('ok'), '--out', join(file, 'run')]), /cannot create the run folder \(ENOTDIR/);
});
