import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ablationRows, FULL_SCALE, rowConfig } from '../../src/cli/ablation-rows.js';
import { demoConfig } from '../../src/cli/commands/demo.js';
import { parseConfig, loadConfig } from '../../src/config/load.js';

const files = { events: '/data/events.parquet', resolution: '/data/resolution.txt' };
const parsed = (i: number) => parseConfig(JSON.stringify(rowConfig(ablationRows()[i], FULL_SCALE, files)), `row-${i}.yaml`);

test('every ablation row is a valid config; each changes exactly one setting against the row above', () => {
  const rows = ablationRows();
  assert.deepEqual(rows.map((r) => r.name), ['protocol', 'batched', 'checkpoint', 'scaling', 'split', 'sample', 'form', 'optimiser', 'sharpness', 'aggregate']);
  rows.forEach((_, i) => assert.equal(parsed(i).training?.ensemble, FULL_SCALE.nets));
  for (let i = 1; i < rows.length; i++) {
    const changed = Object.keys(rows[i].settings).filter((k) => JSON.stringify(rows[i].settings[k as keyof typeof rows[0]['settings']]) !== JSON.stringify(rows[i - 1].settings[k as keyof typeof rows[0]['settings']]));
    assert.equal(changed.length, 1, `row ${rows[i].name} changes ${changed.join(', ')}`);
  }
});

test("the first row is examples/punzinet-protocol.yaml's unbatched variant, the last the demo's settings (only epochs, nets and data differ)", () => {
  const first = parsed(0), last = parsed(ablationRows().length - 1);
  const protocol = loadConfig(new URL('../../examples/punzinet-protocol.yaml', import.meta.url).pathname);
  const demo = parseConfig(demoConfig(4, false), 'demo.yaml');
  const stageKeys = ['loss', 'optimizer', 'lr', 'batchSize', 'aggregate', 'sharpness', 'plateau'] as const;
  const pick = (s: Record<string, unknown>): unknown[] => stageKeys.map((k) => s[k]);
  const checkpointOf = (s: { checkpoint?: string }): string => s.checkpoint ?? 'best';
  // protocol: the unbatched Punzi stage and the BCE stage, scaling, split, σ_min form
  assert.deepEqual(pick(first.training!.stages[1]), pick(protocol.training!.stages[1]));
  assert.deepEqual(pick(first.training!.stages[0]), pick(protocol.training!.stages[0]));
  assert.deepEqual(first.training!.stages.map(checkpointOf), ['last', 'last']);
  assert.deepEqual([first.data.scaling, first.data.split, first.search?.sensitivity.form], [protocol.data.scaling, protocol.data.split, protocol.search?.sensitivity.form]);
  // demo
  assert.deepEqual(pick(last.training!.stages[1]), pick(demo.training!.stages[1]));
  assert.deepEqual(pick(last.training!.stages[0]), pick(demo.training!.stages[0]));
  assert.deepEqual(last.training!.stages.map(checkpointOf), demo.training!.stages.map(checkpointOf));
  assert.deepEqual([last.data.scaling, last.data.split, last.search?.sensitivity], [demo.data.scaling, demo.data.split, demo.search?.sensitivity]);
});
