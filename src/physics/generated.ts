import { FomlabError } from '../core/errors.js';
import type { EventTable } from '../data/table.js';
import type { Search } from './search.js';
import { generatedHypothesis } from './windows.js';
import { windowColumns } from './search.js';

/**
 * The denominator of ε per hypothesis from an `n_gen`-style column: every signal event carries
 * the number of events generated for its mass (the built-in simulator writes `n_gen`), so a file
 * of preselected events still knows N_gen. Without a generated mass the one signal sample's value
 * counts for every hypothesis. Signal events of one hypothesis that disagree are an error naming
 * the column; a hypothesis without signal events gets 0 (ε = 0 there).
 */
export function generatedFromColumn(search: Search, events: EventTable, column: string): Float64Array {
  const nGen = events.column(column);
  const cols = windowColumns(events);
  const H = search.hypotheses.length;
  const hyp = cols.genMass ? generatedHypothesis(search.masses, cols, search.definition.genMassTolerance) : null;
  const out = new Float64Array(H).fill(NaN);
  for (let i = 0; i < events.length; i++) {
    if (!(cols.label[i] >= 0.5)) continue;
    const v = nGen[i];
    if (!(v > 0)) throw new FomlabError(`data.columns.nGenerated: column '${column}' is ${v} for signal event ${i}; expected the number of generated events (> 0)`);
    const targets = hyp ? (hyp[i] >= 0 ? [hyp[i]] : []) : search.hypotheses.map((h) => h.index);
    for (const h of targets) {
      if (out[h] !== out[h]) out[h] = v;
      else if (out[h] !== v) {
        throw new FomlabError(`data.columns.nGenerated: column '${column}' holds ${out[h]} and ${v} for the signal of ${search.hypotheses[h].mass} GeV; give search.generatedPerMass instead`);
      }
    }
  }
  return out.map((v) => (v === v ? v : 0));
}
