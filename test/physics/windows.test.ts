import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventTable } from '../../src/data/table.js';
import { FomlabError } from '../../src/core/errors.js';
import { parseResolutionTable, readResolutionTable, resolutionAt } from '../../src/physics/resolution.js';
import { Search, massHypotheses } from '../../src/physics/search.js';
import { fixedWindows, percentileWindows, windowIncidence } from '../../src/physics/windows.js';

const WIDTH = new URL('../fixtures/punzinet/width.txt', import.meta.url).pathname;

function close(a: number, b: number, tol = 1e-12): void {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
}

test('width.txt: 103 rows (100…10300 MeV), MeV read as GeV, linear interpolation between rows', () => {
  const t = readResolutionTable(WIDTH);
  assert.equal(t.mass.length, 103);
  close(t.mass[0], 0.1);
  close(t.mass[102], 10.3);
  // rows 1000 MeV → 0.287493 GeV², 1100 MeV → 0.295704 GeV² (by hand):
  close(resolutionAt(t, 1.0), 0.287493);
  close(resolutionAt(t, 1.05), (0.287493 + 0.295704) / 2);
  close(resolutionAt(t, 1.025), 0.287493 + 0.25 * (0.295704 - 0.287493));
  close(resolutionAt(t, 10.3), 0.570088);
  close(t.sigmaError[0], 0.0190819);
});

test('a hypothesis outside the table names the mass and the range', () => {
  const t = readResolutionTable(WIDTH);
  assert.throws(() => resolutionAt(t, 0.05), (e: unknown) => e instanceof FomlabError && /0\.05 GeV/.test(e.message) && /0\.1–10\.3 GeV/.test(e.message));
  assert.throws(() => new Search({ hypotheses: { masses: [1, 11] }, window: { kind: 'resolution', table: t, nSigma: 2 } }), /11 GeV .*0\.1–10\.3/);
  assert.throws(() => parseResolutionTable('m s\n2 0.1\n1 0.2\n'), /ascending/);
  assert.throws(() => parseResolutionTable('# nothing\n'), /no rows/);
});

test('resolution window on M² (m² ± 2σ) and on M (its square root), by hand at 1.05 GeV', () => {
  const t = readResolutionTable(WIDTH);
  const s2 = new Search({ hypotheses: { masses: [1.05] }, variable: 'mass2', window: { kind: 'resolution', table: t, nSigma: 2 } });
  // σ(1.05) = 0.2915985 GeV²; m² = 1.1025 → (1.1025 − 0.583197, 1.1025 + 0.583197)
  const w = s2.windowOf(0);
  close(w.low, 0.519303);
  close(w.high, 1.685697);
  const s1 = new Search({ hypotheses: { masses: [1.05] }, variable: 'mass', window: { kind: 'resolution', table: t, nSigma: 2 } });
  close(s1.windowOf(0).low, Math.sqrt(0.519303));
  close(s1.windowOf(0).high, Math.sqrt(1.685697));
  // a light hypothesis: m² − 2σ < 0, the window on M² reaches below zero (recoil M² can be negative)
  const light = new Search({ hypotheses: { masses: [0.1] }, variable: 'mass2', window: { kind: 'resolution', table: t, nSigma: 2 } }).windowOf(0);
  close(light.low, 0.01 - 2 * 0.233973);
});

test('hypotheses: range + step, every second one trained, validation names the setting', () => {
  const h = massHypotheses({ from: 0.1, to: 1.0, step: 0.1, train: { every: 2 } });
  assert.deepEqual(h.map((x) => x.mass), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]);
  assert.deepEqual(h.map((x) => x.train), [true, false, true, false, true, false, true, false, true, false]);
  assert.deepEqual(massHypotheses({ masses: [1, 2, 3], train: { every: 2, offset: 1 } }).map((x) => x.train), [false, true, false]);
  assert.throws(() => massHypotheses({ from: 1, to: 2, step: 0 }), /search\.hypotheses\.step/);
  assert.throws(() => massHypotheses({ masses: [1, 1] }), /listed twice/);
  assert.throws(() => massHypotheses({ masses: [1, 2], train: [true] }), /search\.hypotheses\.train/);
});

// Hand-built events: hypotheses 1.0 and 1.3 GeV, fixed ±0.25 GeV on the mass → windows
// (0.75, 1.25) and (1.05, 1.55), overlapping on (1.05, 1.25).
//  i  label mass genMass   expected
//  0  0     1.10  —        background in both windows
//  1  0     0.80  —        background in window 0 only
//  2  0     1.40  —        background in window 1 only
//  3  0     2.00  —        in no window
//  4  1     1.20  1.0      signal of h0, inside (also inside window 1, but counts only for h0)
//  5  1     0.90  1.3      signal of h1, outside its window: only in nGenerated[1]
//  6  1     1.00  1.0      signal of h0, inside
//  7  1     1.30  1.7      generated at no hypothesis: left out
function handEvents(): EventTable {
  return new EventTable({
    m: Float32Array.from([1.1, 0.8, 1.4, 2.0, 1.2, 0.9, 1.0, 1.3]),
    y: Float32Array.from([0, 0, 0, 0, 1, 1, 1, 1]),
    g: Float32Array.from([NaN, NaN, NaN, NaN, 1.0, 1.3, 1.0, 1.7]),
  }, { label: 'y', mass: 'm', genMass: 'g' });
}

