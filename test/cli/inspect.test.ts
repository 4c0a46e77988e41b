import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from '../cli-run.js';

const fomlab = (...args: string[]) => runCli(args);

const SK = 'test/fixtures/skhep';

function row(out: string, column: string): string[] {
  const line = out.split('\n').find((l) => l.trim().startsWith(`${column} `));
  assert.ok(line, `no row for ${column} in\n${out}`);
  return line.trim().split(/\s{2,}/);
}

test('inspect Zmumu: 2,304 entries and M from 0.38906 to 172.1 GeV, same for every compression', async () => {
  const ref = await fomlab('inspect', `${SK}/uproot-Zmumu.root`);
  assert.equal(ref.code, 0, ref.err);
  assert.match(ref.out, /tree 'events': 2,304 entries, 20 columns/);
  assert.deepEqual(row(ref.out, 'M'), ['M', 'float64', '2,304', '0.38906', '172.1', '80.206', '0']);
  assert.deepEqual(row(ref.out, 'Q1').slice(0, 5), ['Q1', 'int32', '2,304', '-1', '1']);
  assert.match(row(ref.out, 'Type').join(' '), /string \(not numeric\)/);
  for (const v of ['zlib', 'lz4', 'zstd', 'lzma', 'uncompressed']) {
    const r = await fomlab('inspect', `${SK}/uproot-Zmumu-${v}.root`);
    assert.equal(r.code, 0);
    assert.equal(r.out.split('\n').slice(1).join('\n'), ref.out.split('\n').slice(1).join('\n'), v);
  }
});

test('inspect dalitzdata: 100,000 entries, labels 0: 50,000 and 1: 50,000', async () => {
  const r = await fomlab('inspect', 'test/fixtures/hep_ml/dalitzdata.root', '--tree', 'tree');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /100,000 entries/);
  const lines = r.out.split('\n');
  const i = lines.findIndex((l) => l.trim().startsWith('labels '));
  assert.match(lines[i + 1], /values\s+0: 50,000\s+1: 50,000/);
});

test('inspect HZZ lists jagged branches with their element type', async () => {
  const r = await fomlab('inspect', `${SK}/uproot-HZZ.root`);
  assert.equal(r.code, 0);
  assert.match(r.out, /Muon_Px\s+jagged float32\s+\(variable length: read one element as 'Muon_Px\[0\]'\)/);
  assert.match(r.out, /NMuon .*\n\s+values\s+0: 59\s+1: 949\s+2: 1,371\s+3: 34\s+4: 8/);
});

test('inspect CSV: one pseudo-tree', async () => {
  const r = await fomlab('inspect', 'test/fixtures/cms-4mu/4mu_2012.csv');
  assert.equal(r.code, 0);
  assert.match(r.out, /\(CSV\)\n\n95 entries, 40 columns/);
});

test('inspect bad input: one message naming the file, tree or option, exit code ≠ 0', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-inspect-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const half = join(dir, 'HZZ-half.root');
  const whole = readFileSync(`${SK}/uproot-HZZ.root`);
  writeFileSync(half, whole.subarray(0, whole.length >> 1));
  const cases: Array<[string[], RegExp]> = [
    [['inspect', join(dir, 'absent.root')], /absent\.root: no such file/],
    [['inspect', half], /HZZ-half\.root: ROOT file is truncated/],
    [['inspect', `${SK}/uproot-Zmumu.root`, '--tree', 'evnts'], /no tree 'evnts' \(did you mean: events\?\)/],
    [['inspect'], /which file\?/],
    [['inspect', `${SK}/uproot-Zmumu.root`, '--branch', 'M'], /unknown option '--branch'/],
  ];
  for (const [args, msg] of cases) {
    const r = await fomlab(...args);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, msg);
    assert.equal(r.err.split('\n').length, 1, 'one line, no stack');
  }
});

test('bin/fomlab.mjs inspect: a real process exits non-zero with one message', () => {
  const bad = spawnSync(process.execPath, ['bin/fomlab.mjs', 'inspect', 'test/fixtures/SOURCES.md'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /SOURCES\.md: not a known format/);
});
