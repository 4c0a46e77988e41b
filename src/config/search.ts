import { z } from 'zod';
import { FIGURE_NAMES } from '../physics/figures.js';
import { numberBetween, oneOf, section } from './section.js';

/**
 * The `search:` section: mass hypotheses, the scanned variable, a window per hypothesis and the
 * sensitivity parameters of σ_min. Example (the seed study):
 *   search:
 *     hypotheses: {from: 0.1, to: 8.7, step: 0.1, train: {every: 2}}
 *     variable: mass2
 *     window: {resolution: width.txt, nSigma: 2}
 *     sensitivity: {a: 3, b: 1.28155, lumi: 50, form: improved}
 * A one-resonance search without generated masses (H→Zγ-like):
 *   search: {hypotheses: {masses: [125]}, variable: mass, window: {from: 120, to: 130}, figure: asimovZ}
 */
const positive = z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' });

const train = z.union(
  [z.literal('all'), section({ every: z.number().int().min(1), offset: z.number().int().min(0).optional() }), z.array(z.boolean())],
  { error: "expected 'all', {every: K, offset?: J} or a list of true/false per hypothesis" },
);

const hypotheses = z.union(
  [
    section({ masses: z.array(positive).min(1), train: train.optional() }),
    section({ from: positive, to: positive, step: positive, train: train.optional() }),
  ],
  { error: 'expected {from, to, step, train?} or {masses: [GeV, …], train?}' },
);

const window = z.union(
  [
    section({ resolution: z.string().min(1), nSigma: positive.default(2), massUnit: oneOf(['MeV', 'GeV']).default('MeV'), of: oneOf(['mass', 'mass2']).default('mass2') }),
    section({ halfWidth: positive }),
    section({ from: positive, to: positive }).refine((w) => w.from < w.to, { error: 'expected from below to (GeV)', path: ['to'] }),
    section({ percentile: z.tuple([numberBetween(0, 100), numberBetween(0, 100)]) }).refine((w) => w.percentile[0] < w.percentile[1], {
      error: 'expected [from, to] in percent with from < to, e.g. [5, 95]', path: ['percentile'],
    }),
  ],
  { error: 'expected {resolution: FILE, nSigma}, {halfWidth: GeV}, {from: GeV, to: GeV} or {percentile: [5, 95]} (percent)' },
);

/**
 * What the search reports and optimises: σ_min (default; form from `sensitivity`), the Punzi FOM
 * ε/(a/2+√B) (`halfA`, default 1.5; 1.64 in the dark-photon slides), S/√B, S/√(S+B), the Asimov
 * discovery or exclusion Z, or the binned Asimov Z (`bins` equal-signal output bins, default 8).
 */
const figureSpec = section({
  name: oneOf(FIGURE_NAMES),
  halfA: positive.default(1.5),
  bins: z.number().int().min(1).max(255).default(8),
});
const figure = z.union(
  [z.enum(FIGURE_NAMES).transform((name) => ({ name, halfA: 1.5, bins: 8 })), figureSpec],
  { error: `expected one of ${FIGURE_NAMES.join(', ')}, or {name, halfA?, bins?}` },
);

export const searchSchema = section({
  hypotheses,
  variable: oneOf(['mass', 'mass2']).default('mass2'),
  window,
  sensitivity: section({
    a: positive.default(3),
    b: positive.default(1.28155),
    lumi: positive.default(50),
    form: oneOf(['paper', 'improved']).default('improved'),
  }).default({ a: 3, b: 1.28155, lumi: 50, form: 'improved' }),
  figure: figure.default({ name: 'sigmaMin', halfA: 1.5, bins: 8 }),
  /**
   * true number of signal events generated per hypothesis (when the file holds only preselected
   * ones); default: the data.columns.nGenerated column (e.g. n_gen) when mapped, else counted
   */
  generatedPerMass: z.union([positive, z.array(positive)]).optional(),
  /**
   * mass region edges (GeV, ascending), e.g. [1, 4, 7] for the dark-photon slides' m < 1, 1–4, 4–7,
   * > 7 GeV: the run then compares a cut at 0.5 with one cut per region (summary.json regionCuts), for
   * any model; a regions model uses its own edges
   */
  regionEdges: z.array(z.number({ error: 'expected a mass in GeV' }), { error: 'expected a list of masses in GeV, e.g. [1, 4, 7]' }).min(1)
    .refine((e) => e.every((x, i) => i === 0 || x > e[i - 1]), { error: 'expected ascending masses, e.g. [1, 4, 7]' }).optional(),
  /** signal scale factor s_sig (trigger efficiency, data/MC scale factors): ε → s_sig·ε (seed paper) */
  signalScale: positive.default(1),
});

export type SearchConfig = z.infer<typeof searchSchema>;
