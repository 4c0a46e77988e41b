// examples/zprime-mumu-compare.yaml --quick (`fomlab mass-compare`, issue 17): per-region trees, the
// one-shot net, the Punzi-loss net and the mass-parameterised net on a small built-in zprime-mumu sample; the slides' Punzi FOM
// ε/(1.64 + √B) in ±250 MeV windows at a cut of 0.5 and at the region cuts is recounted by brute force
// from the saved test scores and events, and the table's geometric means from the per-mass numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import type { RunSummary } from '../../src/evaluate/summary.js';
import type { MassCompareRow, MethodDigest } from '../../src/compare/mass-scan-table.js';
import { planMassCompare } from '../../src/compare/mass-scan-config.js';

const EXAMPLE = new URL('../../examples/zprime-mumu-compare.yaml', import.meta.url).pathname;
const f32 = (file: string): Float32Array => { const b = readFileSync(file); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };

/** ε/(1.64 + √B) with ε = signal rows generated at m, in (m − 0.25, m + 0.25), score ≥ cut, over N_gen; B = Σ w of background there */
function punziAt(cut: number, m: number, nGen: number, s: Float32Array, ev: Float32Array): number {
  const n = s.length;
  let pass = 0, B = 0;
  for (let i = 0; i < n; i++) {
    const M = ev[2 * n + i];
    if (!(M > m - 0.25 && M < m + 0.25) || s[i] < cut) continue;
    if (ev[i] >= 0.5) { if (Math.abs(ev[3 * n + i] - m) < 1e-4) pass++; } else B += ev[n + i];
  }
  return pass / nGen / (1.64 + Math.sqrt(B));
}

/**
 * The rows of a test split (labels, weights, M, genMass) that the figure counts, as sorted keys: background in
 * some ±0.25 GeV window of the 17 masses, signal in the window of its own mass. The parameterised net judges
 * each such row once, at the hypothesis of its window (the windows (m − 0.25, m + 0.25), m = 0.5, 1, …, 8.5, do
 * not overlap; signal of another mass is not scored there); the other methods hold the plain split.
 */
function windowRows(ev: Float32Array): string[] {
  const n = ev.length / 4, out: string[] = [];
  for (let i = 0; i < n; i++) {
    const M = ev[2 * n + i], m = Math.round(M * 2) / 2;
    if (!(m >= 0.5 && m <= 8.5 && Math.abs(M - m) < 0.25) || (ev[i] >= 0.5 && !(Math.abs(ev[3 * n + i] - m) < 1e-4))) continue;
    out.push(`${ev[i]} ${ev[n + i]} ${M} ${ev[3 * n + i]}`);
  }
  return out.sort();
}

