import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'fomlab-validate-'));
writeFileSync(join(dir, 'sig.csv'), 'x,M\n1,100\n2,110\n3,120\n');
writeFileSync(join(dir, 'bkg.csv'), 'x,M\n4,90\n5,95\n');

const fomlab = (...args: string[]) => runCli(args);

test('fomlab validate prints events per file, label and category, and the sum of weights', async () => {
  const cfg = join(dir, 'ok.yaml');
  writeFileSync(
    cfg,
    `data:
  files:
    - {path: sig.csv, label: 1, category: 1, weight: 0.5}
    - {path: bkg.csv, label: 0, category: 2, weight: 2}
  columns: {features: [x], mass: M}
  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 3}
`,
  );
  const r = await fomlab('validate', cfg);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /events: 5 in 2 files/);
  assert.match(r.out, /sig\.csv: 3 read/);
  assert.match(r.out, /signal \(1\): 3 events, sum of weights 1\.5/);
  assert.match(r.out, /background \(0\): 2 events, sum of weights 4/);
  assert.match(r.out, /per category \(category\):\n  1: 3 events, sum of weights 1\.5\n  2: 2 events, sum of weights 4/);
  assert.match(r.out, /sum of weights: 5\.5 \(weight\)/);
  assert.match(r.out, /features \(1\): x/);
});

test('fomlab validate: a bad config exits non-zero with one message', async () => {
  const cfg = join(dir, 'bad.yaml');
  writeFileSync(cfg, 'data:\n  files: [sig.csv]\n  colums: {features: [x]}\n');
  const r = await fomlab('validate', cfg);
  assert.notEqual(r.code, 0);
  assert.equal(r.out, '');
  assert.match(r.err, /^fomlab: .*bad\.yaml: data\.colums: unknown key \(did you mean: columns\?\)/);
  const e = await fomlab('validate', join(dir, 'empty-selection.yaml'));
  assert.match(e.err, /no such config file/);
  writeFileSync(join(dir, 'sel.yaml'), 'data:\n  files: [sig.csv]\n  columns: {features: [x]}\n  selection: "x > 10"\n');
  const s = await fomlab('validate', join(dir, 'sel.yaml'));
  assert.notEqual(s.code, 0);
  assert.match(s.err, /^fomlab: selection 'x > 10' keeps no events of 3 in files .*sig\.csv$/);
});
