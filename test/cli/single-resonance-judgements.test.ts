import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { readColumns } from '../../src/data/readers/index.js';
import { EventTable } from '../../src/data/table.js';
import { splitIndices } from '../../src/data/split.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

const EXAMPLE = new URL('../../examples/single-resonance.yaml', import.meta.url).pathname;
const ROOT = new URL('../fixtures/hep_ml/dalitzdata.root', import.meta.url).pathname;

// The yardstick: the ≤ 20-line single-resonance config (a ROOT ntuple, no generated-mass
// column) reports AUC, binned Z and background sculpting; the AUC checked by a pair count on the
// scores of the saved model, the window taken by hand as in single-resonance.test.ts.
test('single resonance: the summary and report carry AUC (= a pair count), binned Z, sculpting and DisCo, overtraining', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-single-j-'));
  try {
    const run = join(dir, 'run');
    const r = await runCli(['train', EXAMPLE, '--out', run]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as RunSummary;
    const j = s.judgements!.methods[0];
    assert.equal(j.method, 'BCE');
    assert.equal(j.perMass.length, 1);
    // AUC = Σ_s Σ_b ([p_s > p_b] + ½[p_s = p_b]) / (N_S N_B) over the test events in the window (equal weights)
    const scored = join(dir, 'scored.parquet');
    assert.equal((await runCli(['apply', join(run, 'models', 'bce.json'), ROOT, '--out', scored])).code, 0);
    const cols = (await readColumns(scored)).columns;
    const table = new EventTable(cols, { label: 'labels', mass: 'M2AB', features: ['Y1'] });
    const split = splitIndices(table, { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
    const [m, y, p] = ['M2AB', 'labels', 'score'].map((c) => cols.get(c)!);
    const sorted = [...split.train].filter((i) => y[i] === 1).map((i) => m[i]).sort((a, b) => a - b);
    const lo = sorted[Math.ceil(0.05 * sorted.length) - 1], hi = sorted[Math.ceil(0.95 * sorted.length) - 1];
    const inWindow = [...split.test].filter((i) => m[i] > lo && m[i] < hi);
    const S = Float64Array.from(inWindow.filter((i) => y[i] === 1), (i) => p[i]).sort();
    const B = Float64Array.from(inWindow.filter((i) => y[i] !== 1), (i) => p[i]).sort();
    let pairs = 0, k = 0, e = 0; // for each signal score: backgrounds below it (+ ½ the equal ones), by merging sorted lists
    for (const v of S) {
      while (k < B.length && B[k] < v) k++;
      e = k;
      while (e < B.length && B[e] === v) e++;
      pairs += k + (e - k) / 2;
    }
    const auc = pairs / (S.length * B.length);
    assert.ok(Math.abs(j.perMass[0].auc! - auc) < 1e-6, `AUC ${j.perMass[0].auc} vs pair count ${auc}`);
    assert.ok(Math.abs(j.roc.auc - auc) < 1e-6, 'one hypothesis: the inclusive ROC is the window\'s');
    assert.ok(auc > 0.6, `a BCE net separates the dalitz signal: AUC ${auc}`);
    assert.equal(j.binned!.bins.length, 8);
    assert.ok(j.binned!.z > 0 && Math.abs(j.binned!.z - Math.hypot(...j.binned!.bins.map((b) => b.z))) < 1e-9 * j.binned!.z, 'binned Z in quadrature');
    assert.ok(j.sculpting!.disco >= 0 && j.sculpting!.disco <= 1 && j.sculpting!.histograms.length === 5);
    assert.ok(j.overtraining!.signal.pValue >= 0 && j.overtraining!.signal.pValue <= 1);
    const rep = await runCli(['report', run]);
    assert.equal(rep.code, 0, rep.err);
    const html = readFileSync(join(run, 'report', 'index.html'), 'utf8');
    for (const id of ['roc', 'z-threshold', 'binned', 'sculpting-bce', 'overtraining-bce', 'correlations']) {
      assert.match(html, new RegExp(`<figure id="${id}">\\s*<svg`), id);
      assert.ok(existsSync(join(run, 'report', `${id}.png`)), `${id}.png`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
