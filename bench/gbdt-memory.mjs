// The memory line's child (bench/gbdt.bench.ts): 10 trees on N × 10 events from dist/ in plain Node; prints
// {seconds, peakRss} (bytes).
import { boost } from '../dist/models/gbdt/boost.js';
import { xgbBenchData } from './gbdt-data.mjs';

const n = Number(process.argv[2]);
const d = xgbBenchData(n, 10, 1);
const t0 = performance.now();
boost({ options: { n_estimators: 10, max_depth: 3, learning_rate: 0.1, max_bin: 256 }, inputNames: d.columns.map((_, j) => `x${j}`), train: { ...d, weight: null } });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, peakRss: process.resourceUsage().maxRSS * 1024 }) + '\n');
