// fomlab sweep: expansion of the sweep: section into jobs, its one-line errors, and a real local
// sweep: each job's row equals the mean over masses of its own RUN/summary.json, reports are
// linked, a rerun skips finished jobs and a changed grid runs only the new points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../cli-run.js';
import { setAtPath, sweepPoints, sweepSchema } from '../../src/config/sweep.js';
import { writeSmallEvents, writeSweepConfig } from './sweep-fixture.js';

test('sweep points: grid (first key slowest) × regions × seeds, with labels and the settings they change', () => {
  const sweep = sweepSchema.parse({
    grid: { 'training.stages[1].lr': [0.001, 0.002], 'model.hidden': [[8, 4], [16]] },
    regions: [{ name: 'low', hypotheses: { masses: [1, 2] } }, { name: 'high', hypotheses: { masses: [3] } }],
    seeds: [1, 2, 3],
  });
  const pts = sweepPoints(sweep);
  assert.equal(pts.length, 2 * 2 * 2 * 3);
  assert.deepEqual(pts[0], { label: 'lr1-0.001_hidden-8x4_low_seed-1', settings: { 'training.stages[1].lr': 0.001, 'model.hidden': [8, 4], 'search.hypotheses': { masses: [1, 2] }, 'training.seed': 1 } });
  assert.equal(pts[23].label, 'lr1-0.002_hidden-16_high_seed-3');
  assert.equal(new Set(pts.map((p) => p.label)).size, 24);
  assert.deepEqual(sweepPoints(sweepSchema.parse({})), [{ label: 'base', settings: {} }]);
});

test('setAtPath changes a copy; a path that is not in the config is an error naming it', () => {
  const raw = { training: { stages: [{ lr: 1 }, { lr: 2 }] } };
  assert.deepEqual(setAtPath(raw, 'training.stages[1].lr', 5, 'c.yaml: sweep'), { training: { stages: [{ lr: 1 }, { lr: 5 }] } });
  assert.equal(raw.training.stages[1].lr, 2);
  assert.throws(() => setAtPath(raw, 'training.stages[2].lr', 5, 'c.yaml: sweep'), { message: 'c.yaml: sweep: training.stages[2].lr: training.stages has 2 items, no [2]' });
  assert.throws(() => setAtPath(raw, 'trainig.seed', 5, 'c.yaml: sweep'), { message: 'c.yaml: sweep: trainig.seed: the config has no trainig' });
});

test('sweep config errors: one line naming the key (and the job), exit 2, nothing run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-sweep-err-'));
  const base = readFileSync(writeSweepConfig(dir, 'ok', [0.001], [1]), 'utf8');
  const cases: [string, RegExp][] = [
    [base.replace('seeds:', 'seed:'), /sweep\.seed: unknown key \(did you mean: seeds\?\)/],
    [base.replace('"training.stages[1].lr"', '"training.stages[4].lr"'), /sweep: training\.stages\[4\]\.lr: training\.stages has 2 items, no \[4\]/],
    [base.replace('[0.001]', '[-1]'), /job j0000 \(lr1--1_seed-1\).*training\.stages\[1\]\.lr: expected a positive number, got -1/],
    [base.replace(/sweep:[\s\S]*$/, ''), /sweep: missing/],
  ];
  for (const [text, message] of cases) {
    writeFileSync(join(dir, 'bad.yaml'), text);
    const r = await runCli(['sweep', join(dir, 'bad.yaml'), '--out', join(dir, 'out')]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.equal(r.err.split('\n').length, 1, r.err);
    assert.ok(!existsSync(join(dir, 'out')), 'nothing written');
  }
  const r = await runCli(['sweep', join(dir, 'ok.yaml'), '--time', '10']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--time only apply to --executor slurm or condor/);
});

test('a local sweep: rows are the runs\' own σ_min means, the page links each report, a rerun skips finished jobs', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-sweep-'));
  await writeSmallEvents(dir);
  const config = writeSweepConfig(dir, 'grid', [0.001, 0.004], [7], 20);
  const out = join(dir, 'sw');
  const r = await runCli(['sweep', config, '--out', out, '--jobs', '2', '--poll', '0.2']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /sweep: 2\/2 done · 0 running · 0 pending/);
  const rows = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).rows as { id: string; label: string; sigmaMin: Record<string, number>; report: string }[];
  assert.deepEqual(rows.map((x) => x.label), ['lr1-0.001_seed-7', 'lr1-0.004_seed-7']);
  for (const row of rows) {
    const run = JSON.parse(readFileSync(join(out, 'runs', row.id, 'summary.json'), 'utf8'));
    const sm = run.masses.map((m: { results: { Punzi: { sigmaMinMean: number } } }) => m.results.Punzi.sigmaMinMean);
    assert.equal(sm.length, 3);
    assert.equal(row.sigmaMin.Punzi, (sm[0] + sm[1] + sm[2]) / 3);
    assert.equal(row.report, join('runs', row.id, 'report', 'index.html'));
    assert.ok(statSync(join(out, row.report)).size > 1000);
    // the job trained its own derived config
    const derived = parse(readFileSync(join(out, 'runs', row.id, 'config.yaml'), 'utf8'));
    assert.equal(derived.training.stages[1].lr, row.label.startsWith('lr1-0.001') ? 0.001 : 0.004);
    assert.equal(derived.training.seed, 7);
  }
  const page = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(page, /<a href="runs\/j0000\/report\/index.html">report<\/a>/);
  assert.match(r.out, new RegExp(`j0001  lr1-0.004_seed-7  done\\s+${rows[1].sigmaMin.Punzi.toPrecision(4)}`));

  const stamp = statSync(join(out, 'runs', 'j0000', 'summary.json')).mtimeMs;
  const again = await runCli(['sweep', config, '--out', out, '--poll', '0.2']);
  assert.equal(again.code, 0, again.err);
  assert.match(again.err, /2\/2 done .* 2 finished before/);
  assert.equal(statSync(join(out, 'runs', 'j0000', 'summary.json')).mtimeMs, stamp, 'not trained again');

  // one more grid value: only the new job runs (the old ones keep their results)
  writeSweepConfig(dir, 'grid', [0.001, 0.004, 0.008], [7], 20);
  const more = await runCli(['sweep', config, '--out', out, '--poll', '0.2']);
  assert.equal(more.code, 0, more.err);
  assert.match(more.err, /3\/3 done .* 2 finished before/);
  assert.equal(statSync(join(out, 'runs', 'j0000', 'summary.json')).mtimeMs, stamp);
});
