// examples/vlq-munn.yaml: `fomlab simulate --channel vlq --resolution` then `fomlab train` on it (a
// small sample here, 2 epochs): the data flows through the pipeline for all 28 T masses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

const EXAMPLE = new URL('../../examples/vlq-munn.yaml', import.meta.url).pathname;

test('examples/vlq-munn.yaml --quick: simulate --channel vlq, then fomlab train judges 28 T masses 1.0–6.4 TeV by the Asimov Z in ±2σ windows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-vlq-example-'));
  try {
    const sim = await runCli([
      'simulate', '--channel', 'vlq', '--events-per-mass', '300', '--events-per-slice', '300', '--inclusive-events', '500',
      '--out', join(dir, 'vlq.parquet'), '--resolution', join(dir, 'vlq-resolution.txt'),
    ]);
    assert.equal(sim.code, 0, sim.err);
    assert.match(sim.out, /wrote 17,600 preselected events \(of [0-9,]+ generated\)/);
    // the table written: σ(m_T^rec) grows with m_T, 2–4 % of it
    const rows = readFileSync(join(dir, 'vlq-resolution.txt'), 'utf8').split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split('\t').map(Number));
    assert.equal(rows.length, 28);
    for (const [m, sigma] of rows) assert.ok(sigma / m > 0.015 && sigma / m < 0.045, `m_T = ${m}: σ = ${sigma}`);
    const text = readFileSync(EXAMPLE, 'utf8');
    assert.match(text, /files: \[vlq\.parquet\]/);
    assert.match(text, /window: \{resolution: vlq-resolution\.txt, nSigma: 2, massUnit: GeV, of: mass\}/);
    assert.match(text, /hidden: \[64, 64\], activation: relu/);
    writeFileSync(join(dir, 'vlq-munn.yaml'), text.replace(/epochs: 20/, 'epochs: 2'));
    const run = join(dir, 'run');
    const r = await runCli(['train', join(dir, 'vlq-munn.yaml'), '--out', run]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(s.meta.figure?.name, 'asimovZ');
    assert.equal(s.masses.length, 28);
    assert.deepEqual([s.masses[0].mass, s.masses[27].mass], [1000, 6400]);
    for (const m of s.masses) {
      const res = m.results.BCE;
      assert.ok(res.efficiency > 0 && res.efficiency <= 1, `m = ${m.mass}: ε = ${res.efficiency}`);
      assert.ok(res.figureMean != null && Number.isFinite(res.figureMean) && res.figureMean > 0, `m = ${m.mass}: Z = ${res.figureMean}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
