import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { FomlabError } from '../../src/core/errors.js';
import { splitByColumn, splitByFractions, splitTable } from '../../src/data/split.js';

// 1000 events, 300 signal: the label pattern is not sorted, so stratification has work to do
const n = 1000;
const labels = new Float32Array(n).map((_, i) => (i % 10 < 3 ? 1 : 0));
const table = new EventTable({ x: new Float32Array(n).map((_, i) => i), labels }, { features: ['x'], label: 'labels' }, 'toy.root');
const frac = { train: 0.6, validation: 0.2, test: 0.2, seed: 42 };

test('split sizes follow the fractions and the class fractions match in each part', () => {
  const s = splitTable(table, frac);
  assert.equal(s.train.length, 600);
  assert.equal(s.validation.length, 200);
  assert.equal(s.test.length, 200);
  for (const part of [s.train, s.validation, s.test]) {
    const signal = part.labels().reduce((a, b) => a + b, 0);
    assert.equal(signal / part.length, 0.3);
    assert.deepEqual(part.roles, table.roles);
  }
  // disjoint and complete
  const all = [...s.indices.train, ...s.indices.validation, ...s.indices.test].sort((a, b) => a - b);
  assert.deepEqual(all, [...Array(n).keys()]);
  // the sub-table rows are the indexed rows
  assert.deepEqual([...s.test.column('x')], [...s.indices.test]);
});

test('same seed gives identical indices, another seed different ones', () => {
  const a = splitByFractions(n, frac, labels);
  const b = splitByFractions(n, frac, labels);
  const c = splitByFractions(n, { ...frac, seed: 43 }, labels);
  assert.deepEqual(a, b);
  assert.notDeepEqual([...a.train], [...c.train]);
  assert.equal(c.train.length, 600);
});

test('without strata: rounded sizes; zero fractions give empty parts', () => {
  const s = splitByFractions(10, { train: 0.75, validation: 0.25, test: 0, seed: 1 });
  assert.equal(s.train.length, 8); // round(7.5)
  assert.equal(s.validation.length, 2);
  assert.equal(s.test.length, 0);
  assert.throws(() => splitByFractions(10, { train: 0.8, validation: 0.3, test: 0.1, seed: 1 }), FomlabError);
});

test('split by an existing column: 0/1/2 = train/validation/test', () => {
  const t = table.withColumn('fold', new Float32Array(n).map((_, i) => i % 4 === 3 ? 2 : i % 4 === 2 ? 1 : 0));
  const s = splitTable(t, { column: 'fold' });
  assert.deepEqual([s.train.length, s.validation.length, s.test.length], [500, 250, 250]);
  assert.deepEqual([...s.indices.test.slice(0, 3)], [3, 7, 11]);
  assert.throws(
    () => splitByColumn(new Float32Array([0, 1, 3, 2, 5]), 'fold', 'toy.root'),
    (e: unknown) => e instanceof FomlabError && /toy\.root: split column 'fold' has 2 value\(s\) other than 0 \(train\), 1 \(validation\), 2 \(test\), e\.g\. 3/.test(e.message),
  );
});
