// Same seed, same numbers: the transformer's training steps (dropout masks from the seed, fixed event parts in the
// kernel) give bit-identical parameters run to run and whether the kernel's pool runs on one thread or several.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Adam, Rng, Tensor } from '../../src/core/index.js';
import { keepKernelsSerial } from '../../src/core/kernels/index.js';
import { transformer } from '../../src/models/transformer/kind.js';
import type { TransformerNet } from '../../src/models/transformer/net.js';

function trainFew(seed: number): Float32Array {
  const rng = new Rng(99), n = 3000, F = 6;
  const x = new Tensor(Float32Array.from({ length: n * F }, () => rng.range(-2, 2)), [n, F]);
  const target = Float32Array.from({ length: n }, (_, i) => (x.data[i * F] + x.data[i * F + 1] > 0 ? 1 : 0));
  const net = transformer.build(F, { dModel: 8, heads: 2, ffn: 16, embedHidden: 4, dropout: 0.1 }, new Rng(seed)) as TransformerNet;
  const opt = new Adam(net.parameters(), { lr: 0.01 });
  for (let step = 0; step < 4; step++) {
    opt.zeroGrad();
    net.bceStep(x, target, null, Int32Array.from({ length: 1000 }, (_, i) => (i * 3 + step) % n));
    opt.step();
    opt.zeroGrad();
    const y = net.forwardRows(x, Int32Array.from({ length: 500 }, (_, i) => i * 2)); // the autograd path, dropout on
    y.backward(new Float32Array(500).fill(1 / 500));
    opt.step();
  }
  return Float32Array.from(net.params);
}

test('transformer: same seed → bit-identical parameters, on the pool or serial; another seed differs', () => {
  const a = trainFew(7), b = trainFew(7);
  assert.deepEqual(a, b);
  keepKernelsSerial(true);
  try {
    assert.deepEqual(trainFew(7), a);
  } finally {
    keepKernelsSerial(false);
  }
  assert.notDeepEqual(trainFew(8), a);
});
