import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readColumns, describeFile, detectFormat } from '../../src/data/readers/index.js';
import { FomlabError } from '../../src/core/errors.js';

const SK = 'test/fixtures/skhep';
const ZMUMU = `${SK}/uproot-Zmumu.root`;
const HZZ = `${SK}/uproot-HZZ.root`;
const FLAT = `${SK}/uproot-small-flat-tree.root`;
const f32 = Math.fround;

async function rejects(p: Promise<unknown>, ...parts: Array<string | RegExp>): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof FomlabError, `expected FomlabError, got ${String(e)}`);
    for (const s of parts) assert.match(e.message, typeof s === 'string' ? new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : s);
    return true;
  });
}

test('Zmumu: 2,304 entries, first event and M range as uproot shows them', async () => {
  const d = await readColumns(ZMUMU);
  assert.equal(d.length, 2304);
  assert.equal(d.source, `${ZMUMU}:events`);
  assert.ok(!d.columns.has('Type'), 'string branch is not a default column');
  assert.equal(d.columns.get('Run')![0], 148031);
  assert.equal(d.columns.get('E1')![0], f32(82.20186614990234));
  assert.equal(d.columns.get('px1')![0], f32(-41.19528579711914));
  assert.equal(d.columns.get('Q1')![0], 1);
  const m = d.columns.get('M')!;
  assert.equal(m[0], f32(82.46269226074219));
  assert.equal(Math.min(...m), f32(0.3890579044818878));
  assert.equal(Math.max(...m), f32(172.1017608642578));
});

test('Zmumu: every compression (zlib, lz4, zstd, lzma, none) gives identical columns', async () => {
  const ref = await readColumns(ZMUMU);
  for (const v of ['zlib', 'lz4', 'zstd', 'lzma', 'uncompressed']) {
    const d = await readColumns(`${SK}/uproot-Zmumu-${v}.root`);
    assert.deepEqual([...d.columns.keys()], [...ref.columns.keys()], v);
    for (const [k, col] of ref.columns) assert.deepEqual(d.columns.get(k), col, `${v}: ${k}`);
  }
});

test('dalitzdata: 100,000 events, 50,000 with labels == 1', async () => {
  const d = await readColumns('test/fixtures/hep_ml/dalitzdata.root', { columns: ['labels', 'M2AB'] });
  assert.equal(d.length, 100000);
  assert.equal(d.columns.get('labels')!.reduce((s, x) => s + (x === 1 ? 1 : 0), 0), 50000);
});

test('small flat tree: every integer and float type holds the entry number', async () => {
  const d = await readColumns(FLAT);
  assert.deepEqual([...d.columns.keys()], ['Int32', 'Int64', 'UInt32', 'UInt64', 'Float32', 'Float64', 'N']);
  for (const name of ['Int32', 'Int64', 'UInt32', 'UInt64', 'Float32', 'Float64']) {
    assert.deepEqual(d.columns.get(name), Float32Array.from({ length: 100 }, (_, i) => i), name);
  }
  assert.deepEqual(d.columns.get('N'), Float32Array.from({ length: 100 }, (_, i) => i % 10));
});

test('small flat tree: fixed arrays and counted slices by index', async () => {
  const d = await readColumns(FLAT, { columns: ['ArrayInt64[3]', 'ArrayFloat32[9]', 'SliceFloat64[1]', 'SliceUInt32[0]'] });
  for (let i = 0; i < 100; i++) {
    assert.equal(d.columns.get('ArrayInt64[3]')![i], i);
    assert.equal(d.columns.get('ArrayFloat32[9]')![i], i);
    const n = i % 10;
    assert.ok(n > 1 ? d.columns.get('SliceFloat64[1]')![i] === i : Number.isNaN(d.columns.get('SliceFloat64[1]')![i]), `entry ${i}`);
    assert.ok(n > 0 ? d.columns.get('SliceUInt32[0]')![i] === i : Number.isNaN(d.columns.get('SliceUInt32[0]')![i]));
  }
  await rejects(readColumns(FLAT, { columns: ['ArrayInt32[10]'] }), "'ArrayInt32[10]' is out of range", '10 element');
});

test('HZZ: jagged Muon_Px reduced by index, NaN where the event has fewer muons', async () => {
  const d = await readColumns(HZZ, { columns: ['NMuon', 'Muon_Px[0]', 'Muon_Px[1]', 'EventWeight'] });
  assert.equal(d.length, 2421);
  const n = d.columns.get('NMuon')!;
  const px0 = d.columns.get('Muon_Px[0]')!;
  const px1 = d.columns.get('Muon_Px[1]')!;
  assert.equal(px0[0], f32(-52.89945602416992));
  assert.equal(px1[0], f32(37.7377815246582));
  assert.equal(px0[1], f32(-0.8164593577384949));
  for (let i = 0; i < d.length; i++) {
    assert.equal(Number.isNaN(px0[i]), n[i] < 1, `event ${i}`);
    assert.equal(Number.isNaN(px1[i]), n[i] < 2, `event ${i}`);
  }
});

