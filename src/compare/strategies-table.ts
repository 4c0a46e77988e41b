import { geometricMean } from './mass-scan-table.js';
import { heldOutOverNeighbours } from './strategies-metrics.js';
import { meanSpread } from './table.js';

/** One mass of one (strategy, seed) run, test split (the AUC for choosing the seed: validation). */
export interface StrategyMassPoint {
  mass: number;
  heldOut: boolean;
  /** weighted AUC in the mass's window (signal of the mass vs background) */
  auc: number | null;
  /** signal efficiency at the fixed background rejection, in the window */
  efficiency: number | null;
  /** the search's figure (Asimov Z) at the cut chosen on validation */
  z: number | null;
}

export interface StrategySeed {
  seed: number;
  /** mean over the training masses of the validation AUC per mass: the best-of-seeds choice */
  validationAuc: number;
  seconds: number;
  cpuSeconds: number;
  masses: StrategyMassPoint[];
}

export interface StrategyDigest {
  method: string;
  best: number;
  seeds: number;
  /** geometric mean of Z over [trained, held-out] masses: the best seed, and mean ± spread over the seeds */
  zBest: [number | null, number | null];
  zSeeds: [{ mean: number; spread: number }, { mean: number; spread: number }];
  /** mean AUC over all masses: best seed, mean ± spread over the seeds */
  aucBest: number | null;
  aucSeeds: { mean: number; spread: number };
  /** held-out mass over its trained neighbours (geometric mean), best seed: [AUC, Z] */
  interpolation: [number | null, number | null];
  /** per seed (mean ± spread), wall and CPU seconds of `fomlab train` */
  seconds: { mean: number; spread: number };
  cpuSeconds: { mean: number; spread: number };
}

const zMean = (s: StrategySeed, held: boolean): number | null => geometricMean(s.masses.filter((m) => m.heldOut === held).map((m) => m.z));
const aucMean = (s: StrategySeed): number | null => {
  const a = s.masses.map((m) => m.auc).filter((x): x is number => x !== null);
  return a.length ? a.reduce((t, x) => t + x, 0) / a.length : null;
};
const finite = (v: Array<number | null>): number[] => v.filter((x): x is number => x !== null && Number.isFinite(x));

export function strategyDigest(method: string, seeds: StrategySeed[], best: StrategySeed): StrategyDigest {
  return {
    method, best: best.seed, seeds: seeds.length,
    zBest: [zMean(best, false), zMean(best, true)],
    zSeeds: [meanSpread(finite(seeds.map((s) => zMean(s, false)))), meanSpread(finite(seeds.map((s) => zMean(s, true))))],
    aucBest: aucMean(best), aucSeeds: meanSpread(finite(seeds.map(aucMean))),
    interpolation: [heldOutOverNeighbours(best.masses.map((m) => m.auc), best.masses.map((m) => m.heldOut)), heldOutOverNeighbours(best.masses.map((m) => m.z), best.masses.map((m) => m.heldOut))],
    seconds: meanSpread(seeds.map((s) => s.seconds)), cpuSeconds: meanSpread(seeds.map((s) => s.cpuSeconds)),
  };
}

const f = (x: number | null | undefined, d: number): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const pm = (x: { mean: number; spread: number }, d: number): string => (Number.isFinite(x.mean) ? `${x.mean.toFixed(d)} ± ${x.spread.toFixed(d)}` : '–');

/**
 * The comparison as markdown: the digest per strategy, then the panels' masses (AUC / ε_S at the
 * rejection / Z of the best seed) and the background-shape distances.
 */
export function strategiesMarkdown(o: {
  digests: StrategyDigest[]; best: Map<string, StrategySeed>; panels: number[]; rejection: number;
  shapes: Map<string, Array<{ efficiency: number; distance: number }>>;
  /** the same after the mass-dependent threshold (flat background efficiency per window, set on validation) */
  perMassShapes?: Map<string, Array<{ efficiency: number; distance: number }>>;
}): string {
  const lines = [
    'Test split; per strategy the seed with the best validation AUC (mean over the training masses); spreads: sample standard deviation over the seeds.',
    'Z: Asimov Z at the cut chosen on validation per mass; geometric means over the trained | held-out masses (Z = 0 left out).', '',
    '| strategy | seeds (best) | Z trained, best seed | Z held out, best seed | Z trained, seeds | Z held out, seeds | mean AUC, best | mean AUC, seeds | held-out / neighbours (AUC, Z) | per seed wall / CPU (s) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...o.digests.map((d) => `| ${d.method} | ${d.seeds} (${d.best}) | ${f(d.zBest[0], 2)} | ${f(d.zBest[1], 2)} | ${pm(d.zSeeds[0], 2)} | ${pm(d.zSeeds[1], 2)} | ${f(d.aucBest, 4)} | ${pm(d.aucSeeds, 4)} | ${f(d.interpolation[0], 3)}, ${f(d.interpolation[1], 3)} | ${pm(d.seconds, 0)} / ${pm(d.cpuSeconds, 0)} |`),
    '', `Per mass, best seed: AUC / signal efficiency at background rejection ${o.rejection} / Z:`, '',
    `| strategy | ${o.panels.map((m) => `${(m / 1000).toFixed(1)} TeV`).join(' | ')} |`, `|---|${o.panels.map(() => '---|').join('')}`,
  ];
  for (const d of o.digests) {
    const s = o.best.get(d.method)!;
    lines.push(`| ${d.method} | ${o.panels.map((m) => { const p = s.masses.find((x) => Math.abs(x.mass - m) < 1e-6); return p ? `${f(p.auc, 3)} / ${f(p.efficiency, 3)} / ${f(p.z, 2)}` : '·'; }).join(' | ')} |`);
  }
  const effs = [...o.shapes.values()][0]?.map((x) => x.efficiency) ?? [];
  lines.push('', 'Background shape: total-variation distance between the normalised m_T^rec spectra of the passing and of all background in the windows (0: kept), per background efficiency of the threshold:', '',
    `| strategy | ${effs.map((e) => `${(100 * e).toPrecision(2)} %`).join(' | ')} |`, `|---|${effs.map(() => '---|').join('')}`,
    ...o.digests.map((d) => `| ${d.method} | ${(o.shapes.get(d.method) ?? []).map((x) => f(x.distance, 3)).join(' | ')} |`));
  if (o.perMassShapes?.size) {
    lines.push('', 'The same with the mass-dependent threshold: per hypothesis the threshold keeping that share of its window\'s background on the validation split, applied to the test events nearest it:', '',
      `| strategy | ${effs.map((e) => `${(100 * e).toPrecision(2)} %`).join(' | ')} |`, `|---|${effs.map(() => '---|').join('')}`,
      ...o.digests.map((d) => `| ${d.method} | ${(o.perMassShapes?.get(d.method) ?? []).map((x) => f(x.distance, 3)).join(' | ')} |`));
  }
  return lines.join('\n');
}
