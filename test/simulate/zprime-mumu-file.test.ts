// simulate --channel zprime-mumu into a file (simulateMumuToFile): the file holds exactly the rows of the in-memory
// generator, bit for bit, whether the chunks are refilled in place (Parquet, CSV: writerReleasesChunks) or fresh
// (Arrow); the per-process event counts are the category counts over four; and refilled chunks (reuseChunks), read
// one at a time as a writer does, are the same rows as fresh ones — on both engines, with events straddling chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MUMU_CATEGORY_NAMES, defaultMumuSimulationConfig, mumuColumns, simulateMumuEvents, simulateMumuToFile, type MumuSimulationConfig } from '../../src/simulate/zprime-mumu/index.js';
import { nativeMumuAvailable } from '../../src/simulate/zprime-mumu/native.js';
import { concatenateChunks } from '../../src/simulate/output.js';
import { readColumns } from '../../src/data/readers/index.js';
import { writerReleasesChunks } from '../../src/data/writers/index.js';

const small: MumuSimulationConfig = {
  ...defaultMumuSimulationConfig(), seed: 11, zprimeMasses: [1, 5], signalPerMass: 1500, fourMuonEvents: 3000, eeMuMuEvents: 1500, conversionEvents: 3000, chunkSize: 999,
};

function inMemory(cfg: MumuSimulationConfig): Map<string, Float32Array> {
  return concatenateChunks([...simulateMumuEvents(cfg)], mumuColumns(cfg));
}

test('zprime-mumu to file: Parquet (chunks refilled in place) and Arrow (fresh chunks) hold the in-memory rows bit for bit; per-process counts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-zprime-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const want = inMemory(small);
  const cat = want.get('category') as Float32Array;
  assert.ok(cat.length > 4000, `${cat.length} rows`);
  assert.equal(writerReleasesChunks(join(dir, 'x.parquet')), true);
  assert.equal(writerReleasesChunks(join(dir, 'x.ARROW')), false);
  for (const ext of ['parquet', 'arrow']) {
    const path = join(dir, `z.${ext}`);
    const r = await simulateMumuToFile(small, path);
    assert.equal(r.rows, cat.length);
    assert.equal(r.events, cat.length / 4);
    assert.equal(r.generated, 2 * 1500 + 3000 + 1500 + 3000);
    MUMU_CATEGORY_NAMES.forEach((name, k) => assert.equal(r.perProcess[name], cat.filter((c) => c === k).length / 4, `${ext}: ${name}`));
    const got = (await readColumns(path)).columns;
    assert.deepEqual([...got.keys()], mumuColumns(small));
    for (const [name, col] of want) assert.deepEqual(got.get(name), col, `${ext}: column ${name}`);
  }
});

for (const engine of ['typescript', 'native'] as const) {
  test(`zprime-mumu chunks refilled in place (reuseChunks) are the fresh chunks' rows, ${engine} loop (chunks of 999 and 1 rows: events straddle them)`, { skip: engine === 'native' && !nativeMumuAvailable ? 'the native zprime-mumu loop is off' : false }, () => {
    for (const chunkSize of [999, 1]) {
      const cfg = { ...small, chunkSize, ...(chunkSize === 1 ? { zprimeMasses: [2], fourMuonEvents: 500, eeMuMuEvents: 300, conversionEvents: 500 } : {}) };
      const fresh = [...simulateMumuEvents(cfg, undefined, engine)];
      // a consumer done with each chunk before the next: copy it out, as the Parquet writer does
      const reused: Array<Map<string, Float32Array>> = [];
      let first: Float32Array | null = null;
      for (const chunk of simulateMumuEvents(cfg, undefined, engine, true)) {
        const m = chunk.get('M') as Float32Array;
        if (m.length === chunkSize) {
          first ??= m;
          assert.equal(m, first, 'a full chunk is the same array every time');
        }
        reused.push(new Map([...chunk].map(([k, v]) => [k, v.slice()])));
      }
      assert.deepEqual(reused.map((c) => c.get('M')!.length), fresh.map((c) => c.get('M')!.length));
      const a = concatenateChunks(fresh, mumuColumns(cfg)), b = concatenateChunks(reused, mumuColumns(cfg));
      for (const [name, col] of a) assert.deepEqual(b.get(name), col, `chunk ${chunkSize}: column ${name}`);
    }
  });
}
