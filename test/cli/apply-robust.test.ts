// apply and simulate under a full disk (ulimit -f), on a read-only file and under Ctrl-C: the
// original is never lost, nothing half-written or hidden is left, and the error is one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveFeedForwardSpec } from '../../src/models/spec-json.js';
import { writeTable } from '../../src/data/writers/index.js';
import type { FeedForwardSpec } from '../../src/models/spec.js';

const bin = new URL('../../bin/fomlab.mjs', import.meta.url).pathname;

const spec: FeedForwardSpec = {
  inputNames: ['a', 'b'],
  layers: [{ nIn: 2, nOut: 1, activation: 'sigmoid', weight: Float32Array.from([0.3, -0.7]), bias: Float32Array.from([0.1]) }],
};

function setup(rows: number): { dir: string; model: string; csv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-apply-robust-'));
  const model = join(dir, 'model.json');
  saveFeedForwardSpec(spec, model);
  const lines = ['a,b'];
  for (let i = 0; i < rows; i++) lines.push(`${(i % 1000) / 7},${(i % 313) / 3}`);
  const csv = join(dir, 'x.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
  return { dir, model, csv };
}

/** `fomlab ARGS` with a file-size limit of `blocks` × 1024 bytes (bash's ulimit -f). */
function runLimited(blocks: number, args: string[]): { status: number | null; stderr: string; stdout: string } {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('bash', ['-c', `ulimit -f ${blocks}; exec ${quoted}`], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

test('apply in place with a 300 kB file-size limit: one line, exit 2, the original intact, no temp file', () => {
  // 40,000 rows (< 65,536: one write of rows): with the score column the CSV output (≈ 1 MB)
  // crosses the 307,200-byte limit inside that write, which on the old code was short and passed
  // as success; the Parquet/Arrow outputs are 3 × 4 × 40,000 = 480 kB, also over the limit
  const { dir, model, csv } = setup(40000);
  const before = readFileSync(csv);
  const r = runLimited(300, ['apply', model, csv, '--out', csv]);
  assert.equal(r.status, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^fomlab: .*x\.csv: cannot write: .*file-size limit.*\(EFBIG\)/);
  assert.doesNotMatch(r.stdout, /wrote/);
  assert.deepEqual(readFileSync(csv), before);
  assert.deepEqual(temps(dir), []);

  // the same limit for Parquet and Arrow outputs (their writers already checked; kept so)
  for (const out of ['y.parquet', 'y.arrow']) {
    const p = runLimited(300, ['apply', model, csv, '--out', join(dir, out)]);
    assert.equal(p.status, 2, p.stderr);
    assert.match(p.stderr.trim(), new RegExp(`^fomlab: .*${out.replace('.', '\\.')}: cannot write`));
    assert.deepEqual(readdirSync(dir).sort(), ['model.json', 'x.csv']);
  }
});

test('simulate --out *.csv with a 300 kB file-size limit fails in one line and leaves nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-sim-limit-'));
  const out = join(dir, 'sim.csv');
  const r = runLimited(300, ['simulate', '--out', out, '--events-per-mass', '20000', '--masses', '1,2', '--background-scale', '0.00001']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr.trim().split('\n').at(-1)!, /^fomlab: .*sim\.csv: cannot write: .*\(EFBIG\)/);
  assert.doesNotMatch(r.stderr, /\n\s+at /); // no stack trace
  assert.deepEqual(readdirSync(dir), []);
});

test('apply refuses to replace a read-only file, which keeps its bytes and mode', () => {
  const { model, csv } = setup(10);
  chmodSync(csv, 0o444);
  const before = readFileSync(csv);
  const r = spawnSync(process.execPath, [bin, 'apply', model, csv, '--out', csv], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr.trim(), /^fomlab: .*x\.csv: the file is read-only; not replacing it/);
  assert.deepEqual(readFileSync(csv), before);
  assert.equal(statSync(csv).mode & 0o777, 0o444);
});

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} while apply writes: exit ${code}, no hidden temp file, the original intact`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fomlab-apply-int-'));
    const model = join(dir, 'model.json');
    saveFeedForwardSpec(spec, model);
    // 2 M events in Parquet (read in ≈ 0.1 s), scored into CSV (several 65,536-row writes, ≈ 2 s)
    const n = 2_000_000;
    const a = Float32Array.from({ length: n }, (_, i) => (i % 1000) / 7);
    const b = Float32Array.from({ length: n }, (_, i) => (i % 313) / 3);
    const input = join(dir, 'x.parquet');
    await writeTable(input, new Map([['a', a], ['b', b]]));
    const out = join(dir, 'x.csv');
    writeFileSync(out, 'a,b\n1,2\n');
    const p = spawn(process.execPath, [bin, 'apply', model, input, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
    // wait until the temporary file exists and has grown past its header, then interrupt
    let sent = false;
    for (let t = 0; t < 3000 && !sent; t++) {
      const tmp = temps(dir);
      if (tmp.length && statSync(join(dir, tmp[0]), { throwIfNoEntry: false })?.size! > 100_000) {
        p.kill(signal);
        sent = true;
      } else await new Promise((r) => setTimeout(r, 5));
    }
    assert.ok(sent, 'the temporary file never appeared');
    assert.equal(await exited, code, stderr);
    assert.deepEqual(temps(dir), []);
    assert.equal(readFileSync(out, 'utf8'), 'a,b\n1,2\n');
  });
}

test('JSON/model files (writeFileAtomically) under a 1 kB file-size limit: a FomlabError naming the file, nothing left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-json-limit-'));
  const target = join(dir, 'model.json');
  const atomic = new URL('../../src/core/atomic.ts', import.meta.url).pathname;
  // 5,000 bytes against a 1,024-byte limit: writeFileSync's loop gets a short write, then EFBIG
  const script = `import { writeFileAtomically } from '${atomic}';
try { writeFileAtomically('${target}', 'x'.repeat(5000)); console.log('wrote'); }
catch (e) { console.log(e.name + ': ' + e.message); }`;
  const r = spawnSync('bash', ['-c', `ulimit -f 1; exec '${process.execPath}' --import tsx --input-type=module -e "$0"`, script], { encoding: 'utf8', cwd: new URL('../..', import.meta.url).pathname });
  assert.equal(r.stdout.trim(), `FomlabError: ${target}: cannot write: the file would exceed the file-size limit (ulimit -f) or the file system maximum (EFBIG); nothing was written`, r.stderr);
  assert.deepEqual(readdirSync(dir), []);
});

test('Ctrl-C during simulate (streamed chunks): exit 130 at once, not after the whole run; no temp file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-sim-int-'));
  const out = join(dir, 'sim.parquet');
  // ≈ 1 M events, several seconds: the writer must give the signal handler a turn between chunks
  const p = spawn(process.execPath, [bin, 'simulate', '--out', out, '--events-per-mass', '200000', '--masses', '1,2,3,4,5'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  p.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
  let sent = false;
  for (let t = 0; t < 3000 && !sent; t++) {
    if (temps(dir).length) {
      p.kill('SIGINT');
      sent = true;
    } else await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(sent, 'the temporary file never appeared');
  assert.equal(await exited, 130);
  assert.doesNotMatch(stdout, /wrote/);
  assert.deepEqual(readdirSync(dir), []);
});