test('examples/zprime-mumu-compare.yaml --quick: four methods, FOM per mass at cut 0.5 and per region recounted from the saved test scores', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-zprime-mumu-compare-'));
  try {
    const sim = await runCli(['simulate', '--channel', 'zprime-mumu', '--events-per-mass', '1500', '--background-events', '25000', '--out', join(dir, 'zprime-mumu.parquet')]);
    assert.equal(sim.code, 0, sim.err);
    writeFileSync(join(dir, 'zprime-mumu-compare.yaml'), readFileSync(EXAMPLE, 'utf8'));
    const out = join(dir, 'cmp');
    const r = await runCli(['mass-compare', join(dir, 'zprime-mumu-compare.yaml'), '--quick', '--out', out]);
    assert.equal(r.code, 0, r.err);
    for (const f of ['table.md', 'comparison.json', 'fom-vs-mass.svg', 'fom-vs-mass.png']) assert.ok(existsSync(join(out, f)), f);
    const cmp = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')) as { rows: MassCompareRow[]; runs: Array<{ method: string; runDir: string }>; digests: MethodDigest[] };
    assert.deepEqual(cmp.runs.map((x) => x.method), ['trees per region', 'one-shot net', 'Punzi-loss net', 'parameterised net']);
    // 17 masses 0.5–8.5 GeV, every second (1, 2, …, 8 GeV) held out of training
    assert.deepEqual([...new Set(cmp.rows.filter((x) => x.heldOut).map((x) => x.mass))], [1, 2, 3, 4, 5, 6, 7, 8]);
    let checked = 0;
    const firstRun = cmp.runs[0].runDir;
    const testEvents = f32(join(firstRun, 'test-events.f32'));
    for (const run of cmp.runs) {
      const summary = JSON.parse(readFileSync(join(run.runDir, 'summary.json'), 'utf8')) as RunSummary;
      const s = f32(join(run.runDir, 'test-scores.f32')), ev = f32(join(run.runDir, 'test-events.f32'));
      const info = JSON.parse(readFileSync(join(run.runDir, 'test-events.json'), 'utf8')) as { rows: number; hypotheses: Array<{ mass: number; nGenerated: number }> };
      assert.equal(s.length, info.rows);
      if (run.method === 'parameterised net') assert.deepEqual(windowRows(ev), windowRows(testEvents), 'the pNN judges the same test rows, each at its window\'s mass');
      else assert.deepEqual(ev, testEvents, 'every method is judged on the same test split');
      const rc = summary.regionCuts!;
      assert.deepEqual(rc.edges, [1, 4, 7]);
      assert.equal(rc.fixedCut, 0.5);
      for (const [h, m] of rc.masses.entries()) {
        const nGen = info.hypotheses[h].nGenerated;
        // N_gen on the test split = 1500 generated × the test fraction (≈ 0.25 of the rows)
        assert.ok(nGen > 1500 * 0.2 && nGen < 1500 * 0.3, `${nGen}`);
        const fixed = punziAt(0.5, m.mass, nGen, s, ev), regional = punziAt(rc.regionCuts[m.region]!, m.mass, nGen, s, ev);
        assert.ok(Math.abs((m.fixed ?? 0) - fixed) <= 1e-6 * Math.max(1e-3, fixed), `${run.method} ${m.mass} GeV cut 0.5: ${m.fixed} vs ${fixed}`);
        assert.ok(Math.abs((m.regional ?? 0) - regional) <= 1e-6 * Math.max(1e-3, regional), `${run.method} ${m.mass} GeV region cut: ${m.regional} vs ${regional}`);
        const row = cmp.rows.find((x) => x.method === run.method && x.mass === m.mass)!;
        assert.equal(row.fixed, m.fixed);
        assert.equal(row.region, m.mass < 1 ? 0 : m.mass < 4 ? 1 : m.mass < 7 ? 2 : 3);
        checked++;
      }
      // the trees' grid: the quick grid's two points, 2 folds each
      if (run.method === 'trees per region') assert.deepEqual(summary.grid!.points.map((p) => p.folds.length), [2, 2]);
      else {
        // the nets drop M: 9 inputs, 6 × 64 hidden: (9·64 + 64) + 5·(64·64 + 64) + (64 + 1) = 21,505 parameters;
        // the pNN has the mass hypothesis as a 10th input: 21,505 + 64 = 21,569
        const pnn = run.method === 'parameterised net';
        const net = JSON.parse(readFileSync(join(run.runDir, 'models', `${run.method === 'Punzi-loss net' ? 'punzi' : 'bce'}.json`), 'utf8')) as { inputNames: string[]; layers: Array<{ weight: number[]; bias: number[] }> };
        assert.equal(net.inputNames.length, pnn ? 10 : 9);
        assert.ok(!net.inputNames.includes('M'));
        if (pnn) assert.equal(net.inputNames[9], 'mass_hypothesis');
        assert.equal(net.layers.reduce((a, l) => a + l.weight.length + l.bias.length, 0), pnn ? 21_569 : 21_505);
      }
    }
    assert.equal(checked, 4 * 17);
    // the table's geometric mean at cut 0.5 over the trained masses, recomputed from the rows, for every method
    const table = readFileSync(join(out, 'table.md'), 'utf8');
    for (const method of cmp.runs.map((x) => x.method)) {
      const rows = cmp.rows.filter((x) => x.method === method && !x.heldOut && x.fixed! > 0);
      const gm = Math.exp(rows.reduce((a, x) => a + Math.log(x.fixed!), 0) / rows.length);
      assert.match(table, new RegExp(`\\| ${method} \\| ${gm.toPrecision(4).replace('.', '\\.')} `), method);
    }
    // the generalisation number: per held-out mass m (1, 2, …, 8 GeV) FOM(m)/√(FOM(m − 0.5)·FOM(m + 0.5)) at the own
    // cuts, geometric mean (held-out masses with a zero FOM or neighbour left out)
    for (const d of cmp.digests) {
      const at = (m: number): number | null => cmp.rows.find((x) => x.method === d.method && Math.abs(x.mass - m) < 1e-9)?.ownCut ?? null;
      let sum = 0, n = 0;
      for (let m = 1; m <= 8; m++) {
        const v = at(m), lo = at(m - 0.5), hi = at(m + 0.5);
        if (v && lo && hi) { sum += Math.log(v / Math.sqrt(lo * hi)); n++; }
      }
      assert.ok(Math.abs(d.heldOutVsNeighbours[2]! - Math.exp(sum / n)) < 1e-12, `${d.method}: ${d.heldOutVsNeighbours[2]} vs ${Math.exp(sum / n)}`);
    }
    // a re-run reuses the four finished runs
    const again = await runCli(['mass-compare', join(dir, 'zprime-mumu-compare.yaml'), '--quick', '--out', out]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /trees per region reused, one-shot net reused, Punzi-loss net reused, parameterised net reused/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mass-compare plan: the example\'s methods, features and quick settings; bad input names the file and setting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-mass-compare-plan-'));
  try {
    const text = readFileSync(EXAMPLE, 'utf8');
    const file = join(dir, 'c.yaml');
    writeFileSync(file, text);
    const full = planMassCompare(file), quick = planMassCompare(file, true);
    assert.deepEqual(full.methods.map((m) => [m.name, m.config.data.columns.features.length, m.config.model?.kind]), [['trees per region', 10, 'regions'], ['one-shot net', 9, 'mlp'], ['Punzi-loss net', 9, 'mlp'], ['parameterised net', 9, 'mlp']]);
    assert.deepEqual(full.methods.map((m) => m.config.parameterised?.background), [undefined, undefined, undefined, 'random']);
    assert.equal(full.methods[3].config.parameterised?.redraw, true);
    assert.deepEqual(full.methods[0].config.training?.grid?.params, { 'model.n_estimators': [4, 5, 6], 'model.max_depth': [5, 6, 7, 8, 9] });
    assert.deepEqual(quick.methods[0].config.training?.grid?.params, { 'model.n_estimators': [4], 'model.max_depth': [5, 7] });
    assert.deepEqual(quick.methods[2].config.training?.stages.map((s) => s.epochs), [2, 2]);
    assert.deepEqual(full.methods[2].config.training?.stages.map((s) => s.loss), ['bce', 'punzi']);
    assert.deepEqual(full.base.data.split, { train: 0.5, validation: 0.25, test: 0.25, seed: 1, group: 'event' });
    writeFileSync(file, text.replace('  regionEdges: [1, 4, 7]\n', ''));
    assert.throws(() => planMassCompare(file), /c\.yaml: search\.regionEdges: missing/);
    writeFileSync(file, text.replace('drop: [M]', 'drop: [Mass]'));
    assert.throws(() => planMassCompare(file), /c\.yaml: massCompare\.methods\[1\]\.drop: Mass not in data\.columns\.features/);
    writeFileSync(file, text.replace('regionEdges: [1, 4, 7]', 'regionEdges: [4, 1]'));
    assert.throws(() => planMassCompare(file), /regionEdges.*ascending/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
