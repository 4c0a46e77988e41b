import { z } from 'zod';
import { FomlabError } from '../core/errors.js';
import { numberBetween, section } from '../config/section.js';
import { weightedBce } from './bce.js';
import type { LossModule } from './registry.js';

/**
 * Process-weighted cross-entropy (VLQ thesis §6.1–6.2): each background event of process i is
 * weighted by ω_i = ω1(N_i)·ω2(σ_i) instead of its luminosity weight σ_i·L/N_i, with
 *   ω1 ∈ {1/N_i, N_i^(−1/n), 1/ln N_i}                    (eq. 6.1, `count`),
 *   ω2 ∈ {σ_i, σ_i^(1/n), ln σ_i, U(σ_i)}                  (eq. 6.2, `crossSection`),
 * either alone ('none' for the other) or combined, or ω_i = √(σ_i L / N_i) (eq. 5.2, `sqrtLumi`).
 * U(σ_i) is read here as the processes' empirical distribution function of σ (rank of σ_i among
 * the background processes / their number, in (0, 1]): a uniform transform of σ — the thesis'
 * exact U was not available. Signal events keep their luminosity weights, scaled (`balance`) to
 * the weighted background's sum. The loss is Σ w ℓ / Σ w with ℓ the BCE, as `bce`.
 *
 * N_i and σ_i come from the config's processes (data.processes, by the category column):
 * N_i = nGenerated (else the process's events in the data), σ_i = crossSection·scale (else
 * N_i·scale / simulatedLumi, so that σ_i L/N_i is the process's weight either way), σ in fb.
 */

/** σ_i (fb) and N_i of one process, from the config. */
export interface ProcessFacts {
  crossSection: number;
  nGenerated: number;
  /** a signal process (all its events labelled signal): no ω (signal keeps its luminosity weight), not ranked in U(σ) */
  signal?: boolean;
}

/** The processes of a split: each event's process id and the processes' facts, by id. */
export interface SplitProcesses {
  /** process id (category column) per event of the split */
  category: Int32Array;
  facts: Record<string, ProcessFacts>;
  /** target luminosity L (fb⁻¹), for eq. 5.2 */
  lumi: number;
}

export const COUNT_WEIGHTS = ['none', 'inverse', 'root', 'inverseLog'] as const;
export const CROSS_SECTION_WEIGHTS = ['none', 'linear', 'root', 'log', 'rank'] as const;

export const processWeightedOptionsSchema = section({
  /** ω1 of N_i: none, 1/N (inverse), N^(−1/n) (root), 1/ln N (inverseLog) */
  count: z.enum(COUNT_WEIGHTS, { error: `expected one of ${COUNT_WEIGHTS.join(', ')}` }).default('inverse'),
  /** ω2 of σ_i: none, σ (linear), σ^(1/n) (root), ln σ (log), U(σ) (rank) */
  crossSection: z.enum(CROSS_SECTION_WEIGHTS, { error: `expected one of ${CROSS_SECTION_WEIGHTS.join(', ')}` }).default('root'),
  /** n of the roots N^(−1/n), σ^(1/n) */
  n: numberBetween(1, 100).default(2),
  /** ω = √(σ L / N) (eq. 5.2) instead of ω1·ω2 */
  sqrtLumi: z.boolean().default(false),
  /** scale signal to the weighted background's sum */
  balance: z.boolean().default(true),
});
export type ProcessWeightedOptions = z.infer<typeof processWeightedOptionsSchema>;

/** ω_i of each background process id under the options; throws naming the process when ω_i is not > 0. */
export function processOmegas(facts: Record<string, ProcessFacts>, lumi: number, o: ProcessWeightedOptions): Map<number, number> {
  const ids = Object.keys(facts).filter((id) => !facts[id].signal);
  const sigmas = ids.map((id) => facts[id].crossSection).sort((a, b) => a - b);
  const out = new Map<number, number>();
  for (const id of ids) {
    const { crossSection: s, nGenerated: N } = facts[id];
    let w: number;
    if (o.sqrtLumi) w = Math.sqrt((s * lumi) / N);
    else {
      const w1 = o.count === 'inverse' ? 1 / N : o.count === 'root' ? N ** (-1 / o.n) : o.count === 'inverseLog' ? 1 / Math.log(N) : 1;
      const w2 = o.crossSection === 'linear' ? s : o.crossSection === 'root' ? s ** (1 / o.n) : o.crossSection === 'log' ? Math.log(s)
        : o.crossSection === 'rank' ? (sigmas.lastIndexOf(s) + 1) / sigmas.length : 1;
      w = w1 * w2;
    }
    if (!(w > 0 && Number.isFinite(w))) throw new FomlabError(`data.processes.${id}: process weight ω = ${w} is not > 0 for the process-weighted loss (σ = ${s} fb, N = ${N}${o.count === 'inverseLog' ? '; 1/ln N needs N > 1' : ''}${o.crossSection === 'log' ? '; ln σ needs σ > 1 fb' : ''})`);
    out.set(Number(id), w);
  }
  return out;
}

/** Per-event weights: background ω_{process}, signal its luminosity weight (scaled to the background's sum with `balance`). */
export function processEventWeights(labels: Float32Array, weights: Float32Array, category: Int32Array, omega: ReadonlyMap<number, number>, balance: boolean): Float32Array {
  const out = new Float32Array(labels.length);
  let ws = 0, wb = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= 0.5) { out[i] = weights[i] > 0 ? weights[i] : 0; ws += out[i]; continue; }
    const w = omega.get(category[i]);
    if (w === undefined) throw new FomlabError(`data.processes: no entry for background process id ${category[i]} (category column), which the process-weighted loss needs`);
    out[i] = w;
    wb += w;
  }
  if (balance && ws > 0 && wb > 0) for (let i = 0; i < labels.length; i++) if (labels[i] >= 0.5) out[i] *= wb / ws;
  return out;
}

export const processWeighted: LossModule<ProcessWeightedOptions> = {
  name: 'process-weighted',
  options: processWeightedOptionsSchema,
  value: (p, batch, o) => {
    const pr = batch.processes();
    if (!pr) throw new FomlabError('loss process-weighted: needs data.processes and the process of each event (columns.category)');
    const omega = processOmegas(pr.facts, pr.lumi, o);
    return weightedBce(p, batch.labels(), processEventWeights(batch.labels(), batch.weights(false), pr.category, omega, o.balance));
  },
  label: (o) => (o.sqrtLumi ? 'BCE, ω = √(σL/N)' : `BCE, ω = ${o.count === 'none' ? '' : o.count === 'inverse' ? '1/N' : o.count === 'root' ? `N^(−1/${o.n})` : '1/ln N'}${o.count !== 'none' && o.crossSection !== 'none' ? '·' : ''}${o.crossSection === 'none' ? (o.count === 'none' ? '1' : '') : o.crossSection === 'linear' ? 'σ' : o.crossSection === 'root' ? `σ^(1/${o.n})` : o.crossSection === 'log' ? 'ln σ' : 'U(σ)'}`),
  method: { name: 'ProcessBCE', label: 'process-weighted BCE' },
  needsProcesses: true,
};
