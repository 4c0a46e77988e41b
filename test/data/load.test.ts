import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEvents, type LoadSpec } from '../../src/data/load.js';
import { readColumns } from '../../src/data/readers/index.js';
import { loadConfig } from '../../src/config/load.js';
import { FomlabError } from '../../src/core/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'fomlab-load-'));
function csv(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
// signal: 4 events, background: 3 events
csv('sig.csv', 'x,y,M\n1,10,100\n2,20,110\n3,30,120\n4,40,130\n');
csv('bkg.csv', 'x,y,M\n5,50,90\n6,60,95\n7,70,140\n');
csv('labelled.csv', 'x,y,M,lab,w\n1,10,100,1,0.5\n2,NaN,110,0,0.5\n3,30,inf,1,0.5\n4,NaN,130,0,0.5\n');
csv('label2.csv', 'x,lab\n1,1\n2,2\n3,0\n4,2\n');
const spec = (over: Partial<LoadSpec> = {}): LoadSpec => ({
  files: [
    { path: 'sig.csv', label: 1, category: 1, weight: 1 },
    { path: 'bkg.csv', label: 0, category: 2, weight: 0.05 },
  ],
  columns: { features: ['x', 'y'], mass: 'M' },
  ...over,
});
const opts = { baseDir: dir };

async function rejects(s: LoadSpec, re: RegExp): Promise<void> {
  await assert.rejects(loadEvents(s, opts), (e: unknown) => {
    assert.ok(e instanceof FomlabError, String(e));
    assert.match(e.message, re);
    return true;
  });
}

test('per-file fixed values become role columns; files are concatenated', async () => {
  const { table, files } = await loadEvents(spec(), opts);
  assert.equal(table.length, 7);
  assert.deepEqual([...table.column('x')], [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...table.labels()], [1, 1, 1, 1, 0, 0, 0]);
  assert.deepEqual([...table.roleColumn('category')], [1, 1, 1, 1, 2, 2, 2]);
  assert.deepEqual([...table.weights()], [1, 1, 1, 1, 0.05, 0.05, 0.05].map(Math.fround));
  assert.deepEqual(table.roles, { features: ['x', 'y'], label: 'label', mass: 'M', weight: 'weight', category: 'category' });
  assert.deepEqual(table.names.sort(), ['M', 'category', 'label', 'weight', 'x', 'y']);
  assert.deepEqual(files.map((f) => [f.read, f.selected, f.kept]), [[4, 4, 4], [3, 3, 3]]);
});

test('selection is applied per file, reads only the needed columns, and is reported', async () => {
  const asked: string[][] = [];
  const read: typeof readColumns = (path, o) => {
    asked.push([...(o?.columns ?? [])]);
    return readColumns(path, o);
  };
  const { table, report } = await loadEvents(spec({ selection: 'M > 95 && M < 125 || x == 7' }), { ...opts, read });
  assert.deepEqual(asked, [['x', 'y', 'M'], ['x', 'y', 'M']]);
  assert.deepEqual([...table.column('x')], [1, 2, 3, 7]);
  assert.deepEqual([...table.labels()], [1, 1, 1, 0]);
  assert.match(report[0], /sig\.csv: 3 of 4 events pass the selection/);
  assert.match(report[1], /bkg\.csv: 1 of 3 events pass the selection/);
});

test('missing file', async () => {
  await rejects(spec({ files: [{ path: 'sig.csv' }, { path: 'nope.csv' }] }), /nope\.csv: no such file \(data\.files\[1\]\)/);
});

test('missing column names the file and the near matches', async () => {
  await rejects(spec({ columns: { features: ['x', 'yy'] } }), /sig\.csv: no column 'yy' \(did you mean: y.*\)/);
  await rejects(spec({ selection: 'MM > 0' }), /sig\.csv: no column 'MM' \(did you mean: M.*\)/);
});

test('a role fixed in one file but not mapped must be fixed in every file', async () => {
  await rejects(spec({ files: [{ path: 'sig.csv', label: 1, category: 1 }, { path: 'bkg.csv', label: 0 }] }), /bkg\.csv: no value for category \(data\.files\[1\]\)/);
});

const nanSpec = (nan: LoadSpec['nan']): LoadSpec => ({ files: [{ path: 'labelled.csv' }], columns: { features: ['x', 'y'], mass: 'M', label: 'lab', weight: 'w' }, nan, fillValue: -1 });

test('NaN/Inf in a feature or role column is an error by default, with the count', async () => {
  await rejects(nanSpec(undefined), /labelled\.csv: column 'y' has 2 NaN\/Inf values in 4 events \(NaN\/Inf per column: 'y': 2, 'M': 1\); set data\.nan: drop or fill/);
});

test('NaN/Inf dropped when configured, one notice line per reason', async () => {
  const { table, report, notices } = await loadEvents(nanSpec('drop'), opts);
  assert.deepEqual([...table.column('x')], [1]);
  // labelled.csv: events 2 and 4 have y = NaN, event 3 has M = inf
  assert.deepEqual(notices.map((l) => l.replace(/^.*labelled\.csv: /, '')), ["dropped 2 events: NaN/Inf in 'y' (data.nan: drop)", "dropped 1 event: NaN/Inf in 'M' (data.nan: drop)"]);
  assert.ok(notices.every((l) => report.includes(l)));
});

test('signal without a generated mass: dropped with its own reason, counted once per event', async () => {
  // events: (label 1, gen NaN, y NaN) → first reason y; (1, NaN, ok) → genMass; (0, NaN, ok) → background, kept
  csv('gen.csv', 'x,y,M,lab,gen\n1,NaN,100,1,NaN\n2,20,110,1,nan\n3,30,120,0,nan\n4,40,130,1,125\n');
  const { table, notices } = await loadEvents({ files: [{ path: 'gen.csv' }], columns: { features: ['x', 'y'], mass: 'M', label: 'lab', genMass: 'gen' }, nan: 'drop' }, opts);
  assert.deepEqual([...table.column('x')], [3, 4]);
  assert.deepEqual(notices.map((l) => l.replace(/^.*gen\.csv: /, '')), [
    "dropped 1 event: NaN/Inf in 'y' (data.nan: drop)",
    "dropped 1 event: signal (label 1) without a finite generated mass 'gen' (data.nan: drop)",
  ]);
});

test('labels 0/1/2 with NaN generated mass for label 2: blamed on the labels, also with nan: drop', async () => {
  // the case: label-2 events (a third class) carry NaN gen_mass; the old loader said
  // "column 'gen_mass' has 3 NaN/Inf values" and, with nan: drop, removed them without a word
  csv('three.csv', 'x,M,lab,gen_mass\n1,100,1,125\n2,110,2,nan\n3,120,0,nan\n4,130,2,nan\n5,90,2,nan\n6,95,-1,nan\n');
  for (const nan of ['error', 'drop', 'fill'] as const) {
    await rejects(
      { files: [{ path: 'three.csv' }], columns: { features: ['x'], mass: 'M', label: 'lab', genMass: 'gen_mass' }, nan },
      /three\.csv: label column 'lab' has 4 events with values other than 0 and 1: 2 \(3 events\), -1 \(1 event\); only 0 \(background\) and 1 \(signal\) are labels/,
    );
  }
  // a NaN label follows the NaN policy: dropped with its reason; a fill value that is no label is an error
  csv('nanlab.csv', 'x,lab\n1,1\n2,nan\n3,0\n');
  const { table, notices } = await loadEvents({ files: [{ path: 'nanlab.csv' }], columns: { features: ['x'], label: 'lab' }, nan: 'drop' }, opts);
  assert.deepEqual([...table.column('x')], [1, 3]);
  assert.match(notices[0], /nanlab\.csv: dropped 1 event: NaN\/Inf in 'lab'/);
  await rejects({ files: [{ path: 'nanlab.csv' }], columns: { features: ['x'], label: 'lab' }, nan: 'fill', fillValue: 0.5 }, /label column 'lab' has 1 event with values other than 0 and 1: 0\.5 \(1 event\)/);
});

test('the same file twice in data.files: an error naming both keys; a notice when the entries differ', async () => {
  const twice = { files: [{ path: 'sig.csv', label: 1 }, { path: 'bkg.csv', label: 0 }, { path: './sig.csv', label: 1 }], columns: { features: ['x'] } };
  await rejects(twice, /sig\.csv: listed twice, as data\.files\[0\] and data\.files\[2\]: its events would be read twice/);
  symlinkSync(join(dir, 'bkg.csv'), join(dir, 'bkg-link.csv'));
  await rejects({ ...twice, files: [{ path: 'bkg.csv', label: 0 }, { path: 'bkg-link.csv', label: 0 }] }, /listed twice, as data\.files\[0\] and data\.files\[1\]/);
  const { table, notices } = await loadEvents({ files: [{ path: 'sig.csv', label: 1, genMass: 100 }, { path: 'sig.csv', label: 1, genMass: 120 }], columns: { features: ['x'] } }, opts);
  assert.equal(table.length, 8);
  assert.deepEqual(notices, [`${join(dir, 'sig.csv')}: listed twice (data.files[0] and data.files[1], with different genMass): its events are in the table twice`]);
});

test('negative weights: one notice with their count and sum, and how the figures treat them', async () => {
  csv('negw.csv', 'x,lab,w\n1,1,0.5\n2,0,-0.25\n3,0,1\n4,1,-0.125\n');
  const { notices } = await loadEvents({ files: [{ path: 'negw.csv' }], columns: { features: ['x'], label: 'lab', weight: 'w' } }, opts);
  // 2 negative: −0.25 − 0.125 = −0.375; all: 0.5 − 0.25 + 1 − 0.125 = 1.125
  assert.equal(notices.length, 1);
  assert.match(notices[0], /negw\.csv: 2 events of 4 have negative weight \(sum -0\.375; all weights sum to 1\.125\): the ROC AUC, DisCo and signal-percentile windows count them as 0, the weighted sums behind cuts and figures of merit keep them$/);
  assert.deepEqual((await loadEvents(spec(), opts)).notices, []);
});

test('NaN/Inf filled when configured, count reported', async () => {
  const { table, report } = await loadEvents(nanSpec('fill'), opts);
  assert.deepEqual([...table.column('y')], [10, -1, 30, -1]);
  assert.deepEqual([...table.mass()], [100, 110, -1, 130]);
  assert.ok(report.some((l) => /labelled\.csv: filled 3 NaN\/Inf values with -1 \('y': 2, 'M': 1\)/.test(l)), report.join('\n'));
});

test('label values other than 0/1: count and an example', async () => {
  await rejects({ files: [{ path: 'label2.csv' }], columns: { features: ['x'], label: 'lab' } }, /label2\.csv: label column 'lab' has 2 events with values other than 0 and 1: 2 \(2 events\)/);
});

test('genMass NaN is fine for background, not for signal', async () => {
  const files = [{ path: 'sig.csv', label: 1, genMass: 125 }, { path: 'bkg.csv', label: 0, genMass: null }];
  const { table } = await loadEvents(spec({ files }), opts);
  assert.deepEqual([...table.genMass()].map(String), ['125', '125', '125', '125', 'NaN', 'NaN', 'NaN']);
  await rejects(spec({ files: [{ path: 'sig.csv', label: 1, genMass: null }] }), /sig\.csv: column 'genMass' has 4 NaN/);
});

test('empty selection names the selection, the event count and the files', async () => {
  await rejects(spec({ selection: 'M > 1000' }), /^selection 'M > 1000' keeps no events of 7 in files .*sig\.csv, .*bkg\.csv$/);
});

test('selection syntax error', async () => {
  await rejects(spec({ selection: 'M > 0 &&' }), /^selection "M > 0 &&": expected an operand at column 9$/);
});

test('a split column is read and its values checked', async () => {
  csv('folds.csv', 'x,fold\n1,0\n2,1\n3,2\n4,3\n');
  await rejects({ files: [{ path: 'folds.csv' }], columns: { features: ['x'] }, split: { column: 'fold' } }, /folds\.csv: split column 'fold' has 1 value\(s\) other than 0/);
});

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

test('dalitzdata.root through a config: 100,000 events, 50,000 signal', async () => {
  const cfg = csv(
    'dalitz.yaml',
    `data:\n  files: [${join(fixtures, 'hep_ml/dalitzdata.root')}]\n  tree: tree\n  columns:\n    features: [M2AB, M2AC, Y1, Y2, Y3]\n    label: labels\n  split: {train: 0.6, validation: 0.2, test: 0.2, seed: 1}\n`,
  );
  const c = loadConfig(cfg);
  const { table } = await loadEvents(c.data, { baseDir: dir });
  assert.equal(table.length, 100000);
  assert.equal(table.labels().reduce((a, b) => a + b, 0), 50000);
  assert.deepEqual(table.roles.features, ['M2AB', 'M2AC', 'Y1', 'Y2', 'Y3']);
});

test('cms-4mu CSV with a fixed label and a mass window (counted independently with awk)', async () => {
  const s: LoadSpec = {
    files: [{ path: join(fixtures, 'cms-4mu/4mu_2012.csv'), label: 1 }],
    columns: { features: ['pt1', 'eta1'], mass: 'mZ1' },
    selection: 'mZ1 > 80 && mZ1 < 100',
  };
  const { table } = await loadEvents(s, opts);
  assert.equal(table.length, 63);
  const sumPt = table.column('pt1').reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sumPt - 4640.2572) < 1e-2, String(sumPt));
  assert.deepEqual([...new Set(table.labels())], [1]);
});

test('jagged ROOT branches through index expressions; events without a muon are NaN and dropped on request', async () => {
  const s: LoadSpec = {
    files: [{ path: join(fixtures, 'skhep/uproot-HZZ.root'), label: 0 }],
    tree: 'events',
    columns: { features: ['Muon_Px[0]', 'NMuon'] },
    nan: 'drop',
  };
  const { table, report } = await loadEvents(s, opts);
  const nMuon = (await readColumns(join(fixtures, 'skhep/uproot-HZZ.root'), { tree: 'events', columns: ['NMuon'] })).columns.get('NMuon')!;
  const withMuon = nMuon.filter((k) => k >= 1).length;
  assert.equal(table.length, withMuon);
  assert.ok(report.some((l) => l.includes(`dropped ${nMuon.length - withMuon} events: NaN/Inf in 'Muon_Px[0]'`)), report.join('\n'));
  const sel = await loadEvents({ ...s, nan: 'error', selection: 'NMuon >= 1 && abs(Muon_Px[0]) < 50' }, opts);
  assert.ok(sel.table.column('Muon_Px[0]').every((p) => Math.abs(p) < 50));
});
