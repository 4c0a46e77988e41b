// examples/hzg-compare.yaml --quick: `fomlab compare` on a small built-in H → Zγ sample; the table's
// numbers are recounted from the saved test scores (and the Random row's AUC by brute force).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { binnedSignificance } from '../../src/evaluate/binned.js';
import { massSculpting } from '../../src/evaluate/sculpting.js';

const EXAMPLE = new URL('../../examples/hzg-compare.yaml', import.meta.url).pathname;
const f32 = (file: string): Float32Array => { const b = readFileSync(file); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };

/** weighted AUC by brute force over all (signal, background) pairs, ties counted ½ */
function bruteAuc(s: Float32Array, y: Float32Array, w: Float32Array): number {
  let num = 0, den = 0;
  for (let i = 0; i < s.length; i++) {
    if (y[i] < 0.5) continue;
    for (let j = 0; j < s.length; j++) {
      if (y[j] >= 0.5) continue;
      const ww = Math.max(w[i], 0) * Math.max(w[j], 0);
      num += ww * (s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0);
      den += ww;
    }
  }
  return num / den;
}

test('examples/hzg-compare.yaml --quick: Table 1 as CSV and HTML, numbers recounted from the saved test scores, re-run skips finished cells', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-hzg-compare-'));
  try {
    const sim = await runCli(['simulate', '--channel', 'hzg', '--signal-events', '20000', '--background-events', '150000', '--out', join(dir, 'hzg.parquet')]);
    assert.equal(sim.code, 0, sim.err);
    writeFileSync(join(dir, 'hzg-compare.yaml'), readFileSync(EXAMPLE, 'utf8'));
    const out = join(dir, 'cmp');
    const r = await runCli(['compare', join(dir, 'hzg-compare.yaml'), '--quick', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /16 cells computed, 0 reused/);
    const lines = readFileSync(join(out, 'table.csv'), 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '')));
    const col = (row: string[], name: string): number => Number(row[head.indexOf(name)]);
    assert.deepEqual(rows.map((x) => x[0]), ['BCE (FNN)', 'BCE+10·DisCo', 'extreme', 'extreme+50·DisCo', 'DFNN', 'BDT (15 features)', 'BDT (12, no mass-correlated)', 'Random']);
    assert.deepEqual(rows.map((x) => x[1]), ['bce', 'bce+disco', 'extreme', 'extreme+disco', 'bce', 'bce', 'bce', 'uniform']);
    const slugs = ['bce-fnn', 'bce-10-disco', 'extreme', 'extreme-50-disco', 'dfnn', 'bdt-15-features', 'bdt-12-no-mass-correlated', 'random'];
    const seeds = [1, 2];
    rows.forEach((row, k) => {
      const z: number[] = [], corr: number[] = [];
      for (const seed of seeds) {
        const ev = f32(join(out, 'cells', `test-trial${seed}.f32`)), n = ev.length / 3;
        const label = ev.subarray(0, n), weight = ev.subarray(n, 2 * n), mass = ev.subarray(2 * n);
        const output = f32(join(out, 'cells', `${slugs[k]}-trial${seed}.scores.f32`));
        assert.equal(output.length, n);
        z.push(binnedSignificance({ output, label, weight, mass }, { bins: 8 }).z);
        corr.push(massSculpting({ output, label, weight, mass }, { outputBins: 8, massBins: 16, massRange: [100, 180] }).meanStd);
        if (row[0] === 'Random' && seed === 1) {
          const win = Array.from({ length: n }, (_, i) => i).filter((i) => mass[i] >= 120 && mass[i] < 130);
          const pick = (a: Float32Array): Float32Array => Float32Array.from(win, (i) => a[i]);
          const auc = bruteAuc(pick(output), pick(label), pick(weight));
          const cell = JSON.parse(readFileSync(join(out, 'cells', 'random-trial1.json'), 'utf8')) as { auc: number };
          assert.ok(Math.abs(cell.auc - auc) < 1e-9, `Random AUC ${cell.auc} vs brute force ${auc}`);
        }
      }
      const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
      assert.ok(Math.abs(col(row, 'significance') - mean(z)) <= 1e-12 * mean(z), `${row[0]}: CSV Z ${col(row, 'significance')} vs recount ${mean(z)}`);
      assert.ok(Math.abs(col(row, 'bkg_correlation_1e-3') - 1000 * mean(corr)) <= 1e-9, `${row[0]}: correlation`);
      assert.ok(col(row, 'significance') > 0 && col(row, 'auc_percent') > 30 && col(row, 'auc_percent') < 100);
    });
    // the sanity floor: uniform random scores separate nothing
    const random = rows[7];
    assert.ok(Math.abs(col(random, 'auc_percent') - 50) < 6, `Random AUC ${col(random, 'auc_percent')} %`);
    assert.equal(random[head.indexOf('best_epoch')], '');
    // the trees with the mass-correlated features separate better than random
    assert.ok(col(rows[5], 'auc_percent') > col(random, 'auc_percent') + 5);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(html, /<table>/);
    assert.equal((html.match(/<svg/g) ?? []).length, 8 + 7, 'figs. 4–5 for every method, fig. 7 for the trained ones');
    assert.ok(existsSync(join(out, 'bce-10-disco-epochs.png')) && existsSync(join(out, 'bdt-15-features-mass.png')));
    // resumable: a second run reuses every cell and writes the same table
    const csv = readFileSync(join(out, 'table.csv'), 'utf8');
    const again = await runCli(['compare', join(dir, 'hzg-compare.yaml'), '--quick', '--out', out]);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /0 cells computed, 16 reused/);
    assert.equal(readFileSync(join(out, 'table.csv'), 'utf8'), csv);
    // --table-only trains nothing: without DFNN's trial-2 cell its row holds one trial
    rmSync(join(out, 'cells', 'dfnn-trial2.json'));
    const partial = await runCli(['compare', join(dir, 'hzg-compare.yaml'), '--quick', '--table-only', '--out', out]);
    assert.equal(partial.code, 0, partial.err);
    assert.match(partial.err, /1 of 16 cells not finished/);
    assert.match(readFileSync(join(out, 'table.csv'), 'utf8'), /\nDFNN,bce,1,/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
