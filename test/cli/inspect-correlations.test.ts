import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';

/** The printed matrix rows of one block: name → ρ values. */
function block(out: string, title: string): Map<string, number[]> {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  assert.ok(start >= 0, `no block '${title}' in\n${out}`);
  const rows = new Map<string, number[]>();
  for (const l of lines.slice(start + 2)) {
    if (!l.trim()) break;
    const [name, ...vals] = l.trim().split(/\s+/);
    rows.set(name, vals.map(Number));
  }
  return rows;
}

test('inspect --correlations: every numeric column of a CSV, and the config\'s features weighted by class', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-corr-'));
  try {
    // signal rows 1–3: x = 1,2,3, y = 2,4,7 (ρ = 5/√(228/9) = 0.99 by hand); background rows: x = 1,2,3,4 with
    // y = 4,3,2,1 (ρ = −1), and a weight −1 row that is left out
    const csv = join(dir, 'ev.csv');
    writeFileSync(csv, 'x,y,w,label\n1,2,1,1\n2,4,1,1\n3,7,1,1\n1,4,1,0\n2,3,2,0\n3,2,1,0\n4,1,3,0\n9,9,-1,0\n');
    const all = await runCli(['inspect', csv, '--correlations']);
    assert.equal(all.code, 0, all.err);
    const a = block(all.out, 'all events');
    assert.deepEqual([...a.keys()], ['x', 'y', 'w', 'label']);
    assert.equal(a.get('x')![0], 1);
    const cfg = join(dir, 'c.yaml');
    writeFileSync(cfg, `data:\n  files: [ev.csv]\n  columns:\n    features: [x, y]\n    label: label\n    weight: w\n    mass: x\n`);
    const r = await runCli(['inspect', csv, '--correlations', '--config', cfg]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /weighted Pearson correlations of 2 columns \(features of /);
    assert.deepEqual(block(r.out, 'signal (3 events').get('x'), [1, Number((5 / Math.sqrt(228 / 9)).toFixed(2))]);
    assert.deepEqual(block(r.out, 'background (4 events').get('y'), [-1, 1]);
    const bad = await runCli(['inspect', csv, '--config', cfg]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--config is used with --correlations only/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
