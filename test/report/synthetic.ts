// A synthetic RunSummary shaped like the seed study (BCE-only vs Punzi-net, every second mass held out).
import { Rng } from '../../src/core/rng.js';
import { syntheticJudgements } from './synthetic-judgements.js';
import type { EpochRecord, MassPoint, OutputDistribution, RunSummary, StageHistory } from '../../src/evaluate/summary.js';

function curve(rng: Rng, n: number, start: number, end: number, lr0: number, validFom: boolean): EpochRecord[] {
  const out: EpochRecord[] = [];
  let lr = lr0;
  for (let e = 1; e <= n; e++) {
    if (e % Math.max(1, Math.floor(n / 4)) === 0) lr *= 0.5;
    const base = end + (start - end) * Math.exp(-e / (n / 6));
    out.push({
      epoch: e, trainLoss: base * (1 + 0.02 * rng.normal()), validLoss: base * (1.03 + 0.03 * rng.normal()),
      validFom: validFom ? 40 * (1 + Math.exp(-e / (n / 5))) * (1 + 0.01 * rng.normal()) : null, lr,
    });
  }
  return out;
}

function gaussHist(rng: Rng, edges: number[], mu: number, sd: number, n: number, w = 1): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const lo = edges[0], width = edges[1] - edges[0];
  for (let i = 0; i < n; i++) {
    const k = Math.floor((mu + sd * rng.normal() - lo) / width);
    if (k >= 0 && k < counts.length) counts[k] += w;
  }
  return counts;
}

export function syntheticSummary(opts: { masses?: number; epochs?: number; judgements?: boolean } = {}): RunSummary {
  const rng = new Rng(11);
  const nm = opts.masses ?? 16, ne = opts.epochs ?? 120;
  const masses: MassPoint[] = [];
  for (let i = 0; i < nm; i++) {
    const mass = 0.5 + i * 0.5;
    const bce = 25 * Math.exp(0.45 * mass) * (1 + 0.05 * rng.normal());
    const punzi = bce * (0.82 + 0.05 * Math.sin(i) + (mass > 6 ? 0.2 : 0));
    const res = (mean: number, cut: number) => ({
      sigmaMinMean: mean, sigmaMinSe: mean * 0.03, sigmaMinBest: mean * 0.93, cut, efficiency: 0.3 + 0.5 * i / nm, background: 500 * Math.exp(-0.3 * mass), sigmaMinCommon: mean * 1.05,
    });
    masses.push({ mass, heldOut: i % 2 === 1, results: { BCE: res(bce, 0.6 + 0.35 * i / nm), Punzi: res(punzi, 0.3 + 0.5 * i / nm) } });
  }
  const history: StageHistory[] = [
    { method: 'BCE', stage: 'bce', loss: 'BCE', net: 3, bestEpoch: Math.floor(ne * 0.8), epochs: curve(rng, ne, 0.69, 0.3, 1, true) },
    { method: 'Punzi', stage: 'bce', loss: 'BCE', net: 7, epochs: curve(rng, ne, 0.69, 0.3, 1, true) },
    { method: 'Punzi', stage: 'punzi', loss: 'Punzi loss (mean σ_min, fb)', net: 7, bestEpoch: Math.floor(ne * 0.9), epochs: curve(rng, ne * 2, 90, 35, 5e-4, true) },
  ];
  const edges = Array.from({ length: 61 }, (_, k) => -8 + k * 0.25);
  const outputs: OutputDistribution[] = ['BCE', 'Punzi'].map((method, j) => ({
    method, net: 3 + 4 * j, edges,
    background: gaussHist(rng, edges, -3 - j, 1.5, 20000, 0.05),
    signal: masses.map((m) => ({ mass: m.mass, counts: gaussHist(rng, edges, 1.5 + 0.15 * m.mass - j, 1.2, 2000) })),
  }));
  return {
    schema: 'fomlab.run-summary/1',
    meta: {
      configName: 'synthetic-punzinet', seed: 42, fomlabVersion: '0.1.0', createdAt: '2025-01-01T00:00:00Z',
      events: { train: 2.6e6, validation: 6.5e5 }, durations: { train: 123.4, evaluate: 5.6 }, luminosityFb: 50,
    },
    methods: [{ name: 'BCE', label: 'BCE-only net', nNets: 25, commonCut: 0.5 }, { name: 'Punzi', label: 'Punzi-net', nNets: 25, commonCut: 0.5 }],
    masses, history, outputs,
    ...(opts.judgements === false ? {} : { judgements: syntheticJudgements(masses.map((m) => m.mass), masses.map((m) => !m.heldOut)) }),
  };
}
