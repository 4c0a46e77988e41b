// XGBoost JSON models (test/fixtures/xgboost/, written by make.py there with python3-xgboost 1.7.4) score in fomlab
// as in XGBoost: margins and probabilities within 1e-6 (C++ and TypeScript scorers), incl. missing values,
// depth 5–6, loss-guided trees, weights and a base_score ≠ 0.5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
