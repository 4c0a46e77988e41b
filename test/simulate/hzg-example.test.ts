// examples/hzg-bce.yaml: `fomlab train` runs it on the built-in H → Zγ data (a small sample here, 2 epochs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import type { RunSummary } from '../../src/evaluate/summary.js';

const EXAMPLE = new URL('../../examples/hzg-bce.yaml', import.meta.url).pathname;

test('examples/hzg-bce.yaml: simulate --channel hzg, then fomlab train judges m_H = 125 GeV in 120–130 GeV by the Asimov Z', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-hzg-example-'));
  try {
    const sim = await runCli(['simulate', '--channel', 'hzg', '--signal-events', '20000', '--background-events', '150000', '--out', join(dir, 'hzg.parquet')]);
    assert.equal(sim.code, 0, sim.err);
    // the example as shipped, with 2 epochs instead of 10 and the file next to the copy
    const text = readFileSync(EXAMPLE, 'utf8');
    assert.match(text, /files: \[hzg\.parquet\]/);
    assert.match(text, /window: \{from: 120, to: 130\}/);
    writeFileSync(join(dir, 'hzg-bce.yaml'), text.replace(/epochs: 10/, 'epochs: 2'));
    const run = join(dir, 'run');
    const r = await runCli(['train', join(dir, 'hzg-bce.yaml'), '--out', run]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8')) as RunSummary;
    assert.equal(s.meta.figure?.name, 'asimovZ');
    assert.deepEqual(s.masses.map((m) => m.mass), [125]);
    const res = s.masses[0].results.BCE;
    assert.ok(res.figureMean != null && res.figureMean > 0 && Number.isFinite(res.figureMean), `Asimov Z ${res.figureMean}`);
    assert.ok(res.efficiency > 0 && res.efficiency <= 1, `signal efficiency ${res.efficiency}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
