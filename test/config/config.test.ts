import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { FomlabError } from '../../src/core/errors.js';

const base = `data:
  files: [signal.root, {path: /abs/bkg.root, label: 0, category: 2, weight: 0.05}]
  tree: tree
  columns:
    features: [M2AB, M2AC, 'Muon_Px[0]']
    label: labels
`;

/** asserts parseConfig(text) throws a FomlabError whose message matches every pattern */
function rejects(text: string, ...patterns: RegExp[]): void {
  assert.throws(
    () => parseConfig(text, 'config.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof FomlabError, `not a FomlabError: ${String(e)}`);
      for (const p of patterns) assert.match(e.message, p);
      return true;
    },
  );
}

test('a valid config gets defaults and resolved file entries', () => {
  const c = parseConfig(base, 'config.yaml', { baseDir: '/data' });
  assert.deepEqual(c.data.files, [{ path: '/data/signal.root' }, { path: '/abs/bkg.root', label: 0, category: 2, weight: 0.05 }]);
  assert.deepEqual(c.data.columns.features, ['M2AB', 'M2AC', 'Muon_Px[0]']);
  assert.equal(c.data.nan, 'error');
  assert.equal(c.data.scaling, 'none');
  assert.deepEqual(c.data.split, { train: 0.7, validation: 0.15, test: 0.15, seed: 0 });
});

test('split by fractions or by column', () => {
  const f = parseConfig(base + '  split: {train: 0.5, validation: 0.25, test: 0.25, seed: 7}\n');
  assert.deepEqual(f.data.split, { train: 0.5, validation: 0.25, test: 0.25, seed: 7 });
  const c = parseConfig(base + '  split: {column: fold}\n');
  assert.deepEqual(c.data.split, { column: 'fold' });
  rejects(base + '  split: {column: fold, train: 0.5}\n', /data\.split: give either column/);
});

test('bad YAML syntax names the line', () => {
  rejects('data:\n  files: [a.root\n  columns: {features: [x]}\n', /^config\.yaml: line 3, column \d+: YAML syntax error/);
  rejects('data:\n  files: [a]\ndata: 2\n', /line 3, column 1: YAML syntax error: Map keys must be unique/);
});

test('unknown key names it with near matches', () => {
  rejects(base.replace('columns:', 'colums:'), /config\.yaml: data\.colums: unknown key \(did you mean: columns\?\)/);
  rejects(base.replace('label: 0,', 'lable: 0,'), /data\.files\[1\]\.lable: unknown key \(did you mean: label\?\)/);
  rejects(base + 'serch: {}\n', /config\.yaml: serch: unknown key/);
});

test('wrong type names the key path, what was expected and what was found', () => {
  rejects(base + '  split: {train: 0.8x, validation: 0.1, test: 0.1}\n', /config\.yaml: data\.split\.train: expected a number between 0 and 1, got "0\.8x"/);
  rejects(base.replace('features: [M2AB, M2AC, \'Muon_Px[0]\']', 'features: M2AB'), /data\.columns\.features: expected a list of column names, got "M2AB"/);
  rejects(base + '  nan: dorp\n', /data\.nan: expected one of error, drop, fill, got "dorp" \(did you mean: drop\?\)/);
  rejects(base.replace('label: 0,', 'label: 2,'), /data\.files\[1\]\.label: expected 0 \(background\) or 1 \(signal\), got 2/);
  rejects('data:\n  columns: {features: [x]}\n', /data\.files: missing \(expected a list of files\)/);
  rejects('', /config\.yaml: the file is empty/);
});

test('fractions not summing to 1', () => {
  rejects(base + '  split: {train: 0.8, validation: 0.3, test: 0.1, seed: 1}\n', /data\.split: train \+ validation \+ test must sum to 1, got 0\.8 \+ 0\.3 \+ 0\.1 = 1\.2/);
  rejects(base + '  split: {train: 0.8}\n', /data\.split\.validation: missing/, /data\.split\.test: missing/);
});

test('selection syntax is checked with the config', () => {
  rejects(base + '  selection: "M2AB > 0 &&"\n', /data\.selection: selection "M2AB > 0 &&": expected an operand at column 12/);
});

test('loadConfig resolves relative paths against the config folder; missing config file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-config-'));
  const path = join(dir, 'c.yaml');
  writeFileSync(path, base);
  const c = loadConfig(path);
  assert.equal(c.data.files[0].path, join(dir, 'signal.root'));
  assert.equal(c.data.files[1].path, '/abs/bkg.root');
  assert.throws(() => loadConfig(join(dir, 'nope.yaml')), /nope\.yaml: no such config file/);
});

test('examples/data-only.yaml is a valid config pointing at the Dalitz file of the test fixtures (there in a fresh clone)', () => {
  const here = new URL('../../examples/data-only.yaml', import.meta.url);
  const c = loadConfig(here.pathname);
  assert.equal(c.data.files[0].path, new URL('../fixtures/hep_ml/dalitzdata.root', import.meta.url).pathname);
  assert.ok(existsSync(c.data.files[0].path), c.data.files[0].path);
  assert.deepEqual(c.data.split, { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
  assert.equal(c.data.scaling, 'standard');
});
