// A synthetic `judgements` section: judgeFully on generated events (a peak per hypothesis over a falling background).
import { Rng } from '../../src/core/rng.js';
import { EventTable } from '../../src/data/table.js';
import { featureCorrelations, judgeFully } from '../../src/evaluate/judgements.js';
import type { Judgements } from '../../src/evaluate/summary.js';
import type { WindowIncidence } from '../../src/physics/windows.js';

export function syntheticJudgements(masses: number[], trained: boolean[], methods = ['BCE', 'Punzi']): Judgements {
  const rng = new Rng(23);
  const perMass = 300, nBg = 12000, n = perMass * masses.length + nBg;
  const label = new Float32Array(n), mass = new Float32Array(n), weight = new Float32Array(n), x1 = new Float32Array(n), x2 = new Float32Array(n), hyp = new Int32Array(n).fill(-1);
  let i = 0;
  masses.forEach((m, h) => {
    for (let k = 0; k < perMass; k++, i++) { label[i] = 1; hyp[i] = h; mass[i] = m * (1 + 0.03 * rng.normal()); weight[i] = 0.05; x1[i] = 1 + rng.normal(); x2[i] = 0.5 * x1[i] + rng.normal(); }
  });
  for (; i < n; i++) { mass[i] = 0.2 + 9 * Math.sqrt(rng.uniform()); weight[i] = 0.5 + rng.uniform(); x1[i] = rng.normal() - 0.5; x2[i] = -0.3 * x1[i] + 0.2 * mass[i] + rng.normal(); }
  // windows ±8 % around each mass
  const sig: number[][] = masses.map(() => []), bg: number[][] = masses.map(() => []);
  for (let e = 0; e < n; e++) masses.forEach((m, h) => {
    if (Math.abs(mass[e] - m) > 0.08 * m) return;
    if (label[e] && hyp[e] === h) sig[h].push(e);
    else if (!label[e]) bg[h].push(e);
  });
  const rows = (r: number[][]): { offsets: Int32Array; events: Int32Array } => ({ offsets: Int32Array.from([0, ...r.map((_, h) => r.slice(0, h + 1).reduce((a, b) => a + b.length, 0))]), events: Int32Array.from(r.flat()) });
  const incidence: WindowIncidence = { nHypotheses: masses.length, nEvents: n, unmatchedSignal: 0, nGenerated: new Float64Array(masses.length).fill(perMass), signal: rows(sig), background: rows(bg) };
  const score = (shift: number, sharp: number): Float32Array => Float32Array.from(x1, (v, e) => 1 / (1 + Math.exp(-sharp * (v + 0.4 * x2[e] - shift + 0.3 * rng.normal()))));
  const trainOut = score(0, 1.6);
  return {
    correlations: featureCorrelations(new EventTable({ x1, x2, m: mass, y: label, w: weight }, { features: ['x1', 'x2', 'm'], label: 'y', weight: 'w' })),
    punziA: 3,
    methods: methods.map((method, k) => judgeFully({
      method, net: 3 + 4 * k, masses, trained, commonCut: 0.5, punziA: 3, massTitle: 'M [GeV]',
      test: { output: score(0.1 * k, 1.5 + 0.2 * k), label, weight, mass, incidence },
      train: { output: trainOut, label, weight },
    })),
  };
}
