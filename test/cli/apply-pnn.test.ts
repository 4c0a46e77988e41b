import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { readColumns } from '../../src/data/readers/index.js';
import { saveModelFile } from '../../src/models/registry.js';
import { savedAffine } from '../../src/models/affine-pnn.js';
import type { AffineSpec } from '../../src/models/affine-spec.js';

// One feature, one unit: score(x, m) = σ(3·(relu(2x + 0.5)·(0.5m + 1) − m + 0.25) − 1) (checked by hand in models/affine-pnn.test.ts).
const spec: AffineSpec = {
  inputNames: ['x', 'mass_hypothesis'], activation: 'relu', outputWeight: new Float32Array([3]), outputBias: -1,
  hidden: [{ weight: new Float32Array([2]), bias: new Float32Array([0.5]), nIn: 1, nOut: 1, scaleWeight: new Float32Array([0.5]), scaleBias: new Float32Array([1]), shiftWeight: new Float32Array([-1]), shiftBias: new Float32Array([0.25]) }],
};
const byHand = (x: number, m: number): number => 1 / (1 + Math.exp(-(3 * (Math.max(2 * x + 0.5, 0) * (0.5 * m + 1) - m + 0.25) - 1)));

test('fomlab apply --mass: a pNN scored at each mass hypothesis, one column per mass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-apply-pnn-'));
  try {
    const model = join(dir, 'pnn.json'), csv = join(dir, 'ev.csv'), out = join(dir, 'out.csv');
    saveModelFile(savedAffine(spec), model);
    writeFileSync(csv, 'x\n1\n-1\n0.25\n');
    const log = console.log;
    console.log = () => {};
    try {
      assert.equal(await main(['apply', model, csv, '--mass', '0,2', '--out', out]), 0);
      assert.equal(await main(['apply', model, csv, '--mass', 'two', '--out', join(dir, 'bad.csv')]), 2);
    } finally {
      console.log = log;
    }
    const cols = (await readColumns(out)).columns;
    for (const m of [0, 2]) {
      const s = cols.get(`score_${m}`)!;
      [1, -1, 0.25].forEach((x, i) => assert.ok(Math.abs(s[i] - byHand(x, m)) < 1e-6, `x = ${x}, m = ${m}: ${s[i]} vs ${byHand(x, m)}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
