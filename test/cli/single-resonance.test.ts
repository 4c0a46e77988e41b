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

/** Asimov discovery Z by hand (Cowan et al. 2011 eq. 97) */
const zA = (s: number, b: number): number => Math.sqrt(2 * ((s + b) * Math.log(1 + s / b) - s));

test('examples/single-resonance.yaml (≤ 20 lines): fomlab train on a ROOT ntuple with no generated-mass column, judged by the Asimov Z', async () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  assert.ok(text.trimEnd().split('\n').length <= 20, 'the example config is at most 20 lines');
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-single-'));
  try {
    const run = join(dir, 'run');
    const r = await runCli(['train', EXAMPLE, '--out', run]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as RunSummary;
    assert.deepEqual(s.meta.figure, { name: 'asimovZ', label: 'Asimov discovery Z', unit: '', better: 'higher' });
    assert.deepEqual(s.methods.map((m) => m.name), ['BCE']);
    assert.equal(s.masses.length, 1);
    const res = s.masses[0].results.BCE;

    // Independent check of the judged numbers: score the file with the saved model (fomlab apply),
    // take the same test split (seed 1, 20 %), the window holding the central 5–95 % of the training
    // signal's M2AB (inverted CDF: the ⌈q·n⌉-th smallest), count by hand.
    const scored = join(dir, 'scored.parquet');
    assert.equal((await runCli(['apply', join(run, 'models', 'bce.json'), ROOT, '--out', scored])).code, 0);
    const cols = (await readColumns(scored)).columns;
    const table = new EventTable(cols, { label: 'labels', mass: 'M2AB', features: ['Y1'] });
    const split = splitIndices(table, { train: 0.6, validation: 0.2, test: 0.2, seed: 1 });
    const testRows = split.test;
    const f = testRows.length / table.length;
    const [m, y, p] = ['M2AB', 'labels', 'score'].map((c) => cols.get(c)!);
    const sig = [...testRows].filter((i) => y[i] === 1);
    // the window is taken once, from the training split's signal, for every split
    const sorted = [...split.train].filter((i) => y[i] === 1).map((i) => m[i]).sort((a, b) => a - b);
    const lo = sorted[Math.ceil(0.05 * sorted.length) - 1], hi = sorted[Math.ceil(0.95 * sorted.length) - 1];
    const inWindow = [...testRows].filter((i) => m[i] > lo && m[i] < hi);
    const at = (cut: number): { nS: number; S: number; B: number; z: number } => {
      let nS = 0, nB = 0;
      for (const i of inWindow) if (p[i] >= cut) { if (y[i] === 1) nS++; else nB++; }
      return { nS, S: nS / f, B: nB / f, z: zA(nS / f, nB / f) };
    };
    const mine = at(res.cut);
    // ε over all test signal (no generated mass: every signal event is in the denominator)
    assert.ok(Math.abs(res.efficiency - mine.nS / sig.length) <= 2 / sig.length, `ε ${res.efficiency} vs ${mine.nS}/${sig.length}`);
    assert.ok(Math.abs(res.background - mine.B) <= 2 / f, `B ${res.background} vs ${mine.B}`);
    assert.ok(Math.abs(res.figureBest! - mine.z) <= 1e-3 * mine.z, `Z ${res.figureBest} vs ${mine.z}`);
    // the cut is the Z-optimal one: no signal output in the window gives a larger Z (a brute-force scan)
    let best = 0;
    for (const i of inWindow) if (y[i] === 1) best = Math.max(best, at(p[i]).z);
    assert.ok(res.figureBest! >= best * (1 - 1e-3), `Z at the chosen cut ${res.figureBest} vs brute force ${best}`);
    assert.ok(res.figureBest! > 10, 'a BCE net separates the dalitz signal: Z ≫ 1');

    // the report is written from that summary
    const rep = await runCli(['report', run]);
    assert.equal(rep.code, 0, rep.err);
    const html = readFileSync(join(run, 'report', 'index.html'), 'utf8');
    assert.ok(html.includes('Asimov discovery Z vs hypothesis mass (higher is better)'), 'the headline plot follows the figure');
    assert.ok(existsSync(join(run, 'models', 'bce.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
