import { z } from 'zod';
import { oneOf, section } from './section.js';

/**
 * The `parameterised:` section: a parameterised net (pNN, Baldi et al. 2016, arXiv:1601.07913)
 * takes the true mass hypothesis as one more input (src/train/mass-input.ts). Signal gets its
 * generated mass (data.columns.genMass); background gets
 *  - `background: random`: a mass drawn per event from the training signal's generated masses
 *    (so distributed like the signal's), fixed by the split seed; `redraw: true` draws again every epoch;
 *  - `background: column`: the mass in `column` mapped to the nearest training signal mass (pNN_B:
 *    the binned background's slice); events whose column is NaN draw at random.
 *  - `background: window`: each event once per training hypothesis whose window holds it, at that
 *    mass (signal: its own), so a per-window loss — the Punzi loss — scores each window's events at
 *    the window's mass: a pNN trained with the Punzi loss has one output per hypothesis.
 * `balanced: true` builds balanced mini-batches (Anzalone et al. 2022, arXiv:2202.00424): half
 * signal with the same number per mass, half background whose random masses are assigned evenly
 * over the signal masses. At judging every event is scored at each hypothesis whose window holds it.
 */
export const parameterisedSchema = section({
  /** the name of the mass input (the last input of the model file; `apply` reads a column of this name) */
  input: z.string({ error: 'expected a column name' }).min(1).default('mass_hypothesis'),
  background: oneOf(['random', 'column', 'window']).default('random'),
  /** with background: column — the column whose value (e.g. the slice's m_ZWj) maps to the nearest signal mass */
  column: z.string({ error: 'expected a column name' }).min(1).optional(),
  /** draw the background's random masses again at the start of every epoch */
  redraw: z.boolean({ error: 'expected true or false' }).default(false),
  /**
   * balanced mini-batches (equal signal per mass, background masses distributed like the signal's);
   * the BCE's class balance (balance: true) then scales signal to the background's mean weight, as
   * each batch holds as many signal as background events
   */
  balanced: z.boolean({ error: 'expected true or false' }).default(false),
}).superRefine((p, ctx) => {
  if (p.background === 'column' && p.column === undefined) ctx.addIssue({ code: 'custom', path: ['column'], input: p, message: 'background: column needs the column name (column: …)' });
  if (p.background === 'random' && p.column !== undefined) ctx.addIssue({ code: 'custom', path: ['column'], input: p, message: 'column is read only with background: column' });
});

export type ParameterisedConfig = z.infer<typeof parameterisedSchema>;
