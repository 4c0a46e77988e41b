import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MLP, Rng, saveSafetensors, loadSafetensors, tensorsOf, decodeSafetensors, encodeSafetensors, tensor } from '../../src/core/index.js';

test('safetensors round trip is bit-exact (float32 MLP, float64, int32, NaN/−0/denormals) with metadata', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-st-'));
  try {
    const net = new MLP([4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid'], new Rng(3));
    const odd = tensor([NaN, -0, 5e-324, Infinity, -1.5], undefined, { dtype: 'float64' });
    const ids = { data: Int32Array.of(-7, 0, 2147483647), shape: [3] };
    const path = join(dir, 'net.safetensors');
    const meta = { config: JSON.stringify({ sizes: [4, 8, 4, 1] }), scaler: JSON.stringify({ mean: [0.1, 0.2] }) };
    saveSafetensors(path, [...net.stateDict(), ['odd', odd], ['ids', ids]], meta);
    assert.deepEqual(readdirSync(dir), ['net.safetensors']); // no temp file left
    const bytes = readFileSync(path);
    const headerLen = Number(bytes.readBigUInt64LE(0));
    assert.equal((8 + headerLen) % 8, 0);
    const st = loadSafetensors(path);
    assert.deepEqual(st.metadata, meta);
    const back = new MLP([4, 8, 4, 1], ['tanh', 'tanh', 'sigmoid'], new Rng(99));
    back.loadStateDict(tensorsOf(st), false);
    for (const [name, p] of net.stateDict()) {
      const q = back.stateDict().get(name)!;
      assert.deepEqual(new Uint8Array(q.data.buffer, q.data.byteOffset, q.data.byteLength), new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength), name);
    }
    const o = st.tensors.get('odd')!;
    assert.ok(o.data instanceof Float64Array);
    assert.deepEqual(new Uint8Array(o.data.buffer), new Uint8Array(odd.data.buffer));
    assert.deepEqual([...st.tensors.get('ids')!.data], [-7, 0, 2147483647]);
    // re-encoding gives the same bytes
    assert.deepEqual(encodeSafetensors(st.tensors, st.metadata), new Uint8Array(bytes));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('safetensors: header layout as the spec (names, dtype, shape, data_offsets)', () => {
  const bytes = encodeSafetensors([['w', tensor([[1, 2, 3], [4, 5, 6]])]]);
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  assert.deepEqual(header, { w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] } });
  assert.throws(() => decodeSafetensors(bytes.subarray(0, 12)), /header length/);
});

test('same seed, same parameters', () => {
  const a = new MLP([4, 8, 1], ['tanh', 'sigmoid'], new Rng(5)).parameters().map((p) => p.toArray());
  const b = new MLP([4, 8, 1], ['tanh', 'sigmoid'], new Rng(5)).parameters().map((p) => p.toArray());
  const c = new MLP([4, 8, 1], ['tanh', 'sigmoid'], new Rng(6)).parameters().map((p) => p.toArray());
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});
