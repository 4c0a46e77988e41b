// examples/darkphoton-grid.yaml, quick: the slides' grid (cut to 2 × 2 points, 3 folds) and per-region
// gbdts on the tiny built-in sample. The grid table has every point with its per-fold numbers and the
// chosen point is the best mean; the model file is one regions model that `apply` scores; the summary
// and the report compare a cut at 0.5 with one cut per region.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { tinyRun } from './tiny-run.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

test('examples/darkphoton-grid.yaml (quick): grid search with 3-fold CV, per-region models, cut 0.5 vs region cuts', async () => {
  const t = await tinyRun();
  const cfg = join(t.dir, 'darkphoton.yaml');
  const example = readFileSync(new URL('../../examples/darkphoton-grid.yaml', import.meta.url), 'utf8');
  const quick = example.replace('../runs/darkphoton/events.parquet', 'events.parquet').replace('    category: category\n', '')
    .replace('{from: 0.5, to: 8.5, step: 0.1, train: {every: 2}}', '{masses: [1, 2, 3], train: all}').replace('generatedPerMass: 5000', 'generatedPerMass: 500')
    .replace('edges: [1, 4, 7]', 'edges: [1.5, 2.5]').replace('[4, 5, 6]', '[4, 6]').replace('[5, 6, 7, 8, 9]', '[5, 9]').replace('folds: 5', 'folds: 3');
  assert.notEqual(quick, example);
  writeFileSync(cfg, quick);
  const run = join(t.dir, 'run');
  const r = await runCli(['train', cfg, '--out', run]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /grid search \(4 points, 3-fold cross-validation/);
  assert.match(r.out, /cut 0.5 vs one cut per region/);
  const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as RunSummary;
  const g = s.grid!;
  assert.equal(g.select, 'punziFom');
  assert.deepEqual(g.points.map((p) => `${p.point['model.n_estimators']}/${p.point['model.max_depth']}`), ['4/5', '4/9', '6/5', '6/9']);
  for (const p of g.points) {
    assert.equal(p.folds.length, 3);
    const f = p.folds.map(Number);
    assert.ok(Math.abs(p.mean! - (f[0] + f[1] + f[2]) / 3) < 1e-12);
  }
  // higher is better for the Punzi FOM: the chosen point has the largest mean
  assert.equal(g.chosen, g.points.reduce((b, p, k) => (p.mean! > g.points[b].mean! ? k : b), 0));
  // the refit: the model file is the chosen point's, one gbdt per region
  const model = JSON.parse(readFileSync(join(run, 'models', 'bce.json'), 'utf8')) as { kind: string; edges: number[]; models: Array<{ kind: string; trees: unknown[] }> };
  assert.equal(model.kind, 'regions');
  assert.deepEqual(model.edges, [1.5, 2.5]);
  assert.equal(model.models.length, 3);
  const chosenTrees = Number(g.points[g.chosen].point['model.n_estimators']);
  for (const m of model.models) assert.ok(m.kind === 'gbdt' && m.trees.length <= chosenTrees);
  const rc = s.regionCuts!;
  assert.equal(rc.fixedCut, 0.5);
  assert.deepEqual(rc.masses.map((m) => [m.mass, m.region]), [[1, 0], [2, 1], [3, 2]]);
  assert.ok(rc.masses.every((m) => m.fixed !== null && m.regional !== null));
  const rep = await runCli(['report', run]);
  assert.equal(rep.code, 0, rep.err);
  const html = readFileSync(join(run, 'report', 'index.html'), 'utf8');
  assert.match(html, /Grid search/);
  assert.match(html, /Cut at 0.5 against one cut per region/);
  const a = await runCli(['apply', join(run, 'models', 'bce.json'), join(t.dir, 'events.parquet'), '--out', join(t.dir, 'scored.csv')]);
  assert.equal(a.code, 0, a.err);
});
