import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import { parseConfig } from '../../src/config/load.js';
import { demoConfig } from '../../src/cli/commands/demo.js';

test('examples/punzinet-paper.yaml is the seed recipe: 25 nets, 200 BCE + 2000 Punzi epochs', () => {
  const c = loadConfig(new URL('../../examples/punzinet-paper.yaml', import.meta.url).pathname);
  assert.equal(c.training?.ensemble, 25);
  assert.deepEqual(c.training?.stages.map((s) => [s.loss, s.optimizer, s.lr, s.batchSize, s.epochs]), [['bce', 'sgd', 1, 2048, 200], ['punzi', 'sgd', 0.0005, 50000, 2000]]);
  assert.deepEqual(c.model?.hidden, [8, 4]);
});

test('the demo config validates (quick and full)', () => {
  for (const quick of [true, false]) assert.equal(parseConfig(demoConfig(4, quick), 'demo.yaml').training?.ensemble, 4);
});
