// Issue 12, item 6: `validate` runs every check `train` runs before its first epoch (one shared
// function, prepareTraining). Each config below passed validate ("valid", exit 0) and was rejected
// by train; now validate rejects it with train's own line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../cli-run.js';
import { tinyRun, type TinyRun } from './tiny-run.js';

let tiny: TinyRun;
test('setup: a tiny data set', async () => { tiny = await tinyRun(); });

const cases: Array<[string, Parameters<TinyRun['config']>[1], RegExp]> = [
  ['hypotheses from > to', { hypotheses: '{from: 3, to: 1, step: 0.5}' }, /search\.hypotheses\.to \(1\) is below from \(3\)/],
  ['a missing resolution file', { window: '{resolution: no-such-width.txt, nSigma: 2}' }, /no-such-width\.txt/],
  ['hypotheses outside the data', { hypotheses: '{masses: [7, 8], train: all}', window: '{halfWidth: 0.3}' }, /no training hypothesis has signal/],
  ['a selection that keeps no signal', { selection: 'labels == 0' }, /signal/],
];

for (const [what, o, message] of cases) {
  test(`validate rejects what train rejects: ${what}`, async () => {
    const cfg = tiny.config(what.replace(/\W+/g, '-'), o);
    const v = await runCli(['validate', cfg]);
    const t = await runCli(['train', cfg, '--out', join(tiny.dir, 'never')]);
    assert.equal(t.code, 2, `train rejects it: ${t.err}`);
    assert.equal(v.code, 2, `validate: ${v.out}`);
    assert.match(v.err, message);
    assert.equal(v.err.trim().split('\n').length, 1, v.err);
    // the same check, word for word
    assert.equal(v.err.trim(), t.err.trim().split('\n').at(-1));
  });
}

test('validate of a config that trains reports the training windows', async () => {
  const v = await runCli(['validate', tiny.config('fine')]);
  assert.equal(v.code, 0, v.err);
  assert.match(v.out, /valid/);
  assert.match(v.out, /search: 3 hypotheses, 3 for training; in their windows: train \d+, validation \d+ events/);
});
