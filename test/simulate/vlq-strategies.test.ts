// The mass-unspecific study's strategies (examples/vlq-*.yaml, docs/mass-strategies.md) --quick: a
// small `simulate --channel vlq` sample, every config trained with 1 epoch / 20 trees, each judges its
// masses with a finite Asimov Z and AUC. For μBDT_m at 1 TeV the summary's AUC is recomputed
// independently: the saved model scored by `fomlab apply`, the test split's events in the ±2σ
// window of m_T^rec taken by hand from the resolution table, a weighted pair count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { readColumns } from '../../src/data/readers/index.js';
import { EventTable } from '../../src/data/table.js';
import { splitIndices } from '../../src/data/split.js';
import type { RunSummary } from '../../src/evaluate/summary.js';
import { pairAuc } from '../pair-auc.js';

const STRATEGIES: Array<[string, number]> = [ // [config, masses judged]
  ['munn', 28], ['mubdt', 28], ['wnn', 28], ['wbdt', 28], ['pnn', 28], ['pnn-b', 28], ['pnn-x', 28], ['pnn-affine', 28], ['mubdt-m1', 1], ['mubdt-m6', 1],
];
const example = (name: string): string => readFileSync(new URL(`../../examples/vlq-${name}.yaml`, import.meta.url), 'utf8');

test('examples/vlq-*.yaml --quick: every strategy of the study trains and judges finite Asimov Z and AUC; μBDT_m\'s AUC = a pair count on the saved scores', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-vlq-strategies-'));
  try {
    const sim = await runCli(['simulate', '--channel', 'vlq', '--events-per-mass', '200', '--events-per-slice', '200', '--inclusive-events', '400',
      '--out', join(dir, 'vlq.parquet'), '--resolution', join(dir, 'vlq-resolution.txt')]);
    assert.equal(sim.code, 0, sim.err);
    for (const [name, nMasses] of STRATEGIES) {
      const text = example(name);
      assert.match(text, /^# /, `${name}: a header`);
      assert.match(text, name.includes('bdt') ? /n_estimators: 500, max_depth: 5, eta: 0\.15/ : /hidden: \[64, 64\], activation: relu/, name);
      if (name.startsWith('pnn') || name === 'munn' || name === 'mubdt') assert.match(text, /train: \{every: 2\}/, `${name}: held-out masses`);
      writeFileSync(join(dir, `${name}.yaml`), text.replace(/epochs: 20/, 'epochs: 1').replace(/n_estimators: 500/, 'n_estimators: 20'));
      const run = join(dir, name);
      const r = await runCli(['train', join(dir, `${name}.yaml`), '--out', run]);
      assert.equal(r.code, 0, `${name}: ${r.err}`);
      const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as RunSummary;
      assert.equal(s.meta.figure?.name, 'asimovZ');
      assert.equal(s.masses.length, nMasses, name);
      if (nMasses === 28) assert.equal(s.masses.filter((m) => m.heldOut).length, /every: 2/.test(text) ? 14 : 0, `${name}: held out`);
      for (const m of s.masses) {
        const z = m.results[s.methods[0].name].figureMean;
        assert.ok(z != null && Number.isFinite(z) && z >= 0, `${name} m = ${m.mass}: Z = ${z}`);
      }
      const aucs = s.judgements!.methods[0].perMass.map((p) => p.auc).filter((a): a is number => a != null);
      // the inclusive background (wNN, wBDT, pNN, pNN_X) of this small sample has none above ~3 TeV: no AUC there
      const inclusive = /bkg_sample != 2/.test(text);
      assert.ok(aucs.length >= (inclusive ? 8 : nMasses - 2) && aucs.every((a) => a >= 0 && a <= 1), `${name}: AUCs ${aucs}`);
    }
    // μBDT_m at 1 TeV: score the file with the saved model, take the run's test split of the selected events
    const scored = join(dir, 'scored.parquet');
    const ap = await runCli(['apply', join(dir, 'mubdt-m1', 'models', 'bce.json'), join(dir, 'vlq.parquet'), '--out', scored]);
    assert.equal(ap.code, 0, ap.err);
    const all = (await readColumns(scored)).columns;
    const keep = [...all.get('bkg_sample')!.keys()].filter((i) => all.get('bkg_sample')![i] !== 1); // data.selection "bkg_sample != 1"
    const cols = new Map([...all].map(([k, v]) => [k, Float32Array.from(keep, (i) => v[i])]));
    const table = new EventTable(cols, { label: 'label', mass: 'mT_rec', features: ['mT_rec'] });
    const { test: testRows } = splitIndices(table, { train: 0.5, validation: 0.25, test: 0.25, seed: 1 });
    const sigma = readFileSync(join(dir, 'vlq-resolution.txt'), 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split('\t').map(Number)).find(([m]) => m === 1000)![1];
    const [mrec, y, gm, w, p] = ['mT_rec', 'label', 'gen_mass', 'weight', 'score'].map((c) => cols.get(c)!);
    const inWin = [...testRows].filter((i) => Math.abs(mrec[i] - 1000) < 2 * sigma);
    const sig = inWin.filter((i) => y[i] === 1 && gm[i] === 1000).map((i): [number, number] => [p[i], w[i]]);
    const bkg = inWin.filter((i) => y[i] === 0).map((i): [number, number] => [p[i], w[i]]);
    assert.ok(sig.length > 10 && bkg.length > 10, `window at 1 TeV: ${sig.length} signal, ${bkg.length} background test events`);
    const s = JSON.parse(readFileSync(join(dir, 'mubdt-m1', 'summary.json'), 'utf8')) as RunSummary;
    const auc = s.judgements!.methods[0].perMass[0].auc!;
    assert.ok(Math.abs(auc - pairAuc(sig, bkg)) < 1e-4, `AUC at 1 TeV: summary ${auc}, pair count ${pairAuc(sig, bkg)}`);
    assert.ok(auc > 0.6, `μBDT_m separates at 1 TeV: AUC ${auc}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
