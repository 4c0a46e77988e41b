import { FomlabError } from '../core/errors.js';
import type { EventTable } from '../data/table.js';
import type { Column } from '../physics/ordering.js';

/** What the metrics read: classifier output, label (1 signal, 0 background), weight, mass. */
export interface ScoredEvents {
  output: Column;
  label: Column;
  /** per-event weights; all ones when absent */
  weight?: Column | null;
  /** the scanned mass variable (needed by binned significance and sculpting) */
  mass?: Column | null;
}

/** The scored events of a table: its label, weight and mass roles plus the classifier output. */
export function scoredEvents(events: EventTable, output: Column): ScoredEvents {
  if (output.length !== events.length) throw new FomlabError(`${events.source}: classifier output has ${output.length} values for ${events.length} events`);
  return {
    output,
    label: events.labels(),
    weight: events.hasRole('weight') ? events.weights() : null,
    mass: events.hasRole('mass') ? events.mass() : null,
  };
}

/** Checks lengths and NaN outputs; returns n. */
export function checkScored(ev: ScoredEvents, what: string, needMass = false): number {
  const n = ev.output.length;
  if (ev.label.length !== n) throw new FomlabError(`${what}: label has ${ev.label.length} values, output ${n}`);
  if (ev.weight && ev.weight.length !== n) throw new FomlabError(`${what}: weight has ${ev.weight.length} values, output ${n}`);
  if (needMass) {
    if (!ev.mass) throw new FomlabError(`${what}: needs the mass column (set data.columns.mass)`);
    if (ev.mass.length !== n) throw new FomlabError(`${what}: mass has ${ev.mass.length} values, output ${n}`);
  }
  checkOutput(ev.output, what);
  return n;
}

/** A NaN classifier output is an error naming the event. */
export function checkOutput(output: Column, what: string): void {
  for (let i = 0; i < output.length; i++) {
    const o = output[i];
    if (o !== o) throw new FomlabError(`${what}: classifier output is NaN at event ${i}`);
  }
}
