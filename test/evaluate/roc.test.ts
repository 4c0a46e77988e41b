import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rocAuc, rocCurve } from '../../src/evaluate/roc.js';

const v = JSON.parse(readFileSync(new URL('../fixtures/vectors/auc.json', import.meta.url), 'utf8')) as {
  labels: number[]; scores: number[]; weights: number[]; auc_weighted: number; auc_unweighted: number;
};

test('auc.json: weighted and unweighted AUC as scikit-learn, with ties, to 1e-6', () => {
  const ev = { output: Float64Array.from(v.scores), label: Float64Array.from(v.labels) };
  const w = rocAuc({ ...ev, weight: Float64Array.from(v.weights) });
  const u = rocAuc(ev);
  assert.ok(Math.abs(w - v.auc_weighted) <= 1e-6 * v.auc_weighted, `${w} vs ${v.auc_weighted}`);
  assert.ok(Math.abs(u - v.auc_unweighted) <= 1e-6 * v.auc_unweighted, `${u} vs ${v.auc_unweighted}`);
  // the same through float32 columns (the scores' ties survive rounding)
  const f = rocAuc({ output: Float32Array.from(v.scores), label: Float32Array.from(v.labels), weight: Float32Array.from(v.weights) });
  assert.ok(Math.abs(f - v.auc_weighted) <= 1e-6, `${f}`);
});

test('ROC by hand: ties form one step, negative weights count as zero', () => {
  // outputs 0.9 S, 0.5 S, 0.5 B, 0.1 B (w −3 → 0): points (0,0) (0,½) (1,1) (1,1)
  const r = rocCurve({ output: Float32Array.from([0.9, 0.5, 0.5, 0.1]), label: Float32Array.from([1, 1, 0, 0]), weight: Float32Array.from([1, 1, 1, -3]) });
  assert.deepEqual([...r.fpr], [0, 0, 1, 1]);
  assert.deepEqual([...r.tpr], [0, 0.5, 1, 1]);
  assert.equal(r.auc, 0.75); // ½ + ½·½ (the tie is a diagonal)
  assert.throws(() => rocAuc({ output: Float32Array.from([1, 2]), label: Float32Array.from([1, 1]) }), /needs signal and background/);
});
