// examples/thesis-compare.yaml --quick (issue 16): `fomlab compare` in the VLQ thesis' layout (table 6.2)
// on a small built-in Belle II sample; every method's max Z, working-point Z, area and R10 % are
// recounted from the saved test scores and window rows by a brute-force Z-vs-threshold scan (each
// threshold a pass over the events, Asimov Z written out here), and the scenarios (TC2, TC3) set
// data.trainFraction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { planCompare } from '../../src/compare/config.js';
import { slug } from '../../src/report/derive.js';

const EXAMPLE = new URL('../../examples/thesis-compare.yaml', import.meta.url).pathname;
const f32 = (file: string): Float32Array => { const b = readFileSync(file); return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4); };
const u32 = (file: string): Uint32Array => { const b = readFileSync(file); return new Uint32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)); };

/** Asimov discovery Z (Cowan et al. 2011, eq. 97): √(2((s + b) ln(1 + s/b) − s)) */
const asimov = (s: number, b: number): number => Math.sqrt(2 * ((s + b) * Math.log1p(s / b) - s));

/** Z(t) on 101 thresholds k/100 by a pass over the events per threshold; 0 below 10 raw signal or background events. */
function bruteZ(output: Float32Array, label: Float32Array, weight: Float32Array, rows: Uint32Array): { z: number[]; at: (t: number) => number } {
  const at = (t: number): number => {
    let s = 0, b = 0, ns = 0, nb = 0;
    for (const i of rows) {
      if (output[i] < t) continue;
      if (label[i] >= 0.5) { s += Math.max(weight[i], 0); ns++; } else { b += Math.max(weight[i], 0); nb++; }
    }
    return ns >= 10 && nb >= 10 ? asimov(s, b) : 0;
  };
  return { z: Array.from({ length: 101 }, (_, k) => at(k / 100)), at };
}

test('examples/thesis-compare.yaml: the scenarios TC1–TC3 are data.trainFraction; an unknown one is named', () => {
  const base = { methods: 14 }; // 13 losses and the XGBoost-style baseline
  const tc1 = planCompare(EXAMPLE, true, 'TC1'), tc2 = planCompare(EXAMPLE, true, 'TC2'), tc3 = planCompare(EXAMPLE, true, 'TC3');
  assert.equal(tc1.methods.length, base.methods);
  assert.deepEqual(tc1.methods[0].config.data.trainFraction, { signal: 1, background: 1 });
  assert.deepEqual(tc2.methods[3].config.data.trainFraction, { signal: 1, background: 0.1 });
  assert.deepEqual(tc3.methods[7].config.data.trainFraction, { signal: 0.1, background: 0.1 });
  assert.equal(planCompare(EXAMPLE, true).methods[0].config.data.trainFraction, undefined);
  assert.equal(tc1.compare.layout, 'thesis');
  assert.throws(() => planCompare(EXAMPLE, true, 'TC4'), /compare\.scenarios: no scenario 'TC4' \(have TC1, TC2, TC3\)/);
  assert.match(readFileSync(EXAMPLE, 'utf8'), /cannot be regenerated here/);
});

test('examples/thesis-compare.yaml --quick: the thesis table, recounted from the saved test scores by brute force', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-thesis-compare-'));
  try {
    mkdirSync(join(dir, 'examples'));
    const data = join(dir, 'runs', 'thesis');
    const sim = await runCli(['simulate', '--out', join(data, 'events.parquet'), '--resolution', join(data, 'resolution.txt'), '--events-per-mass', '300', '--masses', '0.5:8.5:0.5', '--background-scale', '0.01',
      // without the ECL-gap μμγ jobs, whose extra background would crowd the quick run's 20 k-event subsample of signal
      '--gap-photon-inefficiency', '0.001']);
    assert.equal(sim.code, 0, sim.err);
    writeFileSync(join(dir, 'examples', 'thesis-compare.yaml'), readFileSync(EXAMPLE, 'utf8'));
    const out = join(dir, 'cmp');
    const r = await runCli(['compare', join(dir, 'examples', 'thesis-compare.yaml'), '--quick', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\| method \| loss \| max Z \| t at max Z \| Z\(0\.3\) \| Z\(0\.5\) \| Z\(0\.8\) \| Z\(0\.95\) \| area \| R10 % \| best epoch \|/);
    const lines = readFileSync(join(out, 'table.csv'), 'utf8').trim().split('\n');
    const head = lines[0].split(',');
    assert.deepEqual(head.slice(0, 5), ['method', 'loss', 'trials', 'maxZ', 'maxZ_spread']);
    const rows = lines.slice(1).map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '').replace(/^"|"$/g, '')));
    assert.equal(rows.length, 15);
    assert.deepEqual(rows.map((x) => x[1]), ['bce', ...Array(6).fill('process-weighted'), ...Array(4).fill('lovasz-z'), 'focal', 'asimov', 'bce', 'uniform']);
    assert.deepEqual(rows.map((x) => slug(x[0])), ['bce', 'w-n-1', 'w-sigma', 'w-sqrt-sigma-n-1', 'w-ln-sigma-ln-n-1', 'w-u-sigma-n-1', 'w-sqrt-sigma-l-n-1-eq-5-2', 'lov-sz-sigmoid', 'lov-sz-hinge', 'lov-sz-cross-entropy', 'lov-sz-focal', 'focal', 'asimov', 'xgboost-style-bdt', 'random']);
    const ev = f32(join(out, 'cells', 'test-trial1.f32')), n = ev.length / 3;
    const label = ev.subarray(0, n), weight = ev.subarray(n, 2 * n), windows = u32(join(out, 'cells', 'test-trial1.windows.u32'));
    assert.ok(windows.length > 100 && windows.length < n, `${windows.length} of ${n} test events in a window`);
    const col = (row: string[], name: string): number => Number(row[head.indexOf(name)]);
    rows.forEach((row, k) => {
      const output = f32(join(out, 'cells', `${slug(row[0])}-trial1.scores.f32`));
      const { z, at } = bruteZ(output, label, weight, windows);
      const maxZ = Math.max(...z);
      const near = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-9 + 1e-6 * Math.abs(b), `${row[0]}: ${what} ${a} vs brute force ${b}`);
      near(col(row, 'maxZ'), maxZ, 'max Z');
      near(col(row, 'z05'), at(0.5), 'Z(0.5)');
      near(col(row, 'z08'), at(0.8), 'Z(0.8)');
      near(col(row, 'r10'), maxZ > 0 ? z.filter((v) => v >= 0.9 * maxZ).length / 101 : 0, 'R10 %');
      near(col(row, 'area'), z.slice(1).reduce((a, v, i) => a + (v + z[i]) / 200, 0), 'area');
      assert.equal(col(row, 'trials'), 1);
    });
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(html, /VLQ thesis layout \(table 6\.2\)/);
    assert.match(html, /R10 %/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
