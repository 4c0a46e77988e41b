// XGBoost JSON models (test/fixtures/xgboost/, written by make.py there with python3-xgboost 1.7.4) score in fomlab
// as in XGBoost: margins and probabilities within 1e-6 (C++ and TypeScript scorers), incl. missing values,
// depth 5–6, loss-guided trees, weights and a base_score ≠ 0.5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { loadModelFile } from '../../src/models/registry.js';
import { FomlabError } from '../../src/core/errors.js';
import { importances, margins, marginsTs, probabilities } from '../../src/models/gbdt/forest.js';
import { forestFromXgboostJson, loadXgboostModel } from '../../src/models/gbdt/xgboost.js';

const dir = new URL('../fixtures/xgboost/', import.meta.url);

for (const name of ['depth3', 'depth6_missing', 'lossguide_weighted', 'exact_depth5']) {
  test(`XGBoost model ${name} scores identically`, () => {
    const f = loadXgboostModel(new URL(`${name}.model.json`, dir).pathname);
    const ex = JSON.parse(readFileSync(new URL(`${name}.expected.json`, dir), 'utf8')) as { rows: Array<Array<number | null>>; margin: number[]; probability: number[]; rounds: number };
    assert.equal(f.trees.length, ex.rounds);
    assert.deepEqual(f.inputNames, ['x0', 'x1', 'x2', 'x3', 'x4']);
    const n = ex.rows.length;
    const cols = f.inputNames.map((_, j) => Float32Array.from(ex.rows, (r) => r[j] ?? NaN));
    if (name !== 'depth3') assert.ok(cols.some((c) => c.some(Number.isNaN)), 'fixture has missing values');
    for (const m of [margins(f, cols, n), marginsTs(f, cols, n)]) m.forEach((v, i) => assert.ok(Math.abs(v - ex.margin[i]) <= 1e-6, `${name} row ${i}: ${v} vs ${ex.margin[i]}`));
    probabilities(f, cols, n).forEach((p, i) => assert.ok(Math.abs(p - ex.probability[i]) <= 1e-6, `${name} row ${i}: p ${p} vs ${ex.probability[i]}`));
  });
}

test('XGBoost import: unsupported or broken models give one line naming the file and field', () => {
  const good = JSON.parse(readFileSync(new URL('depth3.model.json', dir), 'utf8'));
  const bad = (mutate: (j: any) => void, re: RegExp) => {
    const j = structuredClone(good);
    mutate(j);
    assert.throws(() => forestFromXgboostJson(j, 'm.json'), (e: unknown) => e instanceof FomlabError && re.test(e.message) && !e.message.includes('\n'));
  };
  bad((j) => { j.learner.objective.name = 'multi:softprob'; }, /^m\.json: objective 'multi:softprob' is not supported/);
  bad((j) => { delete j.learner.gradient_booster; }, /^m\.json: not an XGBoost JSON model: learner\.gradient_booster\.name is missing/);
  bad((j) => { j.learner.gradient_booster.model.trees[2].left_children[0] = 99; }, /^m\.json: trees\[2\] node 0: child 99 is out of range/);
  bad((j) => { j.learner.gradient_booster.model.trees[1].split_indices[0] = 7; }, /^m\.json: trees\[1\] node 0: split_indices 7 outside the 5 features/);
});

test('feature importances (frequency, total gain, total cover) = XGBoost get_score on the imported models', () => {
  const expected = JSON.parse(readFileSync(new URL('importances.json', dir), 'utf8')) as Record<string, Record<'weight' | 'total_gain' | 'total_cover', Record<string, number>>>;
  for (const [name, e] of Object.entries(expected)) {
    const f = loadXgboostModel(new URL(`${name}.model.json`, dir).pathname);
    const imp = importances(f);
    f.inputNames.forEach((feature, j) => {
      assert.equal(imp.frequency[j], e.weight[feature] ?? 0, `${name} ${feature} weight`);
      for (const [ours, key] of [[imp.gain[j], 'total_gain'], [imp.cover[j], 'total_cover']] as const) {
        const want = e[key][feature] ?? 0;
        assert.ok(Math.abs(ours - want) <= 1e-5 * Math.abs(want), `${name} ${feature} ${key}: ${ours} vs ${want}`);
      }
    });
  }
});

test('an XGBoost JSON file is a model file: `fomlab apply` scores it by column name, missing values included; `export --onnx` converts it', async () => {
  const dirPath = mkdtempSync(join(tmpdir(), 'gbdt-xgb-'));
  try {
    const model = new URL('depth6_missing.model.json', dir).pathname;
    const ex = JSON.parse(readFileSync(new URL('depth6_missing.expected.json', dir), 'utf8')) as { rows: Array<Array<number | null>>; probability: number[] };
    const m = loadModelFile(model);
    assert.equal(m.kind, 'gbdt');
    // CSV with columns in another order and empty cells for missing values
    const order = [3, 0, 4, 2, 1];
    writeFileSync(join(dirPath, 'ev.csv'), [order.map((j) => `x${j}`).join(','), ...ex.rows.map((r) => order.map((j) => (r[j] === null ? 'nan' : String(r[j]))).join(','))].join('\n') + '\n');
    const out = join(dirPath, 'scored.csv');
    const r = await runCli(['apply', model, join(dirPath, 'ev.csv'), '--out', out]);
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const col = lines[0].split(',').indexOf('score');
    lines.slice(1).forEach((l, i) => assert.ok(Math.abs(Number(l.split(',')[col]) - ex.probability[i]) <= 1e-6, `row ${i}`));
    assert.equal(lines.length - 1, ex.rows.length);
    const e = await runCli(['export', model, '--onnx', '--out', join(dirPath, 'x.onnx')]);
    assert.equal(e.code, 0, e.err);
  } finally {
    rmSync(dirPath, { recursive: true, force: true });
  }
});
