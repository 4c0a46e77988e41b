import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { readColumns } from '../../src/data/readers/index.js';
import { saveFeedForwardSpec } from '../../src/models/spec-json.js';
import { forwardSpec, type FeedForwardSpec } from '../../src/models/spec.js';
import { Rng } from '../../src/core/rng.js';

// A 2-3-1 net with scaling, written as a model file; its scores checked against forwardSpec and,
// for one event, by hand.
const rng = new Rng(4);
const spec: FeedForwardSpec = {
  inputNames: ['a', 'b'],
  layers: [
    { nIn: 2, nOut: 3, activation: 'tanh', weight: Float32Array.from({ length: 6 }, () => rng.normal()), bias: Float32Array.from({ length: 3 }, () => rng.normal()) },
    { nIn: 3, nOut: 1, activation: 'sigmoid', weight: Float32Array.from({ length: 3 }, () => rng.normal()), bias: Float32Array.from([0.1]) },
  ],
  inputShift: Float32Array.from([1, 2]),
  inputScale: Float32Array.from([0.5, 2]),
};

function byHand(a: number, b: number): number {
  const x = [(a - 1) * 0.5, (b - 2) * 2];
  const [w1, b1, w2, b2] = [spec.layers[0].weight, spec.layers[0].bias, spec.layers[1].weight, spec.layers[1].bias];
  let z = b2[0];
  for (let j = 0; j < 3; j++) z += w2[j] * Math.tanh(w1[2 * j] * x[0] + w1[2 * j + 1] * x[1] + b1[j]);
  return 1 / (1 + Math.exp(-z));
}

test('fomlab apply adds a score column, equal to the model, written atomically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-apply-'));
  const model = join(dir, 'model.json');
  saveFeedForwardSpec(spec, model);
  writeFileSync(join(dir, 'events.csv'), 'a,b,M2\n1.5,2.5,10\n-1,0,20\n3,-2,30\n');
  assert.equal(await main(['apply', model, join(dir, 'events.csv')]), 0);
  const out = await readColumns(join(dir, 'events.scored.csv'));
  const score = out.columns.get('score')!;
  const x = Float32Array.from([1.5, 2.5, -1, 0, 3, -2]);
  assert.deepEqual([...score], [...forwardSpec(spec, x, 3)]);
  assert.ok(Math.abs(score[0] - byHand(1.5, 2.5)) < 1e-6);
  assert.deepEqual([...out.columns.get('M2')!], [10, 20, 30]);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('fomlab apply: a ROOT file gets a Parquet output; bad input is one message, non-zero, no file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-apply-'));
  const model = join(dir, 'model.json');
  saveFeedForwardSpec({ ...spec, inputNames: ['px1', 'py1'] }, model);
  const root = new URL('../fixtures/skhep/uproot-Zmumu.root', import.meta.url).pathname;
  const out = join(dir, 'zmumu.parquet');
  assert.equal(await main(['apply', model, root, '--out', out]), 0);
  assert.equal((await readColumns(out)).columns.get('score')!.length, 2304);

  const errors: string[] = [];
  const orig = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    saveFeedForwardSpec({ ...spec, inputNames: ['px1', 'pyy1'] }, model);
    assert.equal(await main(['apply', model, root, '--out', join(dir, 'bad.parquet')]), 2);
    assert.equal(await main(['apply', join(dir, 'missing.json'), root]), 2);
  } finally {
    console.error = orig;
  }
  assert.match(errors[0], /needs column 'pyy1' \(did you mean: py1/);
  assert.match(errors[1], /missing\.json/);
  assert.ok(!existsSync(join(dir, 'bad.parquet')));
});
