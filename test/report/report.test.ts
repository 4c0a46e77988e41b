import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { FomlabError } from '../../src/core/errors.js';
import { parseRunSummary, reportPlots, writeReport } from '../../src/report/index.js';
import { ratios } from '../../src/report/derive.js';
import { yScale } from '../../src/report/specs-mass.js';
import { syntheticSummary } from './synthetic.js';
import { runCli } from '../cli-run.js';

/** Decodes a PNG far enough to trust it: signature, chunk CRCs, IHDR, inflated IDAT size. */
function checkPng(path: string): { width: number; height: number } {
  const b = readFileSync(path);
  assert.ok(b.length > 5000, `${path}: only ${b.length} bytes`);
  assert.deepEqual([...b.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${path}: PNG signature`);
  let off = 8, width = 0, height = 0, channels = 0;
  const idat: Buffer[] = [];
  while (off < b.length) {
    const len = b.readUInt32BE(off), type = b.toString('latin1', off + 4, off + 8), data = b.subarray(off + 8, off + 8 + len);
    assert.equal(b.readUInt32BE(off + 8 + len), crc32(b.subarray(off + 4, off + 8 + len)), `${path}: CRC of ${type}`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8, 'bit depth 8');
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[data[9]];
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
    if (type === 'IEND') break;
  }
  assert.ok(width > 300 && height > 200, `${path}: ${width}×${height}`);
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (1 + width * channels), `${path}: pixel data size`);
  assert.ok(new Set(raw.subarray(0, 200000)).size > 10, `${path}: looks blank`);
  return { width, height };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'fomlab-report-'));
}

test('report: self-contained HTML with every plot, PNGs that decode', async () => {
  const dir = tmp();
  try {
    const s = syntheticSummary();
    const { html, pngs } = await writeReport(s, join(dir, 'out'));
    assert.equal(html, join(dir, 'out', 'index.html'));
    const page = readFileSync(html, 'utf8');
    // nothing fetched from anywhere: no remote src/href, no scripts, no external fonts or styles
    assert.doesNotMatch(page, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    assert.doesNotMatch(page, /<script/i);
    assert.doesNotMatch(page, /<link\b|@import|url\(\s*["']?(https?:)?\/\//i);
    const plots = reportPlots(s);
    const judged = ['punzi-fom', 'efficiency', 'roc', 'z-threshold', 'binned', 'per-mass', 'sculpting-bce', 'sculpting-punzi', 'overtraining-bce', 'overtraining-punzi', 'correlations'];
    assert.equal(plots.length, 3 + s.history.length + s.outputs.length + judged.length);
    for (const id of judged) assert.ok(plots.some((p) => p.id === id), id);
    // sections in page order, each a heading; the judgements table with one row per method
    const heads = [...page.matchAll(/<h2 id="section-\d+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(heads, ['Sensitivity', 'Classifier performance', 'Mass sculpting', 'Overtraining', 'Training', 'Output distributions', 'Inputs']);
    const table = page.slice(page.indexOf('<h2 id="judgements">'), page.indexOf('</table>', page.indexOf('<h2 id="judgements">')));
    assert.equal((table.match(/<tr>/g) ?? []).length, 1 + s.methods.length);
    assert.ok(table.includes(s.judgements!.methods[0].roc.auc.toPrecision(4).replace(/0+$/, '')), 'AUC in the table');
    for (const p of plots) {
      assert.match(page, new RegExp(`<figure id="${p.id}">\\s*<svg`), `plot ${p.id} inline`);
      assert.ok(pngs.includes(join(dir, 'out', `${p.id}.png`)), `${p.id}.png listed`);
    }
    assert.equal((page.match(/<svg/g) ?? []).length, plots.length);
    for (const id of ['sigma-min', 'ratio', 'common-cut', 'training-punzi-punzi', 'output-bce', 'output-punzi']) assert.ok(plots.some((p) => p.id === id), id);
    for (const p of pngs) checkPng(p);
    // axis titles with units, the table with every mass, the held-out marking
    for (const t of ['σ_min [fb]', 'm_Z′ [GeV]', 'learning rate', '1/N dN/d(logit)', 'held out']) assert.ok(page.includes(t), t);
    assert.equal((page.match(/<tr class="(held)?">/g) ?? []).length, s.masses.length);
    // svg ids made unique across plots
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(readdirSync(join(dir, 'out')).filter((f) => f.includes('.tmp')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report: nothing half-written stays behind on failure', async () => {
  const dir = tmp();
  try {
    const bad = syntheticSummary({ masses: 4, epochs: 20 }) as unknown as { masses: Array<{ results: Record<string, Record<string, unknown>> }> };
    delete bad.masses[2].results.Punzi.efficiency;
    await assert.rejects(writeReport(bad as never, join(dir, 'a')), (e: unknown) => e instanceof FomlabError && e.message.includes('masses[2].results.Punzi.efficiency is missing'));
    assert.equal(existsSync(join(dir, 'a')), false);
    // the page cannot be written (a folder sits where index.html goes): the PNGs written so far go again
    mkdirSync(join(dir, 'b', 'index.html'), { recursive: true });
    await assert.rejects(writeReport(syntheticSummary({ masses: 4, epochs: 20 }), join(dir, 'b')));
    assert.deepEqual(readdirSync(join(dir, 'b')), ['index.html']);
    assert.ok(statSync(join(dir, 'b', 'index.html')).isDirectory());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report: the ratio is derived when absent and taken as given when present', () => {
  const s = syntheticSummary({ masses: 6, epochs: 10 });
  const r = ratios(s);
  assert.equal(r.length, 6);
  const m0 = s.masses[0];
  assert.ok(Math.abs(r[0].ratio - m0.results.Punzi.sigmaMinMean / m0.results.BCE.sigmaMinMean) < 1e-12);
  assert.ok(r[0].se > 0);
  m0.ratio = { Punzi: 0.5 };
  assert.equal(ratios(s)[0].ratio, 0.5);
  // with no BCE method, the first method is the reference
  const t = syntheticSummary({ masses: 3, epochs: 5, judgements: false });
  t.methods[0].name = 'A';
  for (const m of t.masses) m.results = { A: m.results.BCE, Punzi: m.results.Punzi };
  t.history = [];
  t.outputs = [];
  assert.equal(ratios(parseRunSummary(t)).length, 3);
});

test('report: summary validation names the field', () => {
  const s = syntheticSummary({ masses: 3, epochs: 5 }) as unknown as Record<string, unknown>;
  const j = JSON.parse(JSON.stringify(s));
  delete j.meta.seed;
  assert.throws(() => parseRunSummary(j, 'x/summary.json'), /x\/summary\.json: meta\.seed is missing/);
  const jm = JSON.parse(JSON.stringify(s));
  jm.judgements.methods[1].overtraining.signal.pValue = 1.5;
  assert.throws(() => parseRunSummary(jm, 'f'), /f: judgements\.methods\[1\]\.overtraining\.signal\.pValue is 1\.5, must be in \[0, 1\]/);
  jm.judgements.methods[1].overtraining.signal.pValue = 0.5;
  jm.judgements.methods[0].roc.tpr.pop();
  assert.throws(() => parseRunSummary(jm, 'f'), /f: judgements\.methods\[0\]\.roc\.tpr has \d+ values, expected \d+/);
  const k = JSON.parse(JSON.stringify(s));
  k.history[0].method = 'Punzy';
  assert.throws(() => parseRunSummary(k, 'f'), /history\[0\]\.method 'Punzy' is not one of the methods.*did you mean: Punzi/);
  const o = JSON.parse(JSON.stringify(s));
  o.outputs[1].signal[0].counts.pop();
  assert.throws(() => parseRunSummary(o, 'f'), /outputs\[1\]\.signal\[0\]\.counts has 59 bins, edges give 60/);
});

const cli = runCli;

test('report: fomlab report RUN_DIR writes RUN_DIR/report/index.html; clear errors', async () => {
  const dir = tmp();
  try {
    const missing = await cli(['report', dir]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, new RegExp(`${join(dir, 'summary.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such file`));
    writeFileSync(join(dir, 'summary.json'), '{"schema": "fomlab.run-summary/1", ');
    assert.match((await cli(['report', dir])).err, /summary\.json: not valid JSON/);
    const j = JSON.parse(JSON.stringify(syntheticSummary({ masses: 4, epochs: 20 })));
    delete j.masses[1].heldOut;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(j));
    const bad = await cli(['report', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /summary\.json: masses\[1\]\.heldOut is missing/);
    j.masses[1].heldOut = true;
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(j));
    const ok = await cli(['report', dir]);
    assert.equal(ok.code, 0, ok.err);
    assert.ok(existsSync(join(dir, 'report', 'index.html')));
    assert.ok(existsSync(join(dir, 'report', 'sigma-min.png')));
    assert.match(ok.out, /index\.html/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('report: a log y axis only for all-positive values spanning a decade (a loss crossing zero stays linear)', () => {
  assert.equal(yScale([0.01, 0.5, 3], 'σ').scale.type, 'log');
  assert.equal(yScale([0.5, 0.9], 'σ').scale.type, undefined); // less than a decade
  assert.equal(yScale([-0.3, 0.01, 2], 'mean ln σ').scale.type, undefined); // crosses zero
  assert.equal(yScale([0, 0.01, 2], 'loss').scale.type, undefined);
});
