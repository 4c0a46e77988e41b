import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { Rng } from '../../src/core/rng.js';
import { EventTable } from '../../src/data/table.js';
import { trainRun } from '../../src/train/run.js';

// A small seeded search: hypotheses 1, 2 GeV (trained) and 3 GeV (held out), windows ±0.3 GeV.
// 400 signal events at 1 and 2 GeV, 30 at 3 GeV that the split column puts only in the train and
// test splits (none in validation: no cut for 3 GeV can be chosen there), 3000 background events
// flat in 0.5–3.5 GeV (weight 0.1). Feature f1 ~ N(label, 1), f2 ~ N(0, 1).
function events(): EventTable {
  const r = new Rng(5);
  const rows: number[][] = [];
  const add = (label: number, gen: number, split: number): void => {
    const m = label ? gen + 0.05 * r.normal() : r.range(0.5, 3.5);
    rows.push([r.normal() + label, r.normal(), m, label ? gen : NaN, label, label ? 1 : 0.1, split]);
  };
  for (let i = 0; i < 800; i++) add(1, i < 400 ? 1 : 2, [0, 0, 0, 1, 2][i % 5]);
  for (let i = 0; i < 30; i++) add(1, 3, i % 2 ? 2 : 0);
  for (let i = 0; i < 3000; i++) add(0, NaN, [0, 0, 0, 1, 2][i % 5]);
  const names = ['f1', 'f2', 'm', 'g', 'y', 'w', 's'];
  const cols = Object.fromEntries(names.map((n, j) => [n, Float32Array.from(rows, (row) => row[j])]));
  return new EventTable(cols, { features: ['f1', 'f2'], mass: 'm', genMass: 'g', label: 'y', weight: 'w' });
}

function config(extra: { search?: string; training?: string }): string {
  return `
data: {files: [unused.parquet], columns: {features: [f1, f2], label: y, mass: m, genMass: g, weight: w}, split: {column: s}, scaling: standard}
search: {hypotheses: {masses: [1, 2, 3], train: [true, true, false]}, variable: mass, window: {halfWidth: 0.3}${extra.search ?? ''}}
training:
  seed: 1
  ${extra.training ?? ''}
  stages:
    - {name: bce, loss: bce, optimizer: adam, lr: 0.01, batchSize: 256, epochs: 6}
    - {name: punzi, loss: punzi, optimizer: adam, lr: 0.001, batchSize: full, epochs: 4}
`;
}

async function run(text: string): Promise<{ dir: string; summaryText: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-figure-'));
  await trainRun(parseConfig(text), { runDir: dir, configName: 't', events: events(), log: () => {} });
  return { dir, summaryText: readFileSync(join(dir, 'summary.json'), 'utf8') };
}

test('training.compareWithBce: false → only the Punzi-net in the summary and the models (it was parsed and never read)', async () => {
  const { dir, summaryText } = await run(config({ training: 'compareWithBce: false' }));
  try {
    const s = JSON.parse(summaryText);
    assert.deepEqual(s.methods.map((m: { name: string }) => m.name), ['Punzi']);
    assert.ok(Object.keys(s.masses[0].results).every((k) => k === 'Punzi'));
    assert.ok(!existsSync(join(dir, 'models', 'bce.json')) && existsSync(join(dir, 'models', 'punzi.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no 1e30 in the summary: a value that does not exist is null (here: no validation signal at 3 GeV to choose its own cut)', async () => {
  const { dir, summaryText } = await run(config({}));
  try {
    assert.ok(!/1e\+?30/.test(summaryText), 'no 1e30 sentinel');
    const s = JSON.parse(summaryText);
    const at3 = s.masses.find((m: { mass: number }) => m.mass === 3);
    assert.ok(at3, 'the held-out mass has test signal, so it is judged');
    for (const k of ['BCE', 'Punzi']) {
      assert.equal(at3.results[k].sigmaMinValidationCut, null);
      assert.ok(Number.isFinite(at3.results[k].sigmaMinMean));
    }
    assert.deepEqual(s.meta.figure, { name: 'sigmaMin', label: 'σ_min', unit: 'fb', better: 'lower' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search.figure: S/√(S+B) chooses each stage\'s checkpoint (the largest validation figure) and is reported beside σ_min', async () => {
  const { dir, summaryText } = await run(config({ search: ', figure: sOverSqrtSB' }));
  try {
    const s = JSON.parse(summaryText);
    assert.equal(s.meta.figure.name, 'sOverSqrtSB');
    assert.equal(s.meta.figure.better, 'higher');
    for (const h of s.history) {
      const foms = h.epochs.map((e: { validFom: number }) => e.validFom);
      // the checkpoint is the epoch of the largest validation S/√(S+B) (σ_min would take the smallest)
      assert.equal(h.bestEpoch, foms.indexOf(Math.max(...foms)) + 1, `${h.method}/${h.stage}: ${foms.join(', ')}`);
    }
    for (const m of s.masses) {
      for (const r of Object.values(m.results) as Array<Record<string, number | null>>) {
        assert.ok(typeof r.figureMean === 'number' && r.figureMean > 0);
        assert.ok(typeof r.sigmaMinMean === 'number', 'the σ_min fields stay');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
