// Same seed → same numbers: init, batch order, dropout and training steps through the whole core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, MLP, Adam, Dropout, rand, indexSelect, binaryCrossEntropy, tensor, reshape } from '../../src/core/index.js';

function train(seed: number): number[] {
  const rng = new Rng(seed);
  const net = new MLP([3, 6, 1], ['tanh', 'sigmoid'], rng);
  const drop = new Dropout(0.2, rng.fork());
  const x = rand(rng, [64, 3]);
  const y = tensor(Array.from({ length: 64 }, (_, i) => x.data[3 * i] > 0.5 ? 1 : 0));
  const opt = new Adam(net.parameters(), { lr: 0.01 });
  const losses: number[] = [];
  for (let step = 0; step < 5; step++) {
    const rows = [...rng.permutation(64).subarray(0, 16)];
    opt.zeroGrad();
    const out = reshape(net.forward(drop.forward(indexSelect(x, 0, rows))), [-1]);
    const loss = binaryCrossEntropy(out, indexSelect(y, 0, rows));
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return [...losses, ...net.parameters().flatMap((p) => p.toArray())];
}

test('same seed gives bit-identical training; another seed differs', () => {
  assert.deepEqual(train(1), train(1));
  assert.notDeepEqual(train(1), train(2));
});
