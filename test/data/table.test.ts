import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { FomlabError, nearMatches } from '../../src/core/errors.js';

const t = new EventTable(
  { x: new Float32Array([1, 2, 3]), y: new Float32Array([4, 5, 6]), labels: new Float32Array([1, 0, 1]) },
  { features: ['x', 'y'], label: 'labels' },
  'toy.csv',
);

test('feature matrix is row-major events × features', () => {
  assert.deepEqual([...t.featureMatrix()], [1, 4, 2, 5, 3, 6]);
});

test('missing column names the file and the near match', () => {
  assert.throws(() => t.column('lables'), (e: unknown) => e instanceof FomlabError && /toy\.csv.*'lables'.*did you mean: labels/.test(e.message));
});

test('weights default to one; filter and take keep roles', () => {
  assert.deepEqual([...t.weights()], [1, 1, 1]);
  const s = t.filter([1, 0, 1]);
  assert.deepEqual([...s.labels()], [1, 1]);
  assert.deepEqual(s.roles.features, ['x', 'y']);
  assert.deepEqual([...t.take([2, 0]).column('x')], [3, 1]);
});

test('concat joins rows and rejects a table lacking a column', () => {
  const c = EventTable.concat([t, t]);
  assert.equal(c.length, 6);
  const other = new EventTable({ x: new Float32Array(1) }, {}, 'other.csv');
  assert.throws(() => EventTable.concat([t, other]), /other\.csv: lacks column\(s\) y, labels/);
});

test('nearMatches ranks by edit distance', () => {
  assert.deepEqual(nearMatches('Muon_px', ['Muon_Px', 'Muon_Py', 'Electron_Px', 'NMuon']).slice(0, 1), ['Muon_Px']);
});
