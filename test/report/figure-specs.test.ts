import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ratioSpec, sigmaMinSpec } from '../../src/report/specs-mass.js';
import type { RunSummary } from '../../src/evaluate/summary.js';
import { syntheticSummary } from './synthetic.js';

type Spec = { title: { text: string }; layer: Array<{ encoding?: { y?: { axis?: { title?: string } } }; layer?: unknown[]; data?: { values: Array<Record<string, number | string>> } }> };

test('headline plots follow meta.figure: title, axis, direction and the figure fields; σ_min stays the default', () => {
  const base = syntheticSummary({ masses: 4 });
  const plain = sigmaMinSpec(base) as unknown as Spec;
  assert.equal(plain.title.text, 'Sensitivity σ_min vs hypothesis mass (lower is better)');
  assert.match((ratioSpec(base) as unknown as Spec).title.text, /Ratio of σ_min to .*below 1: better/);

  // Asimov Z: BCE 2, Punzi 3 at every mass → ratio 1.5, "above 1: better"
  const s: RunSummary = structuredClone(base);
  s.meta.figure = { name: 'asimovZ', label: 'Asimov discovery Z', unit: '', better: 'higher' };
  for (const mp of s.masses) {
    Object.assign(mp.results.BCE, { figureMean: 2, figureSe: 0, figureBest: 2.1, figureCommon: 1.9 });
    Object.assign(mp.results.Punzi, { figureMean: 3, figureSe: 0, figureBest: 3.1, figureCommon: 2.9 });
  }
  const spec = sigmaMinSpec(s) as unknown as Spec & { data: { values: Array<{ mean: number; method: string }> } };
  assert.equal(spec.title.text, 'Asimov discovery Z vs hypothesis mass (higher is better)');
  assert.equal(spec.layer[1].encoding!.y!.axis!.title, 'Asimov discovery Z');
  assert.deepEqual([...new Set(spec.data.values.map((r) => r.mean))].sort(), [2, 3]);
  const ratio = ratioSpec(s) as unknown as Spec;
  assert.match(ratio.title.text, /Ratio of Asimov discovery Z to .*above 1: better/);
  const rows = (ratio.layer[1] as { data: { values: Array<{ ratio: number }> } }).data.values;
  assert.ok(rows.length === 4 && rows.every((r) => Math.abs(r.ratio - 1.5) < 1e-12));
});