test('incidence: an event in two overlapping windows, a signal event outside its window (by hand)', () => {
  const s = new Search({ hypotheses: { masses: [1.0, 1.3] }, variable: 'mass', window: { kind: 'fixed', halfWidth: 0.25 } });
  const inc = s.incidence(handEvents());
  const row = (c: { offsets: Int32Array; events: Int32Array }, h: number): number[] => [...c.events.subarray(c.offsets[h], c.offsets[h + 1])];
  assert.deepEqual(row(inc.background, 0), [0, 1]);
  assert.deepEqual(row(inc.background, 1), [0, 2]);
  assert.deepEqual(row(inc.signal, 0), [4, 6]);
  assert.deepEqual(row(inc.signal, 1), []);
  assert.deepEqual([...inc.nGenerated], [2, 1]);
  assert.equal(inc.unmatchedSignal, 1);
  // the same on mass²: (0.5625, 1.5625) and (1.1025, 2.4025)
  const s2 = new Search({ hypotheses: { masses: [1.0, 1.3] }, variable: 'mass2', window: { kind: 'fixed', halfWidth: 0.25 } });
  const ev2 = handEvents();
  const m2 = ev2.mass().map((x) => x * x);
  const inc2 = s2.incidence(ev2.withColumn('m2', m2).withRoles({ mass: 'm2' }));
  assert.deepEqual(row(inc2.background, 0), [0, 1]);
  assert.deepEqual(row(inc2.background, 1), [0, 2]);
  assert.deepEqual(row(inc2.signal, 0), [4, 6]);
  // true generated counts override the counted ones
  assert.deepEqual([...new Search({ ...s.definition, nGenerated: [10, 20] }).incidence(handEvents()).nGenerated], [10, 20]);
});

test('incidence agrees with a brute-force scan on random overlapping windows (masses on the edges too)', () => {
  const n = 3000, masses = [1, 1.2, 1.4, 1.6, 1.8, 2.0];
  let seed = 1;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const w = fixedWindows(masses, 0.35, 'mass');
  const edges = [...w.low, ...w.high];
  const m = new Float64Array(n), y = new Float32Array(n), g = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rnd() < 0.3 ? 1 : 0;
    g[i] = y[i] ? masses[Math.floor(rnd() * masses.length)] : NaN;
    // every tenth background mass sits exactly on a window edge (open windows: not inside that one)
    m[i] = y[i] ? g[i] + (rnd() - 0.5) * 0.4 : i % 10 === 0 ? edges[Math.floor(rnd() * edges.length)] : 0.5 + 2 * rnd();
  }
  const inc = windowIncidence(masses, w, { mass: m, label: y, genMass: g });
  for (let h = 0; h < masses.length; h++) {
    const bg: number[] = [], sg: number[] = [];
    for (let i = 0; i < n; i++) {
      const inside = m[i] > w.low[h] && m[i] < w.high[h];
      if (y[i] === 0 && inside) bg.push(i);
      if (y[i] === 1 && g[i] === Math.fround(masses[h]) && inside) sg.push(i);
    }
    assert.deepEqual([...inc.background.events.subarray(inc.background.offsets[h], inc.background.offsets[h + 1])], bg);
    assert.deepEqual([...inc.signal.events.subarray(inc.signal.offsets[h], inc.signal.offsets[h + 1])], sg);
  }
});

test('percentile windows: weighted 5–95 % of the hypothesis signal; no signal is an error', () => {
  // signal of 1 GeV at masses 0.90, 0.91, …, 1.09 (20 events, weight 1): 5 % → 0.90, 95 % → 1.08
  const n = 20;
  const m = Float32Array.from({ length: n }, (_, i) => 0.9 + i * 0.01);
  const y = new Float32Array(n).fill(1), g = new Float32Array(n).fill(1);
  const w = percentileWindows([1], { mass: m, label: y, genMass: g }, 'mass');
  close(w.low[0], Math.fround(0.9));
  close(w.high[0], Math.fround(1.08));
  // weight 10 on the last event moves the 95 % point to it
  const wt = new Float32Array(n).fill(1);
  wt[n - 1] = 10;
  close(percentileWindows([1], { mass: m, label: y, genMass: g, weight: wt }, 'mass').high[0], Math.fround(1.09));
  assert.throws(() => percentileWindows([1, 2], { mass: m, label: y, genMass: g }, 'mass'), /no signal events generated at 2 GeV/);
  const s = new Search({ hypotheses: { masses: [1] }, variable: 'mass', window: { kind: 'percentile' } });
  assert.throws(() => s.windows(), /percentile/);
  // through the Search: the window (0.90, 1.08) is open, so the 5 % and 95 % events sit outside
  const ev = new EventTable({ m, y, g }, { mass: 'm', label: 'y', genMass: 'g' });
  const inc = s.incidence(ev);
  assert.deepEqual([...inc.signal.events], Array.from({ length: 17 }, (_, k) => k + 1));
  assert.equal(inc.nGenerated[0], 20);
});
