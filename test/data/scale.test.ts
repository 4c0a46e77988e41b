import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { FomlabError } from '../../src/core/errors.js';
import { FeatureScaler } from '../../src/data/scale.js';
import { splitTable } from '../../src/data/split.js';

// rows × features, row-major: feature a = 1, 2, 3; feature b constant 5
const m = new Float32Array([1, 5, 2, 5, 3, 5]);
const close = (got: ArrayLike<number>, want: number[]) => want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-6, `[${i}] ${got[i]} ≠ ${w}`));

test('min-max maps the training range to [0, 1]; a constant feature gets scale 1', () => {
  const s = FeatureScaler.fit('minmax', m, ['a', 'b']);
  assert.deepEqual(s.toJSON(), { kind: 'minmax', features: ['a', 'b'], offset: [1, 5], scale: [2, 1] });
  close(s.transform(m), [0, 0, 0.5, 0, 1, 0]);
  close(s.transform(new Float32Array([5, 7])), [2, 2]); // outside the training range: not clipped
  close(s.inverseTransform(s.transform(m)), [...m]);
});

test('standard: mean and population std (hand-derived)', () => {
  const s = FeatureScaler.fit('standard', m, ['a', 'b']);
  const std = Math.sqrt(2 / 3); // ((1-2)² + 0 + (3-2)²) / 3
  close(s.toJSON().offset, [2, 5]);
  close(s.toJSON().scale, [std, 1]);
  close(s.transform(m), [-1 / std, 0, 0, 0, 1 / std, 0]);
});

test('none is the identity', () => {
  const s = FeatureScaler.fit('none', m, ['a', 'b']);
  assert.deepEqual([...s.transform(m)], [...m]);
});

test('fitted on the training split only', () => {
  const t = new EventTable(
    { x: new Float32Array([0, 10, 1, 100, 2, -50]), fold: new Float32Array([0, 0, 0, 1, 2, 2]) },
    { features: ['x'] },
  );
  const { train } = splitTable(t, { column: 'fold' });
  const mm = FeatureScaler.fitTable('minmax', train).toJSON();
  assert.deepEqual([mm.offset, mm.scale], [[0], [10]]);
  const st = FeatureScaler.fitTable('standard', train).toJSON();
  close(st.offset, [11 / 3]);
  close(st.scale, [Math.sqrt(((0 - 11 / 3) ** 2 + (10 - 11 / 3) ** 2 + (1 - 11 / 3) ** 2) / 3)]); // 4.49691
});

test('toJSON / fromJSON round trip; a damaged scaler is a clear error', () => {
  const s = FeatureScaler.fit('standard', m, ['a', 'b']);
  const back = FeatureScaler.fromJSON(JSON.parse(JSON.stringify(s)));
  assert.deepEqual([...back.transform(m)], [...s.transform(m)]);
  assert.throws(() => FeatureScaler.fromJSON({ kind: 'minmax', features: ['a'], offset: [1, 2], scale: [1] }, 'model.json'), (e: unknown) => e instanceof FomlabError && /^model\.json: not a saved feature scaler/.test(e.message));
  assert.throws(() => s.transform(new Float32Array(3)), FomlabError);
  assert.throws(() => FeatureScaler.fit('standard', new Float32Array([1, NaN]), ['a']), /feature 'a' has NaN/);
});
