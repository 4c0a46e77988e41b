// Reader/writer throughput: 10 M rows × 6 float32 columns through our own Parquet and Arrow IPC
// writers and readers, and the flat float branches of a ROOT ntuple read repeatedly.
// Each read runs in a fresh child process so that its peak RSS is its own.
// Usage: node scripts/run-bench.mjs readers   (ROWS=… to change the row count)
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openTableWriter } from '../src/data/writers/index.js';
import { readColumns } from '../src/data/readers/index.js';

const ROWS = Number(process.env.ROWS ?? 10_000_000);
const NAMES = ['m', 'pt', 'eta', 'phi', 'score', 'weight'];
// a 75,000-row ntuple of ../shared/data (not a test fixture: 1.2 MiB that no test needs); skipped with one line when absent
const ROOT_FILE = '../shared/data/skhep/uproot-hepdata-example.root';
const ROOT_REPEATS = 20;
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

interface ChildResult { events: number; seconds: number; rss_before_mb: number; peak_rss_mb: number; column_mb: number }

/** In the child: read `path` `repeats` times, report time and memory. */
async function child(path: string, repeats: number): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await readColumns(path, { progress: false, columns: path.endsWith('.root') ? ['px'] : ['m'] }); // warm the modules
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  let events = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (let r = 0; r < repeats; r++) {
    const d = await readColumns(path, { progress: false });
    events += d.length;
    bytes = [...d.columns.values()].reduce((s, c) => s + c.byteLength, 0);
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  const out: ChildResult = { events, seconds, rss_before_mb: mb(before), peak_rss_mb: mb(peak), column_mb: mb(bytes) };
  console.log(JSON.stringify(out));
}

function runChild(path: string, repeats: number): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', self, 'child', path, String(repeats)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

function report(what: string, c: ChildResult, note?: string): void {
  const growth = c.peak_rss_mb - c.rss_before_mb;
  console.log(JSON.stringify({ what, events: c.events, seconds: +c.seconds.toFixed(3), rows_per_s: Math.round(c.events / c.seconds), peak_rss_mb: c.peak_rss_mb, rss_growth_mb: +growth.toFixed(1), column_mb: c.column_mb, growth_over_columns: +(growth / c.column_mb).toFixed(2), ...(note ? { note } : {}) }));
}

/** Writes ROWS rows in chunks of 1 M with deterministic pseudo-random physics-like values. */
async function writeFile(path: string): Promise<number> {
  const chunk = 1_000_000;
  const cols = NAMES.map(() => new Float32Array(chunk));
  let s = 2463534242;
  const t0 = performance.now();
  const w = await openTableWriter(path, NAMES);
  for (let start = 0; start < ROWS; start += chunk) {
    const n = Math.min(chunk, ROWS - start);
    for (const c of cols) for (let i = 0; i < n; i++) {
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      c[i] = s / 2 ** 32;
    }
    await w.write(new Map(NAMES.map((name, j) => [name, cols[j].subarray(0, n)])));
  }
  await w.close();
  return (performance.now() - t0) / 1000;
}

async function parent(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fomlab-bench-readers-'));
  try {
    for (const ext of ['arrow', 'parquet']) {
      const path = join(dir, `events.${ext}`);
      const seconds = await writeFile(path);
      const tag = `${Math.round(ROWS / 1e6)}Mx6`;
      console.log(JSON.stringify({ what: `write_${ext}_${tag}`, events: ROWS, seconds: +seconds.toFixed(3), rows_per_s: Math.round(ROWS / seconds), file_mb: mb(statSync(path).size) }));
      report(`read_${ext}_${tag}`, runChild(path, 1));
      rmSync(path);
    }
    const rootWhat = `read_root_hepdata_75kx5_x${ROOT_REPEATS}`;
    if (!existsSync(ROOT_FILE)) console.log(JSON.stringify({ what: rootWhat, skipped: `${ROOT_FILE} not found (it is in ../shared/data, beside the project)` }));
    else report(rootWhat, runChild(ROOT_FILE, ROOT_REPEATS), 'column_mb is one read; the growth is uncollected garbage of all reads (jsroot file metadata, basket buffers), not live columns');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3], Number(process.argv[4]));
else await parent();
