// examples/vlq-strategies.yaml --quick (issue 15): every strategy of the mass-unspecific study in one
// `fomlab compare` on a small `simulate --channel vlq` sample (1 epoch, 20 trees, seeds 1 and 2), and
// figures recounted by hand from the saved test scores: μBDT's AUC and signal efficiency at
// background rejection 0.99 at 2 TeV with the ±2σ window of m_T^rec taken from the resolution table,
// a weighted pair count and a brute-force threshold scan; pNN_B's AUC at 2 TeV (a parameterised net:
// each event's copy scored at 2 TeV, the rows of the saved window file); the best seed = the larger
// validation AUC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { pairAuc } from '../pair-auc.js';
import { readSplitScores } from '../../src/train/test-scores.js';
import type { StrategyDigest, StrategySeed } from '../../src/compare/strategies-table.js';

/** signal efficiency at background rejection r by brute force: over every signal score as threshold, the best kept signal fraction with ≤ 1 − r of the background weight kept */
function effAtRejection(sig: Array<[number, number]>, bkg: Array<[number, number]>, r: number): number {
  const ws = sig.reduce((t, [, w]) => t + w, 0), wb = bkg.reduce((t, [, w]) => t + w, 0);
  let best = 0;
  for (const [t] of [...sig, ...bkg]) {
    const b = bkg.filter(([s]) => s >= t).reduce((a, [, w]) => a + w, 0) / wb;
    if (b <= 1 - r + 1e-12) best = Math.max(best, sig.filter(([s]) => s >= t).reduce((a, [, w]) => a + w, 0) / ws);
  }
  return best;
}

test('examples/vlq-strategies.yaml --quick: 12 strategies × seeds in one compare; AUC and ε_S at 0.99 rejection recounted from the saved scores', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-vlq-compare-'));
  try {
    const sim = await runCli(['simulate', '--channel', 'vlq', '--events-per-mass', '200', '--events-per-slice', '200', '--inclusive-events', '400', '--out', join(dir, 'vlq.parquet'), '--resolution', join(dir, 'vlq-resolution.txt')]);
    assert.equal(sim.code, 0, sim.err);
    copyFileSync(new URL('../../examples/vlq-strategies.yaml', import.meta.url), join(dir, 'vlq-strategies.yaml'));
    const out = join(dir, 'out');
    const r = await runCli(['compare', join(dir, 'vlq-strategies.yaml'), '--quick', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const saved = JSON.parse(readFileSync(join(out, 'strategies.json'), 'utf8')) as { digests: StrategyDigest[]; seeds: Record<string, StrategySeed[]> };
    assert.deepEqual(saved.digests.map((d) => d.method), ['μNN', 'μBDT', 'pNN', 'pNN_B', 'μBDT_m 1 TeV', 'μBDT_m 6 TeV', 'wNN', 'wBDT', 'pNN_X', 'Punzi pNN', 'FOM-aware pBDT', 'affine pNN']);
    for (const d of saved.digests) {
      const seeds = saved.seeds[d.method];
      assert.equal(seeds.length, d.method.includes('BDT') ? 1 : 2, d.method);
      assert.equal(d.best, seeds.reduce((a, b) => (b.validationAuc > a.validationAuc ? b : a)).seed, `${d.method}: best seed by validation AUC`);
      assert.ok(seeds.every((s) => s.cpuSeconds > 0), `${d.method}: training CPU recorded`);
    }
    for (const f of ['roc-panels', 'auc-vs-mass', 'efficiency-vs-mass', 'z-vs-mass', 'background-shape']) assert.match(readFileSync(join(out, `${f}.svg`), 'utf8'), /<svg/, f);
    assert.ok(existsSync(join(out, 'index.html')) && /\| μBDT \| 1 \(1\)/.test(readFileSync(join(out, 'table.md'), 'utf8')));

    // the FOM-aware pBDT's second stage boosts on the soft Punzi σ_min's gradients: its training loss
    // (mean ln σ_min) must fall over the rounds; a wrong sign of the gradient or hessian makes it rise
    const history = (JSON.parse(readFileSync(join(out, 'fom-aware-pbdt', 'seed-1', 'summary.json'), 'utf8')) as { history: Array<{ stage: string; epochs: Array<{ trainLoss: number }> }> }).history;
    assert.deepEqual(history.map((h) => h.stage), ['bce', 'punzi']);
    const punzi = history[1].epochs;
    assert.ok(punzi.length > 1 && punzi[punzi.length - 1].trainLoss < punzi[0].trainLoss, `Punzi loss over the FOM-aware rounds: ${punzi[0].trainLoss} → ${punzi[punzi.length - 1].trainLoss}`);

    // μBDT at 2 TeV: one test row per event; the window by hand from the resolution table
    const sigma = readFileSync(join(dir, 'vlq-resolution.txt'), 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split('\t').map(Number)).find(([m]) => m === 2000)![1];
    const bdt = readSplitScores(join(out, 'bdt', 'seed-1'), 'test');
    const rows = [...bdt.scores.keys()].filter((i) => Math.abs(bdt.mass[i] - 2000) <= 2 * sigma);
    const sig = rows.filter((i) => bdt.labels[i] === 1 && bdt.genMass[i] === 2000).map((i): [number, number] => [bdt.scores[i], bdt.weights[i]]);
    const bkg = rows.filter((i) => bdt.labels[i] === 0).map((i): [number, number] => [bdt.scores[i], bdt.weights[i]]);
    assert.ok(sig.length > 10 && bkg.length > 10, `window at 2 TeV: ${sig.length} signal, ${bkg.length} background`);
    const at2 = saved.seeds['μBDT'][0].masses.find((m) => m.mass === 2000)!;
    assert.ok(Math.abs(at2.auc! - pairAuc(sig, bkg)) < 1e-6, `μBDT AUC at 2 TeV: ${at2.auc} vs pair count ${pairAuc(sig, bkg)}`);
    assert.ok(at2.auc! > 0.7, `μBDT separates at 2 TeV: AUC ${at2.auc}`);
    assert.ok(Math.abs(at2.efficiency! - effAtRejection(sig, bkg, 0.99)) < 1e-6, `μBDT ε_S at 2 TeV: ${at2.efficiency} vs ${effAtRejection(sig, bkg, 0.99)}`);

    // pNN_B at 2 TeV: the copies scored at 2 TeV (saved window rows), a pair count
    const best = saved.digests.find((d) => d.method === 'pNN_B')!.best;
    const pnn = readSplitScores(join(out, 'pnn-b', `seed-${best}`), 'test');
    const h = pnn.info.hypotheses.findIndex((x) => x.mass === 2000);
    const part = (p: { offsets: Int32Array; events: Int32Array }): Array<[number, number]> => [...p.events.subarray(p.offsets[h], p.offsets[h + 1])].map((i) => [pnn.scores[i], pnn.weights[i]]);
    const pSig = part(pnn.signal), pBkg = part(pnn.background);
    assert.ok(pSig.every(([, w]) => w > 0) && pBkg.length > 10);
    const pAt2 = saved.seeds['pNN_B'].find((s) => s.seed === best)!.masses.find((m) => m.mass === 2000)!;
    assert.ok(Math.abs(pAt2.auc! - pairAuc(pSig, pBkg)) < 1e-6, `pNN_B AUC at 2 TeV: ${pAt2.auc} vs ${pairAuc(pSig, pBkg)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