test('HZZ: a jagged branch used as a scalar is rejected with the index hint', async () => {
  await rejects(readColumns(HZZ, { columns: ['Muon_Px'] }), HZZ, "branch 'Muon_Px' is jagged (variable length per event", "use 'Muon_Px[0]'");
});

test('NanoAOD: baskets kept inside the TTree object are read too', async () => {
  const d = await readColumns(`${SK}/nanoAOD_2015_CMS_Open_Data_ttbar.root`, { columns: ['nMuon', 'Muon_pt[0]', 'MET_pt'] });
  assert.equal(d.length, 200);
  const n = d.columns.get('nMuon')!;
  const pt = d.columns.get('Muon_pt[0]')!;
  for (let i = 0; i < 200; i++) assert.equal(Number.isNaN(pt[i]), n[i] === 0);
  assert.ok(d.columns.get('MET_pt')!.every((x) => x > 0));
});

test('describeFile lists trees, entries, types and jagged columns', async () => {
  const z = await describeFile(ZMUMU);
  assert.equal(z.format, 'root');
  assert.deepEqual(z.trees.map((t) => [t.name, t.entries]), [['events', 2304]]);
  assert.deepEqual(z.trees[0].columns.find((c) => c.name === 'M'), { name: 'M', type: 'float64', jagged: false });
  const h = await describeFile(HZZ);
  assert.deepEqual(h.trees[0].columns.find((c) => c.name === 'Muon_Px'), { name: 'Muon_Px', type: 'float32', jagged: true });
  assert.deepEqual(h.trees[0].columns.find((c) => c.name === 'Jet_ID'), { name: 'Jet_ID', type: 'bool', jagged: true });
});

test('CSV: comma and tab delimiters sniffed, header names kept', async () => {
  const c = await readColumns('test/fixtures/cms-4mu/4mu_2012.csv');
  assert.equal(c.length, 95);
  assert.equal(c.columns.size, 40);
  assert.equal(c.columns.get('mZ1')![0], f32(89.2128));
  assert.equal(c.columns.get('mZ2')![1], f32(72.8411));
  const t = await readColumns('test/fixtures/punzinet/width.txt');
  assert.deepEqual([...t.columns.keys()], ["M_Z'[GeV]", 'weighted sigma [GeV^2]', 'weighted sigma error [GeV^2]']);
  assert.equal(t.columns.get("M_Z'[GeV]")![0], 100);
  assert.equal(t.columns.get('weighted sigma [GeV^2]')![0], f32(0.233973));
});

test('bad input: each is one FomlabError naming the file, tree or branch', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-readers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await rejects(readColumns(join(dir, 'absent.root')), 'absent.root', 'no such file');
  const text = join(dir, 'notes.root');
  writeFileSync(text, 'these are my notes, not a ROOT file\n');
  await rejects(readColumns(text), 'notes.root', 'not a ROOT file');
  const bin = join(dir, 'blob.parquet');
  writeFileSync(bin, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8]));
  await rejects(readColumns(bin), 'blob.parquet', 'not a Parquet file');
  const unknown = join(dir, 'data.xyz');
  writeFileSync(unknown, Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8]));
  await rejects(readColumns(unknown), 'data.xyz', 'not a known format');
  const half = join(dir, 'HZZ-half.root');
  const whole = readFileSync(HZZ);
  writeFileSync(half, whole.subarray(0, whole.length >> 1));
  await rejects(readColumns(half), 'HZZ-half.root', 'truncated');
  await rejects(describeFile(half), 'HZZ-half.root', 'truncated');
  await rejects(readColumns(ZMUMU, { tree: 'event' }), ZMUMU, "no tree 'event'", 'did you mean: events');
  await rejects(readColumns(ZMUMU, { columns: ['M', 'px'] }), `${ZMUMU}:events`, "no branch 'px'", 'did you mean:', 'px1');
  await rejects(readColumns(ZMUMU, { columns: ['Type'] }), "branch 'Type' has type string");
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b\n1,2\n3,x7\n');
  await rejects(readColumns(bad), 'bad.csv', 'line 3', "column 'b'", "'x7' is not a number");
  await rejects(readColumns('test/fixtures/cms-4mu/4mu_2012.csv', { columns: ['mZ3'] }), "no column 'mZ3'", 'mZ1');
});

test('format by magic bytes before extension', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-readers-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const disguised = join(dir, 'events.dat');
  writeFileSync(disguised, readFileSync(FLAT));
  assert.equal(detectFormat(disguised), 'root');
  assert.equal((await readColumns(disguised, { columns: ['N'] })).length, 100);
});
