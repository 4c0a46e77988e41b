// Issue 12, item 5: every command, given bad input — a missing file, a file it cannot read as
// such (a folder), an unknown or malformed option, an --out that names an existing file (or runs
// through one), a bad config or a bad file — answers with ONE line on stderr, exit 2, no stack trace
// ("    at " lines), and leaves no output behind. Run as the real `fomlab` binary (child processes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { tinyRun, type TinyRun } from './tiny-run.js';

const bin = new URL('../../bin/fomlab.mjs', import.meta.url).pathname;

function fomlab(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FOMLAB_NO_PROGRESS: '1' } });
    let stderr = '', stdout = '';
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.on('close', (code) => resolve({ code, stderr, stdout }));
  });
}

let tiny: TinyRun;
let run: string, model: string, file: string, folder: string, badYaml: string, garbage: string, missing: string, unreadable: string;

test('setup: a tiny trained run and some bad files', async () => {
  tiny = await tinyRun();
  run = join(tiny.dir, 'run');
  const r = await runCli(['train', tiny.config('good'), '--out', run]);
  assert.equal(r.code, 0, r.err);
  model = join(run, 'models', 'punzi.json');
  file = join(tiny.dir, 'existing.txt');
  writeFileSync(file, 'not a folder\n');
  folder = join(tiny.dir, 'a-folder.csv');
  mkdirSync(folder);
  badYaml = join(tiny.dir, 'bad.yaml');
  writeFileSync(badYaml, 'data:\n  files: [events.parquet]\n  colums: {features: [x]}\n');
  garbage = join(tiny.dir, 'garbage.parquet');
  writeFileSync(garbage, 'PAR1 this is not parquet at all');
  missing = join(tiny.dir, 'no-such-file.parquet');
  // a file this user may not read (as root every file is readable: then a folder stands in for it)
  unreadable = join(tiny.dir, 'locked.yaml');
  writeFileSync(unreadable, 'data: {}\n');
  chmodSync(unreadable, 0o000);
  if (process.getuid?.() === 0) unreadable = folder;
});

const cases = (): Array<[string, string[]]> => [
  ['train: missing config', ['train', missing]],
  ['train: unreadable config', ['train', unreadable]],
  ['train: unknown option', ['train', tiny.config('good'), '--epochs', '3']],
  ['train: bad --checkpoint-every', ['train', tiny.config('good'), '--checkpoint-every', 'often']],
  ['train: --out names an existing file', ['train', tiny.config('good'), '--out', file]],
  ['train: --out runs through a file', ['train', tiny.config('good'), '--out', join(file, 'run')]],
  ['train: bad config', ['train', badYaml]],
  ['validate: missing config', ['validate', missing]],
  ['validate: unreadable config', ['validate', unreadable]],
  ['validate: unknown option', ['validate', '--strict', tiny.config('good')]],
  ['validate: bad config', ['validate', badYaml]],
  ['evaluate: missing run', ['evaluate', join(tiny.dir, 'no-run')]],
  ['evaluate: a file, not a run', ['evaluate', file]],
  ['evaluate: a folder that is no run', ['evaluate', folder]],
  ['evaluate: unknown option', ['evaluate', run, '--fast']],
  ['report: missing run', ['report', join(tiny.dir, 'no-run')]],
  ['report: a folder without summary', ['report', folder]],
  ['report: unknown option', ['report', run, '--pdf']],
  ['report: --out runs through a file', ['report', run, '--out', join(file, 'report')]],
  ['apply: missing model', ['apply', missing, join(tiny.dir, 'events.parquet')]],
  ['apply: missing data file', ['apply', model, missing]],
  ['apply: unreadable data file', ['apply', model, folder]],
  ['apply: garbage data file', ['apply', model, garbage]],
  ['apply: unknown option', ['apply', model, join(tiny.dir, 'events.parquet'), '--threshold', '0.5']],
  ['apply: --out runs through a file', ['apply', model, join(tiny.dir, 'events.parquet'), '--out', join(file, 'x.parquet')]],
  ['export: missing model', ['export', missing, '--onnx']],
  ['export: garbage model', ['export', garbage, '--onnx']],
  ['export: unknown option', ['export', model, '--onnx', '--fp16']],
  ['export: --out runs through a file', ['export', model, '--onnx', '--out', join(file, 'm.onnx')]],
  ['inspect: missing file', ['inspect', missing]],
  ['inspect: unreadable file', ['inspect', folder]],
  ['inspect: garbage file', ['inspect', garbage]],
  ['inspect: unknown option', ['inspect', garbage, '--all']],
  ['simulate: unknown option', ['simulate', '--events', '10']],
  ['simulate: bad number', ['simulate', '--events-per-mass', 'many']],
  ['simulate: --out runs through a file', ['simulate', '--events-per-mass', '10', '--masses', '1', '--out', join(file, 'sim.parquet')]],
  ['demo: unknown option', ['demo', '--fast']],
  ['demo: bad --nets', ['demo', '--nets', 'two']],
  ['demo: --out names an existing file', ['demo', '--quick', '--out', file]],
  ['compare: missing config', ['compare', missing]],
  ['compare: unknown option', ['compare', tiny.config('good'), '--trials', '3']],
  ['compare: config without compare:', ['compare', tiny.config('good'), '--out', join(tiny.dir, 'no-run')]],
  ['compare: bad config', ['compare', badYaml, '--out', join(tiny.dir, 'no-run')]],
];

type Outcome = { code: number | null; stderr: string };
function judged(what: string, r: Outcome): string | null {
  const lines = r.stderr.trim().split('\n');
  const ok = r.code === 2 && lines.length === 1 && !/^\s+at /m.test(r.stderr) && lines[0].startsWith('fomlab: ');
  return ok ? null : `${what}: exit ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 300))}`;
}

test('every command answers bad input with one line, exit 2 and no stack trace', { timeout: 300_000 }, async () => {
  const list = cases();
  const commands = new Set(list.map(([, a]) => a[0]));
  for (const c of ['train', 'validate', 'evaluate', 'report', 'apply', 'export', 'inspect', 'simulate', 'demo']) assert.ok(commands.has(c), c);
  const before = new Set(readdirSync(tiny.dir));
  const bad: string[] = [];
  // all cases in this process (an exception escaping main() is what prints a stack trace) ...
  for (const [what, args] of list) {
    let r: Outcome;
    try {
      const c = await runCli(args);
      r = { code: c.code, stderr: c.err };
    } catch (e) {
      r = { code: 1, stderr: (e as Error).stack ?? String(e) };
    }
    const b = judged(what, r);
    if (b) bad.push(b);
  }
  // ... and the first case of each command through the real binary (exit code and stderr as a user sees them)
  const firsts = [...commands].map((c) => list.find(([, a]) => a[0] === c)!);
  for (let i = 0; i < firsts.length; i += 3) {
    const rs = await Promise.all(firsts.slice(i, i + 3).map(([, args]) => fomlab(args)));
    rs.forEach((r, j) => { const b = judged(`${firsts[i + j][0]} (binary)`, r); if (b) bad.push(b); });
  }
  assert.deepEqual(bad, [], bad.join('\n'));
  // nothing written beside the inputs (no run folders, no half files, no temporaries)
  assert.deepEqual(readdirSync(tiny.dir).filter((f) => !before.has(f)), []);
  assert.ok(!existsSync(join(tiny.dir, 'no-run')));
});
