// examples/zprime-mumu-bce.yaml: `fomlab simulate --channel zprime-mumu` then `fomlab train` on it (a small
// sample here, 2 epochs), judged by the slides' Punzi FOM ε/(1.64 + √B) in ±250 MeV windows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

const EXAMPLE = new URL('../../examples/zprime-mumu-bce.yaml', import.meta.url).pathname;

test('examples/zprime-mumu-bce.yaml: simulate --channel zprime-mumu, then fomlab train judges 17 Z′ masses by ε/(1.64 + √B)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-zprime-mumu-example-'));
  try {
    const sim = await runCli([
      'simulate', '--channel', 'zprime-mumu', '--events-per-mass', '1500', '--background-events', '30000', '--out', join(dir, 'zprime-mumu.parquet'),
    ]);
    assert.equal(sim.code, 0, sim.err);
    assert.match(sim.out, /Z' candidates of/);
    const text = readFileSync(EXAMPLE, 'utf8');
    assert.match(text, /files: \[zprime-mumu\.parquet\]/);
    assert.match(text, /window: \{halfWidth: 0\.25\}/);
    assert.match(text, /figure: \{name: punziFom, halfA: 1\.64\}/);
    writeFileSync(join(dir, 'zprime-mumu-bce.yaml'), text.replace(/epochs: 10/, 'epochs: 2'));
    const run = join(dir, 'run');
    const r = await runCli(['train', join(dir, 'zprime-mumu-bce.yaml'), '--out', run]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(s.meta.figure?.name, 'punziFom');
    assert.equal(s.masses.length, 17);
    assert.deepEqual([s.masses[0].mass, s.masses[16].mass], [0.5, 8.5]);
    for (const m of s.masses) {
      const res = m.results.BCE;
      // ε ≤ 1 per generated event; the FOM is at most ε/1.64
      assert.ok(res.efficiency > 0 && res.efficiency <= 1, `m = ${m.mass}: ε = ${res.efficiency}`);
      assert.ok(res.figureMean != null && res.figureMean > 0 && res.figureMean <= res.efficiency / 1.64 + 1e-9, `m = ${m.mass}: FOM ${res.figureMean}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
