// data.split.group: rows sharing a group id (the candidate rows of one event) land in one part;
// counts follow the fractions of the groups per stratum; the config accepts and rejects it; the grid's
// k folds keep a group in one fold too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitByFractions, splitIndices } from '../../src/data/split.js';
import { EventTable } from '../../src/data/table.js';
import { parseConfig } from '../../src/config/load.js';
import { stratifiedFolds } from '../../src/train/folds.js';

/** 4 rows per event, events 0..n-1 with label event % 3 === 0 (a third signal), ids shuffled in order of rows */
function eventRows(nEvents: number): { groups: Float32Array; labels: Float32Array } {
  const groups = new Float32Array(4 * nEvents), labels = new Float32Array(4 * nEvents);
  for (let e = 0; e < nEvents; e++) for (let k = 0; k < 4; k++) {
    const id = (e * 7919) % nEvents; // a permutation of 0..n-1 (7919 prime, n not a multiple)
    groups[4 * e + k] = id;
    labels[4 * e + k] = id % 3 === 0 ? 1 : 0;
  }
  return { groups, labels };
}

test('group split: every event in exactly one part, all its rows together; group counts per class = round(n·f)', () => {
  const n = 1000;
  const { groups, labels } = eventRows(n);
  const s = splitByFractions(groups.length, { train: 0.5, validation: 0.25, test: 0.25, seed: 3 }, labels, groups);
  assert.equal(s.train.length + s.validation.length + s.test.length, 4 * n);
  const partOf = new Map<number, number>();
  for (const [p, rows] of [s.train, s.validation, s.test].entries()) for (const i of rows) {
    const g = groups[i];
    assert.ok(!partOf.has(g) || partOf.get(g) === p, `event ${g} split across parts`);
    partOf.set(g, p);
  }
  assert.equal(partOf.size, n);
  // by hand: 334 signal events (ids 0, 3, …, 999) and 666 background; train round(334·0.5) = 167 and
  // round(666·0.5) = 333 events, validation round(83.5) = 84 and round(166.5) = 167 (Math.round rounds .5 up)
  const count = (p: number, cls: number) => [...partOf].filter(([g, q]) => q === p && (g % 3 === 0 ? 1 : 0) === cls).length;
  assert.deepEqual([count(0, 1), count(0, 0), count(1, 1), count(1, 0), count(2, 1), count(2, 0)], [167, 333, 84, 167, 83, 166]);
  // ascending row indices, deterministic for the seed, different for another seed
  for (const rows of [s.train, s.validation, s.test]) for (let i = 1; i < rows.length; i++) assert.ok(rows[i] > rows[i - 1]);
  assert.deepEqual(splitByFractions(groups.length, { train: 0.5, validation: 0.25, test: 0.25, seed: 3 }, labels, groups), s);
  assert.notDeepEqual(splitByFractions(groups.length, { train: 0.5, validation: 0.25, test: 0.25, seed: 4 }, labels, groups).train, s.train);
});

test('the per-row split without group separates the rows of most events (why the group exists)', () => {
  const { groups, labels } = eventRows(1000);
  const s = splitByFractions(groups.length, { train: 0.5, validation: 0.25, test: 0.25, seed: 3 }, labels);
  const parts = new Map<number, Set<number>>();
  for (const [p, rows] of [s.train, s.validation, s.test].entries()) for (const i of rows) {
    if (!parts.has(groups[i])) parts.set(groups[i], new Set());
    parts.get(groups[i])!.add(p);
  }
  const split = [...parts.values()].filter((x) => x.size > 1).length;
  // P(4 rows in one part) = 0.5⁴ + 2·0.25⁴ ≈ 0.07: ≈ 930 of 1000 events split
  assert.ok(split > 880 && split < 970, `${split}`);
});

test('splitIndices reads the group column of the table; a non-finite id is an error naming the row', () => {
  const { groups, labels } = eventRows(200);
  const t = new EventTable(new Map([['event', groups], ['labels', labels], ['x', new Float32Array(groups.length)]]), { features: ['x'], label: 'labels' }, 'mem');
  const s = splitIndices(t, { train: 0.6, validation: 0.2, test: 0.2, seed: 1, group: 'event' });
  for (const rows of [s.train, s.validation, s.test]) for (const i of rows) assert.equal(rows.includes(i - (i % 4)), true);
  const bad = Float32Array.from(groups); bad[5] = NaN;
  assert.throws(() => splitByFractions(bad.length, { train: 0.6, validation: 0.2, test: 0.2, seed: 1 }, labels, bad), /group column has a non-finite value \(NaN\) at row 5/);
});

test('config: split.group is kept with fractions and refused with a split column', () => {
  const cfg = parseConfig('data: {files: [a.parquet], columns: {features: [x], label: y}, split: {train: 0.5, validation: 0.25, test: 0.25, seed: 2, group: event}}', 'c.yaml');
  assert.deepEqual(cfg.data.split, { train: 0.5, validation: 0.25, test: 0.25, seed: 2, group: 'event' });
  assert.throws(() => parseConfig('data: {files: [a.parquet], columns: {features: [x], label: y}, split: {column: s, group: event}}', 'c.yaml'), /give either column/);
});

test('grid k-fold with groups: every group in one fold; groups per class dealt round-robin (⌊n/k⌋ or ⌈n/k⌉ each)', () => {
  const { groups, labels } = eventRows(103); // 35 signal events (ids 0, 3, …, 102), 68 background, 4 rows each
  const fold = stratifiedFolds(labels, 5, 9, groups);
  const foldOf = new Map<number, number>();
  for (let i = 0; i < groups.length; i++) {
    assert.ok(!foldOf.has(groups[i]) || foldOf.get(groups[i]) === fold[i], `event ${groups[i]} in two folds`);
    foldOf.set(groups[i], fold[i]);
  }
  for (let f = 0; f < 5; f++) {
    const sig = [...foldOf].filter(([g, q]) => q === f && g % 3 === 0).length, bkg = [...foldOf].filter(([g, q]) => q === f && g % 3 !== 0).length;
    assert.equal(sig, 7); // 35 / 5
    assert.ok(bkg === 13 || bkg === 14, `${bkg}`); // 68 / 5 = 13.6
  }
  assert.deepEqual(stratifiedFolds(labels, 5, 9, groups), fold);
  assert.throws(() => stratifiedFolds(labels, 40, 9, groups), /40 folds but only 35 signal groups/);
});
